package io.customerpyramid.clv;

import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Seeded draws of customers from the BG/NBD purchase process and the Gamma-Gamma spend process, and their
 * aggregation to the weighted rows the fitters take.
 */
final class BtydSimulator {

  /** The order-line columns that {@link PurchaseHistory#summarise} reads, for simulated purchases. */
  static final StructType ORDER_LINES =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.ORDER_TS, DataTypes.TimestampType)
          .add(Columns.LINE_VALUE, Money.WORK)
          .add(Columns.IS_RETURN_LINE, DataTypes.BooleanType);

  static final double DAYS_PER_WEEK = 7.0;

  /** One simulated customer: times in weeks, unrounded; meanSpend is NaN without a repeat purchase. */
  record Customer(int x, double tx, double T, double meanSpend) {}

  /** Weighted rows: weight[i] customers share the row. */
  record Rows(double[] x, double[] tx, double[] T, double[] weight) {
    int size() {
      return x.length;
    }

    double customers() {
      double sum = 0;
      for (double w : weight) {
        sum += w;
      }
      return sum;
    }
  }

  /** Weighted Gamma-Gamma rows. */
  record SpendRows(double[] x, double[] m, double[] weight) {}

  private final SplittableRandom random;

  BtydSimulator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * Customers whose ages are whole days drawn uniformly from [minAgeDays, maxAgeDays]: each has a purchase rate
   * lambda ~ Gamma(r, alpha) (rate) and a drop-out probability p ~ Beta(a, b); purchases follow a Poisson process
   * at lambda after the first one (at time 0), and after each repeat purchase the customer drops out with
   * probability p. Each repeat purchase spends Gamma(p, nu) with nu ~ Gamma(q, v) (rates) for the customer.
   */
  List<Customer> customers(int n, BgNbdParameters purchases, GammaGammaParameters spend, int minAgeDays, int maxAgeDays) {
    List<Customer> customers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double age = random.nextInt(minAgeDays, maxAgeDays + 1) / DAYS_PER_WEEK;
      double lambda = gamma(purchases.r()) / purchases.alpha();
      double dropOut = beta(purchases.a(), purchases.b());
      double nu = gamma(spend.q()) / spend.v();
      int x = 0;
      double last = 0;
      double spent = 0;
      double t = 0;
      while (true) {
        t += random.nextExponential() / lambda;
        if (t > age) {
          break;
        }
        x++;
        last = t;
        spent += gamma(spend.p()) / nu;
        if (random.nextDouble() < dropOut) {
          break;
        }
      }
      customers.add(new Customer(x, last, age, x == 0 ? Double.NaN : spent / x));
    }
    return customers;
  }

  /**
   * Whole purchase histories in days, as an order file would hold them: each customer's first purchase on a
   * day drawn uniformly from [0, lastFirstDay], then the BG/NBD process (rates per week) until {@code endDay}
   * (not included). Returns each customer's purchase days, the first first.
   */
  List<int[]> purchaseDays(int n, BgNbdParameters purchases, int lastFirstDay, int endDay) {
    List<int[]> histories = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int first = random.nextInt(0, lastFirstDay + 1);
      double lambdaPerDay = gamma(purchases.r()) / purchases.alpha() / DAYS_PER_WEEK;
      double dropOut = beta(purchases.a(), purchases.b());
      List<Integer> days = new ArrayList<>(List.of(first));
      double t = first;
      while (true) {
        t += random.nextExponential() / lambdaPerDay;
        if (t >= endDay) {
          break;
        }
        days.add((int) Math.floor(t));
        if (random.nextDouble() < dropOut) {
          break;
        }
      }
      histories.add(days.stream().mapToInt(Integer::intValue).toArray());
    }
    return histories;
  }

  /** Distinct (x, t_x, T) with counts, t_x rounded to whole days as the real data are (t_x = days / 7). */
  static Rows aggregate(List<Customer> customers) {
    Map<List<Double>, Integer> counts = new LinkedHashMap<>();
    for (Customer c : customers) {
      double ageDays = Math.round(c.T() * DAYS_PER_WEEK);
      double lastDays = Math.min(ageDays, Math.round(c.tx() * DAYS_PER_WEEK));
      counts.merge(List.of((double) c.x(), lastDays / DAYS_PER_WEEK, ageDays / DAYS_PER_WEEK), 1, Integer::sum);
    }
    int n = counts.size();
    double[] x = new double[n];
    double[] tx = new double[n];
    double[] T = new double[n];
    double[] w = new double[n];
    int i = 0;
    for (Map.Entry<List<Double>, Integer> entry : counts.entrySet()) {
      x[i] = entry.getKey().get(0);
      tx[i] = entry.getKey().get(1);
      T[i] = entry.getKey().get(2);
      w[i] = entry.getValue();
      i++;
    }
    return new Rows(x, tx, T, w);
  }

  /** One row per customer, times unrounded: every row distinct. */
  static Rows unaggregated(List<Customer> customers) {
    int n = customers.size();
    double[] x = new double[n];
    double[] tx = new double[n];
    double[] T = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = customers.get(i).x();
      tx[i] = customers.get(i).tx();
      T[i] = customers.get(i).T();
      w[i] = 1;
    }
    return new Rows(x, tx, T, w);
  }

  /** The repeat buyers' (x, m), one row each. */
  static SpendRows spend(List<Customer> customers) {
    List<Customer> buyers = customers.stream().filter(c -> c.x() >= 1).toList();
    int n = buyers.size();
    double[] x = new double[n];
    double[] m = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = buyers.get(i).x();
      m[i] = buyers.get(i).meanSpend();
      w[i] = 1;
    }
    return new SpendRows(x, m, w);
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang; shape < 1 through Gamma(shape + 1) U^(1 / shape). */
  double gamma(double shape) {
    if (shape < 1) {
      return gamma(shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = random.nextGaussian();
      double v = 1 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  double beta(double a, double b) {
    double x = gamma(a);
    return x / (x + gamma(b));
  }
}
