package io.customerpyramid.clv;

import java.util.stream.IntStream;

/**
 * Weighted sums of per-row log-likelihoods and their gradients over fixed blocks of rows, the blocks run in
 * parallel and added in a fixed order, so that the result is the same bits whatever the threads did.
 */
final class RowSums {

  /** Large enough that a block's work dwarfs the cost of handing it to a thread. */
  static final int BLOCK_ROWS = 16_384;

  /** Adds the rows [from, to) to an accumulator. */
  @FunctionalInterface
  interface Block {
    void add(int from, int to, Accumulator sums);
  }

  private RowSums() {}

  static LikelihoodEvaluation sum(int rows, int dimension, boolean withDerivatives, Block block) {
    int blocks = Math.max(1, (rows + BLOCK_ROWS - 1) / BLOCK_ROWS);
    Accumulator[] partial = new Accumulator[blocks];
    IntStream indices = IntStream.range(0, blocks);
    (blocks > 1 ? indices.parallel() : indices)
        .forEach(
            i -> {
              Accumulator sums = new Accumulator(dimension, withDerivatives);
              block.add(i * BLOCK_ROWS, Math.min(rows, (i + 1) * BLOCK_ROWS), sums);
              partial[i] = sums;
            });
    Accumulator total = new Accumulator(dimension, withDerivatives);
    for (Accumulator sums : partial) {
      total.addAll(sums);
    }
    return total.evaluation();
  }

  /** The running sums of one block. */
  static final class Accumulator {
    private final int dimension;
    private double value;
    private final double[] gradient;

    private Accumulator(int dimension, boolean withDerivatives) {
      this.dimension = dimension;
      this.gradient = withDerivatives ? new double[dimension] : null;
    }

    void addValue(double weight, double logLikelihood) {
      value += weight * logLikelihood;
    }

    void addGradient(double weight, double[] rowGradient) {
      for (int i = 0; i < dimension; i++) {
        gradient[i] += weight * rowGradient[i];
      }
    }

    private void addAll(Accumulator other) {
      value += other.value;
      if (gradient != null) {
        for (int i = 0; i < dimension; i++) {
          gradient[i] += other.gradient[i];
        }
      }
    }

    private LikelihoodEvaluation evaluation() {
      return new LikelihoodEvaluation(value, gradient);
    }
  }
}
