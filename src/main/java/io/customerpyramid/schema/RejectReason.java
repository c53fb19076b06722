package io.customerpyramid.schema;

/** Why an input row was rejected; the code is what the rejects table holds. */
public enum RejectReason {
  /**
   * A file that cannot be read as the input (its first line is not the header, binary content, a
   * compression that does not open), left out with {@code on_bad_file = "skip"}: one reject row
   * per file, whatever its line count; raw_record says why.
   */
  UNREADABLE_FILE,
  /** The CSV line could not be split into the header's columns. */
  MALFORMED_ROW,
  MISSING_ORDER_ID,
  MISSING_CUSTOMER_ID,
  /** {@code customer_id_format = "integer"} and the customer id is not a whole number (17850.5, text). */
  NON_INTEGER_CUSTOMER_ID,
  MISSING_TIMESTAMP,
  UNPARSABLE_TIMESTAMP,
  MISSING_AMOUNT,
  NON_NUMERIC_AMOUNT,
  NON_NUMERIC_QUANTITY,
  NON_NUMERIC_UNIT_PRICE,
  NON_NUMERIC_DISCOUNT,
  NON_NUMERIC_COST,
  /** A number not below {@code input.max_abs_amount} in absolute value (1e308, an overflow), or infinite. */
  AMOUNT_OUT_OF_RANGE,
  /** A timestamp or date before {@code input.min_date} (year 1, 0001-01-01: a placeholder or a typo). */
  DATE_OUT_OF_RANGE,
  MISSING_DUE_DATE,
  UNPARSABLE_DATE,
  /**
   * Another row of the same order and customer (orders, returns) or customer (contacts, invoices) is
   * equal in the compared source columns ({@code deduplicate}: by default every source column as read,
   * mapped or not): the same row exported twice. The first copy is kept.
   */
  DUPLICATE_ROW,
  /**
   * Timestamp after the run's own clock: cannot be real (a typo, a wrong time zone). A valid row
   * dated at or after the snapshot day but not in the future is not a reject (see
   * {@code CheckedInput.AFTER_SNAPSHOT}).
   */
  FUTURE_TIMESTAMP,
  /** The customer has no accepted order. */
  UNKNOWN_CUSTOMER,
  /** A return without customer id whose order id is not among the accepted orders. */
  UNKNOWN_ORDER
}
