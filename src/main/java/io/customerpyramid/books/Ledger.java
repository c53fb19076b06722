package io.customerpyramid.books;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The money of one input, as exact sums of the amount it books (rows whose amount does not parse
 * count nowhere): read = accepted + rejected + after S, and the accepted money must equal what
 * customer_features holds for that input, before rounding.
 *
 * @param amount what is summed, in words ("line value (returns negative)", "refund_amount", ...)
 * @param inCustomerFeatures the exact per-customer sums of customer_features, added up
 */
public record Ledger(
    String input,
    String amount,
    BigDecimal accepted,
    BigDecimal rejected,
    BigDecimal afterSnapshot,
    BigDecimal inCustomerFeatures)
    implements Serializable {

  /** Everything read whose amount parses: accepted + rejected + after S, by construction. */
  public BigDecimal read() {
    return accepted.add(rejected).add(afterSnapshot);
  }

  /** The accepted money arrived whole in customer_features, to the last decimal. */
  public boolean balanced() {
    return accepted.compareTo(inCustomerFeatures) == 0;
  }

  /** Accepted money that did not reach customer_features (negative: money that appeared there from nowhere). */
  public BigDecimal difference() {
    return accepted.subtract(inCustomerFeatures);
  }
}
