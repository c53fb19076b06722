package io.customerpyramid.segmentation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parameters of a Gaussian mixture (weights, means, full covariances) with each covariance's
 * Cholesky factor, and the arithmetic of one EM step: log-densities, responsibilities and the
 * re-estimation from weighted sums.
 *
 * <p>Everything is plain Java on d × d matrices (d = the number of clustering features, a handful):
 * no LAPACK, every loop bounded by d or k. A covariance always gets {@link #COVARIANCE_FLOOR} added to
 * its diagonal, so it stays positive definite even for a constant feature or identical customers.
 */
public final class MixtureComponents implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Added to every covariance's diagonal. The features are scaled (unit standard deviation or unit
   * interquartile range), so this is a millionth of a typical variance: it changes no real cluster and
   * keeps a cluster of identical customers, or a constant feature, from becoming singular.
   */
  public static final double COVARIANCE_FLOOR = 1e-6;

  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private final double[] weights;
  private final double[][] means;
  private final double[][][] covariances;
  /** Lower-triangular L with L Lᵀ = covariance. */
  private final double[][][] choleskyFactors;
  /** log weight − (d log 2π + log det covariance) / 2: the constant part of each log-density. */
  private final double[] logConstants;

  /**
   * @throws IllegalArgumentException if the shapes disagree, a value is not finite, a weight is not
   *     positive or a covariance is not positive definite
   */
  public MixtureComponents(double[] weights, double[][] means, double[][][] covariances) {
    int k = weights.length;
    if (k == 0 || means.length != k || covariances.length != k) {
      throw new IllegalArgumentException("a mixture needs k >= 1 weights, means and covariances, got " + k + ", " + means.length + ", " + covariances.length);
    }
    int d = means[0].length;
    this.weights = weights.clone();
    this.means = new double[k][];
    this.covariances = new double[k][][];
    this.choleskyFactors = new double[k][][];
    this.logConstants = new double[k];
    for (int j = 0; j < k; j++) {
      if (!(weights[j] > 0) || !Double.isFinite(weights[j])) {
        throw new IllegalArgumentException("component " + j + " has weight " + weights[j]);
      }
      if (means[j].length != d || covariances[j].length != d) {
        throw new IllegalArgumentException("component " + j + " is not " + d + "-dimensional");
      }
      this.means[j] = requireFinite(means[j].clone(), "mean of component " + j);
      this.covariances[j] = new double[d][];
      for (int a = 0; a < d; a++) {
        if (covariances[j][a].length != d) {
          throw new IllegalArgumentException("covariance of component " + j + " is not " + d + " x " + d);
        }
        this.covariances[j][a] = requireFinite(covariances[j][a].clone(), "covariance of component " + j);
      }
      double[][] factor = cholesky(this.covariances[j]);
      if (factor == null) {
        throw new IllegalArgumentException("covariance of component " + j + " is not positive definite");
      }
      this.choleskyFactors[j] = factor;
      double logDeterminant = 0;
      for (int a = 0; a < d; a++) {
        logDeterminant += 2 * Math.log(factor[a][a]);
      }
      this.logConstants[j] = Math.log(weights[j]) - 0.5 * (d * LOG_2PI + logDeterminant);
    }
  }

  public int size() {
    return weights.length;
  }

  public int dimension() {
    return means[0].length;
  }

  public double weight(int component) {
    return weights[component];
  }

  public double[] mean(int component) {
    return means[component].clone();
  }

  /** Every component's mean, copied. */
  public double[][] means() {
    double[][] copy = new double[means.length][];
    for (int j = 0; j < copy.length; j++) {
      copy[j] = means[j].clone();
    }
    return copy;
  }

  public double[][] covariance(int component) {
    double[][] copy = new double[covariances[component].length][];
    for (int a = 0; a < copy.length; a++) {
      copy[a] = covariances[component][a].clone();
    }
    return copy;
  }

  /** log(weight_j · N(x | mean_j, covariance_j)) for every component j, into {@code out}. */
  public void weightedLogDensities(double[] x, double[] out) {
    int d = dimension();
    double[] z = new double[d];
    for (int j = 0; j < weights.length; j++) {
      double[][] factor = choleskyFactors[j];
      double[] mean = means[j];
      // Forward substitution L z = x − mean; the Mahalanobis distance is ‖z‖².
      double squared = 0;
      for (int a = 0; a < d; a++) {
        double v = x[a] - mean[a];
        for (int b = 0; b < a; b++) {
          v -= factor[a][b] * z[b];
        }
        z[a] = v / factor[a][a];
        squared += z[a] * z[a];
      }
      out[j] = logConstants[j] - 0.5 * squared;
    }
  }

  /**
   * Turns weighted log-densities into responsibilities (posterior probabilities, in place) and
   * returns the point's log-likelihood, log Σ_j exp(logDensities_j), without underflow.
   */
  static double toResponsibilities(double[] logDensities) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logDensities) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int j = 0; j < logDensities.length; j++) {
      logDensities[j] = Math.exp(logDensities[j] - max);
      sum += logDensities[j];
    }
    for (int j = 0; j < logDensities.length; j++) {
      logDensities[j] /= sum;
    }
    return max + Math.log(sum);
  }

  /** The component with the highest posterior probability; ties go to the lower number. */
  public int mostLikely(double[] x) {
    double[] logDensities = new double[weights.length];
    weightedLogDensities(x, logDensities);
    int best = 0;
    for (int j = 1; j < logDensities.length; j++) {
      if (logDensities[j] > logDensities[best]) {
        best = j;
      }
    }
    return best;
  }

  /** The weighted sums one EM pass gathers: per component Σr, Σr(x − mean) and Σr(x − mean)(x − mean)ᵀ. */
  public static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;

    final int components;
    final int dimension;
    /** Per component: [Σr, Σr·δ (d), Σr·δδᵀ (d × d)], δ = x − the component's reference point. */
    final double[] values;
    double logLikelihood;
    long points;

    Sums(int components, int dimension) {
      this.components = components;
      this.dimension = dimension;
      this.values = new double[components * stride(dimension)];
    }

    private static int stride(int d) {
      return 1 + d + d * d;
    }

    /** Adds one point with its responsibilities, deviations taken from {@code references}. */
    void add(double[] x, double[] responsibilities, double[][] references) {
      int d = dimension;
      int stride = stride(d);
      double[] delta = new double[d];
      for (int j = 0; j < components; j++) {
        double r = responsibilities[j];
        if (r == 0) {
          continue;
        }
        int base = j * stride;
        values[base] += r;
        for (int a = 0; a < d; a++) {
          delta[a] = x[a] - references[j][a];
          values[base + 1 + a] += r * delta[a];
        }
        int square = base + 1 + d;
        for (int a = 0; a < d; a++) {
          double ra = r * delta[a];
          for (int b = 0; b < d; b++) {
            values[square + a * d + b] += ra * delta[b];
          }
        }
      }
    }

    Sums merge(Sums other) {
      for (int i = 0; i < values.length; i++) {
        values[i] += other.values[i];
      }
      logLikelihood += other.logLikelihood;
      points += other.points;
      return this;
    }

    double mass(int component) {
      return values[component * stride(dimension)];
    }
  }

  /** What the M-step made of the sums: the new mixture and the components it dropped, with their mass. */
  public record Update(MixtureComponents components, List<String> dropped) {}

  /**
   * The M-step: weight = Σr / n, mean = reference + Σrδ / Σr, covariance = Σrδδᵀ / Σr − (Σrδ / Σr)² +
   * {@link #COVARIANCE_FLOOR}. A component holding less than {@code minimumMass} customers has
   * collapsed (too few customers to estimate a covariance) and is dropped.
   *
   * @param references the points the deviations in {@code sums} were taken from
   * @return null components when every component was dropped
   */
  static Update reestimate(Sums sums, double[][] references, double minimumMass) {
    int d = sums.dimension;
    int stride = Sums.stride(d);
    List<double[]> means = new ArrayList<>();
    List<double[][]> covariances = new ArrayList<>();
    List<Double> masses = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (int j = 0; j < sums.components; j++) {
      int base = j * stride;
      double mass = sums.values[base];
      if (!(mass >= minimumMass)) {
        dropped.add(String.format(java.util.Locale.ROOT, "component %d (%.1f customers)", j, mass));
        continue;
      }
      double[] shift = new double[d];
      double[] mean = new double[d];
      for (int a = 0; a < d; a++) {
        shift[a] = sums.values[base + 1 + a] / mass;
        mean[a] = references[j][a] + shift[a];
      }
      double[][] covariance = new double[d][d];
      int square = base + 1 + d;
      for (int a = 0; a < d; a++) {
        for (int b = 0; b <= a; b++) {
          double value =
              0.5 * (sums.values[square + a * d + b] + sums.values[square + b * d + a]) / mass - shift[a] * shift[b];
          covariance[a][b] = value;
          covariance[b][a] = value;
        }
        covariance[a][a] = Math.max(covariance[a][a], 0.0) + COVARIANCE_FLOOR;
      }
      if (cholesky(covariance) == null) {
        dropped.add(String.format(java.util.Locale.ROOT, "component %d (%.1f customers, covariance not positive definite)", j, mass));
        continue;
      }
      means.add(mean);
      covariances.add(covariance);
      masses.add(mass);
    }
    if (means.isEmpty()) {
      return new Update(null, dropped);
    }
    double total = masses.stream().mapToDouble(Double::doubleValue).sum();
    double[] weights = masses.stream().mapToDouble(m -> m / total).toArray();
    return new Update(
        new MixtureComponents(weights, means.toArray(double[][]::new), covariances.toArray(double[][][]::new)), dropped);
  }

  /** The Cholesky factor of a symmetric matrix, or null if it is not (numerically) positive definite. */
  static double[][] cholesky(double[][] matrix) {
    int d = matrix.length;
    double[][] factor = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        double sum = matrix[a][b];
        for (int c = 0; c < b; c++) {
          sum -= factor[a][c] * factor[b][c];
        }
        if (a == b) {
          if (!(sum > 0) || !Double.isFinite(sum)) {
            return null;
          }
          factor[a][a] = Math.sqrt(sum);
        } else {
          factor[a][b] = sum / factor[b][b];
        }
      }
    }
    return factor;
  }

  private static double[] requireFinite(double[] values, String what) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(what + " is not finite: " + Arrays.toString(values));
      }
    }
    return values;
  }
}
