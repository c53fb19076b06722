package io.customerpyramid.generate;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Column;

/** Behaviour profile a synthetic customer is drawn from, with the parameters of its distributions. */
enum Archetype {
  // Arguments in field order: share; first order and last order in days before the end date (min,
  // max each); median orders, sigma; basket; discount share, min rate, max rate; cancel rate; return
  // rate; contacts base, per order; complaint share; paid share; pay delay min, max; write-off share.
  LOYAL_BIG_SPENDER(0.05, 700, 1095, 1, 20, 45, 0.35, 110, 0.30, 0.05, 0.15, 0.010, 0.03,
      0.0, 0.08, 0.06, 0.990, -20, 3, 0.0),
  REGULAR(0.30, 400, 1095, 1, 60, 14, 0.45, 60, 0.25, 0.05, 0.20, 0.010, 0.04,
      0.0, 0.10, 0.08, 0.985, -20, 5, 0.0),
  OCCASIONAL(0.35, 150, 1095, 1, 150, 3, 0.50, 45, 0.20, 0.05, 0.20, 0.010, 0.05,
      0.0, 0.10, 0.08, 0.980, -20, 8, 0.0),
  NEW(0.10, 5, 90, 1, 5, 2, 0.40, 50, 0.50, 0.10, 0.20, 0.010, 0.05,
      0.0, 0.15, 0.08, 0.980, -20, 5, 0.0),
  LAPSED(0.10, 700, 1095, 260, 600, 6, 0.50, 50, 0.20, 0.05, 0.20, 0.010, 0.06,
      0.0, 0.10, 0.10, 0.980, -20, 10, 0.0),
  PROBLEM(0.10, 200, 1000, 1, 90, 12, 0.50, 55, 0.70, 0.15, 0.40, 0.025, 0.30,
      3.0, 0.90, 0.45, 0.750, 5, 75, 0.6);

  /** Fraction of all customers with this archetype. */
  final double share;
  /** First order this many days before the end date, uniform in [min, max]. */
  final int firstAgoMin;
  final int firstAgoMax;
  /** Last possible order this many days before the end date, uniform in [min, max]. */
  final int lastAgoMin;
  final int lastAgoMax;
  /** Median number of orders and the sigma of its lognormal spread. */
  final double orders;
  final double ordersSigma;
  /** Typical paid amount per order before the customer's lognormal spend level. */
  final double basket;
  /** Probability that an order is discounted and the discount rate range (of the gross price). */
  final double discountShare;
  final double discountMin;
  final double discountMax;
  /** Probability that an order is cancelled later, and that it is (partly) returned. */
  final double cancelRate;
  final double returnRate;
  /** Contacts: a fixed base plus this many per order (on average), and the complaint share. */
  final double contactsBase;
  final double contactsPerOrder;
  final double complaintShare;
  /** Probability an invoice gets paid, and the payment day relative to the due date. */
  final double paidShare;
  final int payDelayMin;
  final int payDelayMax;
  /** Probability that an unpaid invoice long overdue is written off. */
  final double writeOffShare;

  Archetype(
      double share,
      int firstAgoMin,
      int firstAgoMax,
      int lastAgoMin,
      int lastAgoMax,
      double orders,
      double ordersSigma,
      double basket,
      double discountShare,
      double discountMin,
      double discountMax,
      double cancelRate,
      double returnRate,
      double contactsBase,
      double contactsPerOrder,
      double complaintShare,
      double paidShare,
      int payDelayMin,
      int payDelayMax,
      double writeOffShare) {
    this.share = share;
    this.firstAgoMin = firstAgoMin;
    this.firstAgoMax = firstAgoMax;
    this.lastAgoMin = lastAgoMin;
    this.lastAgoMax = lastAgoMax;
    this.orders = orders;
    this.ordersSigma = ordersSigma;
    this.basket = basket;
    this.discountShare = discountShare;
    this.discountMin = discountMin;
    this.discountMax = discountMax;
    this.cancelRate = cancelRate;
    this.returnRate = returnRate;
    this.contactsBase = contactsBase;
    this.contactsPerOrder = contactsPerOrder;
    this.complaintShare = complaintShare;
    this.paidShare = paidShare;
    this.payDelayMin = payDelayMin;
    this.payDelayMax = payDelayMax;
    this.writeOffShare = writeOffShare;
  }

  /** Archetype code (the ordinal) picked by a uniform draw according to the shares. */
  static Column pick(Column uniform) {
    Column result = null;
    double cumulative = 0;
    Archetype[] all = values();
    for (int i = 0; i < all.length - 1; i++) {
      cumulative += all[i].share;
      Column condition = uniform.lt(cumulative);
      result = result == null ? when(condition, i) : result.when(condition, i);
    }
    return result.otherwise(all.length - 1);
  }

  /** A parameter of the archetype whose code is in {@code code}, as a CASE expression. */
  static Column param(Column code, ToDoubleFunction<Archetype> parameter) {
    Column result = null;
    for (Archetype a : values()) {
      Column condition = code.equalTo(a.ordinal());
      Column value = lit(parameter.applyAsDouble(a));
      result = result == null ? when(condition, value) : result.when(condition, value);
    }
    return result;
  }
}
