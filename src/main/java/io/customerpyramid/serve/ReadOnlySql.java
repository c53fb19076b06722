package io.customerpyramid.serve;

import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * The Spark session extension ({@code spark.sql.extensions}) that makes {@code serve} read-only: a
 * check rule runs {@link ReadOnlyCheck} on every analyzed statement of every client session, before
 * anything executes, and refuses with {@link ReadOnlyViolation}.
 */
public final class ReadOnlySql extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

  /** Set only on the thread that starts the server, while it prepares the catalog: no client runs yet. */
  private static final ThreadLocal<Boolean> SERVER_ITSELF = ThreadLocal.withInitial(() -> false);

  /** Runs the server's own setup statements (CREATE DATABASE IF NOT EXISTS) past the check. */
  public static <T> T asServer(java.util.function.Supplier<T> setup) {
    SERVER_ITSELF.set(true);
    try {
      return setup.get();
    } finally {
      SERVER_ITSELF.set(false);
    }
  }

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectCheckRule(session -> new AbstractFunction1<LogicalPlan, BoxedUnit>() {
      @Override
      public BoxedUnit apply(LogicalPlan plan) {
        if (SERVER_ITSELF.get()) {
          return BoxedUnit.UNIT;
        }
        ReadOnlyCheck.violation(plan).ifPresent(reason -> {
          throw new ReadOnlyViolation("customer-pyramid serve is read-only: " + reason);
        });
        return BoxedUnit.UNIT;
      }
    });
    return BoxedUnit.UNIT;
  }
}
