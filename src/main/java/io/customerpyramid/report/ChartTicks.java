package io.customerpyramid.report;

import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.data.Range;

/** Tick spacing for a value axis: about a dozen ticks of 1, 2 or 5 times a power of ten. */
final class ChartTicks {

  static final int TICKS = 12;

  private ChartTicks() {}

  /** The step over the data's range (and 0); whole numbers for counts. */
  static double step(Range data, boolean counts) {
    double span = Math.max(data.getUpperBound(), 0) - Math.min(data.getLowerBound(), 0);
    double raw = span > 0 ? span / TICKS : 1;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude * (raw <= magnitude ? 1 : raw <= 2 * magnitude ? 2 : raw <= 5 * magnitude ? 5 : 10);
    return counts ? Math.max(1, Math.round(step)) : step;
  }

  /** Sets the axis's tick unit to {@link #step}; leaves it alone when there is no data. */
  static void apply(NumberAxis axis, Range data, boolean counts) {
    if (data != null) {
      axis.setTickUnit(new NumberTickUnit(step(data, counts)));
    }
  }
}
