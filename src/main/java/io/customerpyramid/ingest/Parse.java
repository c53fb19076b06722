package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import io.customerpyramid.config.InputSource.CustomerIdFormat;
import io.customerpyramid.schema.RejectReason;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;

/** Column expressions that turn raw input values into typed ones, null where a value does not parse. */
final class Parse {

  /** Digits with an optional all-zero fraction; group 1 is the number without leading zeros. */
  private static final String WHOLE_NUMBER_TEXT = "^0*([0-9]+)(?:\\.0*)?$";

  private static final DataType WHOLE_NUMBER = DataTypes.createDecimalType(38, 0);

  /** A plain decimal literal: optional sign, digits with an optional point, an optional exponent. */
  private static final String PLAIN_NUMBER = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$";
  static final int MAX_NUMBER_LENGTH = 64;

  private Parse() {}

  /** Trimmed text; empty becomes null. */
  static Column text(Column raw) {
    Column trimmed = trim(raw.cast(DataTypes.StringType));
    return when(trimmed.equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(trimmed);
  }

  /** True when the raw value is absent or blank. */
  static Column isBlank(Column raw) {
    return text(raw).isNull();
  }

  /** True when an optional value is present but did not parse (a blank optional value is fine). */
  static Column presentButUnparsable(Column parsed, String rawColumn) {
    return parsed.isNull().and(isBlank(col(rawColumn)).unary_$bang());
  }

  /**
   * A timestamp from a timestamp, date or text column; text is read with the first of the patterns
   * that fits it, in the session time zone.
   */
  static Column timestamp(Dataset<Row> frame, String column, List<String> patterns) {
    DataType type = frame.schema().apply(column).dataType();
    if (type.equals(DataTypes.TimestampType) || type.equals(DataTypes.TimestampNTZType)) {
      return col(column).cast(DataTypes.TimestampType);
    }
    if (type.equals(DataTypes.DateType)) {
      return col(column).cast(DataTypes.TimestampType);
    }
    Column value = text(col(column));
    return coalesce(patterns.stream().map(pattern -> try_to_timestamp(value, lit(pattern))).toArray(Column[]::new));
  }

  /** True when a parsed timestamp or date lies before the first accepted day. */
  static Column beforeMinDate(Column parsed, java.time.LocalDate minDate) {
    return parsed.lt(lit(minDate));
  }

  /** A date from a date, timestamp or text column (text read with the first pattern that fits). */
  static Column date(Dataset<Row> frame, String column, List<String> patterns) {
    return org.apache.spark.sql.functions.to_date(timestamp(frame, column, patterns));
  }

  /**
   * The customer id as text: trimmed ({@code as-is}), or the whole number it holds ({@code integer}:
   * 17850, 17850.0 and " 017850.00 " are all "17850"); null when blank or, as an integer, not whole.
   */
  static Column customerId(Dataset<Row> frame, String column, CustomerIdFormat format) {
    if (format == CustomerIdFormat.AS_IS) {
      return text(col(column));
    }
    DataType type = frame.schema().apply(column).dataType();
    if (type instanceof NumericType) {
      // Often a double (a spreadsheet's number); a double cast to text could read 1.785E7.
      return when(col(column).equalTo(floor(col(column))), col(column).cast(WHOLE_NUMBER).cast(DataTypes.StringType));
    }
    Column value = text(col(column));
    return when(value.rlike(WHOLE_NUMBER_TEXT), regexp_extract(value, WHOLE_NUMBER_TEXT, 1));
  }

  /**
   * An exact decimal of the given type from a numeric or text column; null when the text is not a
   * number or does not fit the type (NaN, infinities, hex or suffixed literals such as 12d).
   */
  static Column decimal(Dataset<Row> frame, String column, DecimalType type) {
    DataType source = frame.schema().apply(column).dataType();
    if (source instanceof NumericType) {
      return col(column).cast(type);
    }
    // try_cast keeps bad text a null (a reject) also when ANSI mode is on.
    Column parsed = expr("try_cast(trim(`" + column.replace("`", "``") + "`) AS " + type.sql() + ")");
    return when(plainNumber(col(column)), parsed);
  }

  /**
   * True when the value is a number but not below {@code limit} in absolute value (or infinite): a
   * plain decimal literal for text, any value but NaN for a numeric column. Text that is not a plain
   * literal (12d, 0x1p4, NaN, 1,5) is not a number at all: {@link #decimal} gives null for it.
   */
  static Column outOfRange(Dataset<Row> frame, String column, BigDecimal limit) {
    DataType source = frame.schema().apply(column).dataType();
    if (source instanceof DecimalType || source.equals(DataTypes.LongType) || source.equals(DataTypes.IntegerType)
        || source.equals(DataTypes.ShortType) || source.equals(DataTypes.ByteType)) {
      return abs(col(column)).geq(lit(limit));
    }
    if (source instanceof NumericType) {
      return isnan(col(column)).unary_$bang().and(abs(col(column)).geq(lit(limit.doubleValue())));
    }
    Column value = trim(col(column).cast(DataTypes.StringType));
    // DECIMAL(38,8) holds every plain literal below 1e30 exactly; null above that is out of range too.
    Column wide = expr("try_cast(trim(`" + column.replace("`", "``") + "`) AS DECIMAL(38,8))");
    Column tooLong = length(value).gt(MAX_NUMBER_LENGTH).and(value.rlike(PLAIN_NUMBER));
    return tooLong.or(plainNumber(col(column)).and(wide.isNull().or(abs(wide).geq(lit(limit)))));
  }

  /**
   * A plain decimal literal of at most {@value #MAX_NUMBER_LENGTH} characters: a longer one (a field
   * of megabytes of digits) would make the decimal parser take time quadratic in its length.
   */
  private static Column plainNumber(Column raw) {
    Column value = trim(raw.cast(DataTypes.StringType));
    return when(length(value).leq(MAX_NUMBER_LENGTH), value.rlike(PLAIN_NUMBER)).otherwise(lit(false));
  }

  /** The checks every input starts with: a file left out, a line that does not fit the header. */
  static List<Check> structureChecks() {
    return new java.util.ArrayList<>(List.of(
        new Check(col(io.customerpyramid.schema.Columns.FILE_PROBLEM).isNotNull(), RejectReason.UNREADABLE_FILE),
        new Check(col(io.customerpyramid.schema.Columns.CORRUPT_RECORD).isNotNull(), RejectReason.MALFORMED_ROW)));
  }

  /** The first reason whose condition holds, or null: rules are checked in the order given. */
  static Column firstReason(Check... checks) {
    return coalesce(
        Arrays.stream(checks)
            .map(check -> when(check.failed(), lit(check.reason().name())))
            .toArray(Column[]::new));
  }

  /** A row-level rule: when {@code failed} holds, the row is rejected with {@code reason}. */
  record Check(Column failed, RejectReason reason) {}
}
