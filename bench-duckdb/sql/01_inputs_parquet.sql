-- The four inputs as Parquet with typed columns (jobs/bench converts the CSV data set once, with
-- convert/csv_to_parquet.sql): timestamps as TIMESTAMP, dates as DATE, money as DECIMAL(18,2).
-- The job reads such columns as they are typed (a timestamp column needs no pattern, a number no
-- parsing); ids and types are text, trimmed, empty = missing. The same row-level rules as for CSV
-- apply (01_inputs_csv.sql), and rows identical in every column are one row.

CREATE MACRO text_value(raw) AS NULLIF(TRIM(CAST(raw AS VARCHAR)), '');

CREATE MACRO parquet_files(input_name) AS getvariable('data_dir') || '/' || input_name || '/*.parquet';

CREATE VIEW orders_in AS
SELECT
  text_value(order_id) AS order_id,
  text_value(customer_id) AS customer_id,
  CAST(order_ts AS TIMESTAMP) AS order_ts,
  work(amount) AS amount,
  work(discount) AS discount,
  work(cost_of_goods) AS cost_of_goods,
  text_value(order_id) IS NULL
    OR text_value(customer_id) IS NULL
    OR order_ts IS NULL
    OR order_ts < min_date()
    OR amount IS NULL
    OR abs(amount) >= max_abs_amount() AS rejected
FROM (SELECT DISTINCT * FROM read_parquet(parquet_files('orders')));

CREATE VIEW returns_in AS
SELECT
  text_value(order_id) AS order_id,
  text_value(customer_id) AS customer_id,
  CAST(return_ts AS TIMESTAMP) AS return_ts,
  work(abs(refund_amount)) AS refund_amount,
  (text_value(order_id) IS NULL AND text_value(customer_id) IS NULL)
    OR return_ts IS NULL
    OR return_ts < min_date()
    OR refund_amount IS NULL
    OR abs(refund_amount) >= max_abs_amount() AS rejected
FROM (SELECT DISTINCT * FROM read_parquet(parquet_files('returns')));

CREATE VIEW contacts_in AS
SELECT
  text_value(customer_id) AS customer_id,
  CAST(contact_ts AS TIMESTAMP) AS contact_ts,
  lower(text_value(contact_type)) AS contact_type,
  work(handling_cost) AS handling_cost,
  text_value(customer_id) IS NULL
    OR contact_ts IS NULL
    OR contact_ts < min_date()
    OR coalesce(abs(handling_cost) >= max_abs_amount(), false) AS rejected
FROM (SELECT DISTINCT * FROM read_parquet(parquet_files('contacts')));

-- paid_date: null = unpaid. written_off: null = 0.
CREATE VIEW invoices_in AS
SELECT
  text_value(customer_id) AS customer_id,
  CAST(due_date AS DATE) AS due_date,
  CAST(paid_date AS DATE) AS paid_date,
  work(amount) AS amount,
  work(coalesce(written_off, 0)) AS written_off,
  text_value(customer_id) IS NULL
    OR due_date IS NULL
    OR due_date < min_date()
    OR coalesce(paid_date < min_date(), false)
    OR amount IS NULL
    OR abs(amount) >= max_abs_amount()
    OR coalesce(abs(written_off) >= max_abs_amount(), false) AS rejected
FROM (SELECT DISTINCT * FROM read_parquet(parquet_files('invoices')));
