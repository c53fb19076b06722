package io.customerpyramid.clv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Maximises a {@link LogLikelihood} over the log-parameters with Commons Math 3's BOBYQA (Powell's bounded
 * quadratic-model trust-region method), each log-parameter within {@value #LOG_BOUND} of its start's (each
 * parameter within a factor of about 8,100 of its start, which carries the data's scale: alpha starts at the
 * mean T, v at the mean m); standard errors come from a central-difference Hessian of the analytic gradient at
 * the optimum.
 *
 * <p>Why BOBYQA: real order histories put the maximum on long, nearly flat ridges (when the drop-out
 * probabilities hardly vary between customers, BG/NBD's a and b can grow together with almost no change in
 * the likelihood). A preconditioned conjugate gradient tried first took 300 to 600 iterations there and
 * stopped short of the maximum; BOBYQA's quadratic models cross such ridges in about 300 evaluations of the
 * likelihood, without derivatives, and its bounds keep every trial point where the likelihood is computable.
 * The bounds also stop a search that would follow rounding errors to infinity. Why not Breeze's L-BFGS,
 * which ships with Spark: its objective must be a {@code breeze.optimize.DiffFunction}, and javac can neither
 * implement that trait nor extend a Breeze class that does (Scala's specialised {@code double apply(T)} and
 * {@code Function1}'s {@code Object apply(T)} clash); Commons Math is on the class path through spark-core.
 */
final class MaximumLikelihood {

  /** How far each log-parameter may move from its start. */
  static final double LOG_BOUND = 9;
  /** Evaluations of the likelihood allowed per configured iteration: a BOBYQA iteration is one evaluation, plus its model's set-up. */
  static final int EVALUATIONS_PER_ITERATION = 20;
  /** BOBYQA's starting trust-region radius, in log-parameters: a factor of e^0.5 either way. */
  private static final double INITIAL_RADIUS = 0.5;
  /** Step in the log-parameters for the Hessian: central differences of an analytic gradient are good to ~h^2. */
  private static final double HESSIAN_STEP = 1e-4;
  /** The objective of a trial point whose likelihood is not finite: worse than any real value, still a number. */
  private static final double OUT_OF_REACH = -1e100;

  private MaximumLikelihood() {}

  /**
   * The maximum-likelihood fit, from the given start (natural parameters, clipped into the bounds).
   *
   * @param outOfRange the reason the natural parameters at the optimum are unusable, or null when they are fine
   * @throws ClvFitError when the search does not converge within {@code options.maxIterations()} ×
   *     {@value #EVALUATIONS_PER_ITERATION} evaluations, the likelihood at its end is not finite, or
   *     {@code outOfRange} objects
   */
  static ModelFit fit(LogLikelihood likelihood, double[] start, FitOptions options, Function<double[], String> outOfRange) {
    int n = start.length;
    double[] startLog = Arrays.stream(start).map(Math::log).toArray();
    // Bounds around the start, which carries the data's scale (alpha the mean T, v the mean m): the search is
    // then the same in days or weeks, in euros or in yen.
    double[] lower = Arrays.stream(startLog).map(v -> v - LOG_BOUND).toArray();
    double[] upper = Arrays.stream(startLog).map(v -> v + LOG_BOUND).toArray();
    // The search ends when its trust region is below this: parameters settled to about tolerance^(1/2) relative.
    double stoppingRadius = Math.max(1e-12, Math.sqrt(options.tolerance()) * 1e-1);
    BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * n + 1, INITIAL_RADIUS, stoppingRadius);
    int maxEvaluations = (int) Math.min(Integer.MAX_VALUE, (long) EVALUATIONS_PER_ITERATION * options.maxIterations());
    Search search = new Search(likelihood);
    PointValuePair optimum;
    try {
      optimum =
          optimizer.optimize(
              new MaxEval(maxEvaluations),
              GoalType.MAXIMIZE,
              new InitialGuess(startLog),
              new SimpleBounds(lower, upper),
              new ObjectiveFunction(search::value));
    } catch (TooManyEvaluationsException e) {
      throw search.failure("did not converge within " + maxEvaluations + " evaluations of the likelihood", maxEvaluations);
    } catch (MathIllegalStateException | MathIllegalArgumentException e) {
      throw search.failure("the optimiser stopped: " + e.getMessage(), optimizer.getEvaluations());
    }
    double[] logParameters = optimum.getPoint();
    LikelihoodEvaluation atOptimum = likelihood.evaluate(logParameters, true);
    search.remember(logParameters, atOptimum);
    if (!atOptimum.isFinite()) {
      throw search.failure("non-finite log-likelihood or gradient at the optimum", optimizer.getEvaluations());
    }
    double[] parameters = Arrays.stream(logParameters).map(Math::exp).toArray();
    String problem = outOfRange.apply(parameters);
    if (problem != null) {
      throw search.failure(problem, optimizer.getEvaluations());
    }
    double[] standardErrors = standardErrors(likelihood, logParameters);
    List<ParameterEstimate> estimates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // At a bound the maximum is not a stationary point: no standard error describes it.
      boolean atBound = Math.abs(logParameters[i] - startLog[i]) >= LOG_BOUND - 1e-6;
      estimates.add(new ParameterEstimate(
          likelihood.parameterNames().get(i), parameters[i], atBound ? Double.NaN : standardErrors[i]));
    }
    return new ModelFit(
        likelihood.model(), estimates, atOptimum.value(), likelihood.observations(), likelihood.rows(),
        optimizer.getEvaluations());
  }

  /**
   * se(theta_i) = theta_i se(ln theta_i) (delta method), with the covariance of the log-parameters the inverse
   * of the Hessian of the negative log-likelihood; all NaN when that Hessian is not positive definite.
   */
  static double[] standardErrors(LogLikelihood likelihood, double[] logParameters) {
    int n = logParameters.length;
    double[][] hessian = new double[n][n];
    for (int j = 0; j < n; j++) {
      double[] up = logParameters.clone();
      double[] down = logParameters.clone();
      up[j] += HESSIAN_STEP;
      down[j] -= HESSIAN_STEP;
      double[] gradientUp = likelihood.evaluate(up, true).gradient();
      double[] gradientDown = likelihood.evaluate(down, true).gradient();
      for (int i = 0; i < n; i++) {
        hessian[i][j] = -(gradientUp[i] - gradientDown[i]) / (2 * HESSIAN_STEP);
      }
    }
    double[] standardErrors = new double[n];
    Arrays.fill(standardErrors, Double.NaN);
    RealMatrix symmetric = MatrixUtils.createRealMatrix(hessian);
    symmetric = symmetric.add(symmetric.transpose()).scalarMultiply(0.5);
    try {
      RealMatrix covariance = new CholeskyDecomposition(symmetric).getSolver().getInverse();
      for (int i = 0; i < n; i++) {
        standardErrors[i] = Math.exp(logParameters[i]) * Math.sqrt(covariance.getEntry(i, i));
      }
    } catch (NonPositiveDefiniteMatrixException e) {
      // NaN standard errors: documented on ParameterEstimate.
    }
    return standardErrors;
  }

  /** The function BOBYQA maximises, with the last point it tried: the state a failure reports. */
  private static final class Search {
    private final LogLikelihood likelihood;
    private double[] last;
    private LikelihoodEvaluation lastEvaluation;

    Search(LogLikelihood likelihood) {
      this.likelihood = likelihood;
    }

    double value(double[] logParameters) {
      LikelihoodEvaluation evaluation = likelihood.evaluate(logParameters, false);
      if (!evaluation.isFinite()) {
        // A trial point where the likelihood is not computable is simply worse than any that is.
        return OUT_OF_REACH;
      }
      remember(logParameters, evaluation);
      return evaluation.value();
    }

    void remember(double[] logParameters, LikelihoodEvaluation evaluation) {
      last = logParameters.clone();
      lastEvaluation = evaluation;
    }

    ClvFitError failure(String reason, int evaluations) {
      Map<String, Double> parameters = new LinkedHashMap<>();
      double logLikelihood = Double.NaN;
      double gradientNorm = Double.NaN;
      if (last != null) {
        for (int i = 0; i < last.length; i++) {
          parameters.put(likelihood.parameterNames().get(i), Math.exp(last[i]));
        }
        logLikelihood = lastEvaluation.value();
        LikelihoodEvaluation withGradient = likelihood.evaluate(last, true);
        if (withGradient.isFinite()) {
          gradientNorm = Math.sqrt(Arrays.stream(withGradient.gradient()).map(g -> g * g).sum()) / likelihood.observations();
        }
      }
      return new ClvFitError(likelihood.model(), reason, evaluations, parameters, logLikelihood, gradientNorm);
    }
  }
}
