package io.customerpyramid.generate;

import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS_PER_DAY;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS_PER_HOUR;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/** Dates, timestamps and amounts as the text the inputs hold, computed without the session time zone. */
final class EventText {

  private final LocalDate historyStart;

  EventText(LocalDate historyStart) {
    this.historyStart = historyStart;
  }

  static Column money(Column decimal) {
    return decimal.cast(DataTypes.StringType);
  }

  /** {@code yyyy-MM-dd} of a day number, without going through the session time zone. */
  Column date(Column day) {
    return date_add(lit(historyStart), day.cast(DataTypes.IntegerType)).cast(DataTypes.StringType);
  }

  /** {@code yyyy-MM-dd HH:mm:ss} (UTC wall clock) of seconds since the history start, time-zone free. */
  Column timestamp(Column seconds) {
    Column secondOfDay = seconds.mod(SECONDS_PER_DAY);
    return concat(
        date(floor(seconds.divide(SECONDS_PER_DAY))),
        lit(" "),
        twoDigits(floor(secondOfDay.divide(SECONDS_PER_HOUR))),
        lit(":"),
        twoDigits(floor(secondOfDay.mod(SECONDS_PER_HOUR).divide(60))),
        lit(":"),
        twoDigits(secondOfDay.mod(60)));
  }

  private static Column twoDigits(Column number) {
    return lpad(number.cast(DataTypes.StringType), 2, "0");
  }
}
