package io.customerpyramid.output;

import java.time.Duration;

/**
 * Named points of a run where a test kills the job ({@code kill -9}) to check that no moment leaves a
 * mixed or half-published snapshot. With {@code -Dcustomer_pyramid.crash_at=<point>}, the run prints
 * {@code CRASH POINT <point>} when it gets there and waits to be killed; without it, nothing happens.
 * The points: {@code after:<stage>} at every stage boundary, {@code write:<table>} after each table
 * written, and the steps of the publish (docs/reliability.md).
 */
public final class CrashPoints {

  public static final String PROPERTY = "customer_pyramid.crash_at";
  private static final Duration WAIT = Duration.ofMinutes(5);

  private CrashPoints() {}

  public static void reach(String point) {
    if (!point.equals(System.getProperty(PROPERTY))) {
      return;
    }
    System.out.println("CRASH POINT " + point + ": waiting to be killed");
    System.out.flush();
    try {
      Thread.sleep(WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Not killed in time: die the same way, without finally blocks or shutdown hooks.
    Runtime.getRuntime().halt(137);
  }
}
