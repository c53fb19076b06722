-- The four inputs as CSV, read the way the job reads them (README, "Running it on your data"):
-- a header line, ',' between fields, '"' quoting, every column as text, so that a bad value makes
-- a rejected row rather than a failed read. Then each value is parsed as the job parses it:
--   text        trimmed; empty is missing (null)
--   number      a plain decimal literal (sign, digits, point, exponent; not 12d, 0x1p4, NaN, 1,5)
--               of at most 64 characters, as DECIMAL(20,8): 8 decimals, rounded half up; a number
--               of 1e12 or more in absolute value does not fit and is rejected
--   timestamp   input.<name>.timestamp_pattern = yyyy-MM-dd HH:mm:ss; a date: yyyy-MM-dd
--
-- Each input view also says whether the row is rejected by a row-level rule (docs/tables.md,
-- rejects: a missing id, timestamp or amount, an unparsable or out-of-range value, a date before
-- input.min_date). The snapshot rules (after S, unknown customer or order) come in
-- 10_accepted_rows.sql. Rows identical in every source column are one row (deduplicate =
-- "source-row": the first copy is kept, the others are DUPLICATE_ROW rejects).

CREATE MACRO text_value(raw) AS NULLIF(TRIM(CAST(raw AS VARCHAR)), '');

-- (DECIMAL(18,8) first, DECIMAL(20,8) only for what does not fit it: the same value, but DuckDB
-- parses text into a decimal of more than 18 digits much more slowly.)
CREATE MACRO parse_number(raw) AS
  CASE
    WHEN length(text_value(raw)) <= 64
     AND regexp_full_match(text_value(raw), '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?')
    THEN coalesce(TRY_CAST(text_value(raw) AS DECIMAL(18, 8)), TRY_CAST(text_value(raw) AS DECIMAL(20, 8)))
  END;

CREATE MACRO parse_timestamp(raw) AS TRY_STRPTIME(text_value(raw), '%Y-%m-%d %H:%M:%S');
CREATE MACRO parse_date(raw) AS CAST(TRY_STRPTIME(text_value(raw), '%Y-%m-%d') AS DATE);

-- An optional value may be blank, but if present it must parse.
CREATE MACRO bad_optional(raw, parsed) AS text_value(raw) IS NOT NULL AND parsed IS NULL;

CREATE MACRO csv_files(input_name) AS getvariable('data_dir') || '/' || input_name || '/*.csv';

CREATE VIEW orders_in AS
SELECT
  text_value(order_id) AS order_id,
  text_value(customer_id) AS customer_id,
  parse_timestamp(order_ts) AS order_ts,
  parse_number(amount) AS amount,
  parse_number(discount) AS discount,
  parse_number(cost_of_goods) AS cost_of_goods,
  text_value(order_id) IS NULL
    OR text_value(customer_id) IS NULL
    OR parse_timestamp(order_ts) IS NULL
    OR parse_timestamp(order_ts) < min_date()
    OR parse_number(amount) IS NULL
    OR bad_optional(discount, parse_number(discount))
    OR bad_optional(cost_of_goods, parse_number(cost_of_goods)) AS rejected
FROM (
  SELECT DISTINCT *
  FROM read_csv(csv_files('orders'), header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
);

-- A return needs a customer id or an order id (its customer is then the order's).
CREATE VIEW returns_in AS
SELECT
  text_value(order_id) AS order_id,
  text_value(customer_id) AS customer_id,
  parse_timestamp(return_ts) AS return_ts,
  abs(parse_number(refund_amount)) AS refund_amount,
  (text_value(order_id) IS NULL AND text_value(customer_id) IS NULL)
    OR parse_timestamp(return_ts) IS NULL
    OR parse_timestamp(return_ts) < min_date()
    OR parse_number(refund_amount) IS NULL AS rejected
FROM (
  SELECT DISTINCT *
  FROM read_csv(csv_files('returns'), header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
);

CREATE VIEW contacts_in AS
SELECT
  text_value(customer_id) AS customer_id,
  parse_timestamp(contact_ts) AS contact_ts,
  lower(text_value(contact_type)) AS contact_type,
  parse_number(handling_cost) AS handling_cost,
  text_value(customer_id) IS NULL
    OR parse_timestamp(contact_ts) IS NULL
    OR parse_timestamp(contact_ts) < min_date()
    OR bad_optional(handling_cost, parse_number(handling_cost)) AS rejected
FROM (
  SELECT DISTINCT *
  FROM read_csv(csv_files('contacts'), header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
);

-- paid_date: empty = unpaid. written_off: empty = 0.
CREATE VIEW invoices_in AS
SELECT
  text_value(customer_id) AS customer_id,
  parse_date(due_date) AS due_date,
  parse_date(paid_date) AS paid_date,
  parse_number(amount) AS amount,
  coalesce(parse_number(written_off), 0) AS written_off,
  text_value(customer_id) IS NULL
    OR parse_date(due_date) IS NULL
    OR bad_optional(paid_date, parse_date(paid_date))
    OR parse_date(due_date) < min_date()
    OR coalesce(parse_date(paid_date) < min_date(), false)
    OR parse_number(amount) IS NULL
    OR bad_optional(written_off, parse_number(written_off)) AS rejected
FROM (
  SELECT DISTINCT *
  FROM read_csv(csv_files('invoices'), header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
);
