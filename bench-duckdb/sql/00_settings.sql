-- The customer pyramid in DuckDB SQL: the executable spec of the metrics of docs/tables.md.
--
-- jobs/bench runs these files in the order of their numbers (01_inputs_<format>.sql only for the
-- input format benchmarked) in one in-memory DuckDB database, with these variables set:
--   data_dir       the data set's directory for the format (orders/, returns/, contacts/, invoices/)
--   out_dir        where 50_write.sql writes its Parquet files
--   snapshot_date  S, 'yyyy-MM-dd' (jobs/bench passes the same S to the job)
--
-- The settings below are the defaults of conf/segmentation.conf, which is what jobs/bench runs the
-- job with. A key changed there must be changed here too, or the two will (rightly) disagree.

-- input.time_zone: timestamps without an offset are read, and dates are taken, in UTC.
SET TimeZone = 'UTC';

-- Snapshot S: everything is computed as of the start of day S.
CREATE MACRO snapshot_date() AS CAST(getvariable('snapshot_date') AS DATE);
CREATE MACRO snapshot_start() AS CAST(snapshot_date() AS TIMESTAMP);

-- snapshot.lookback_days = 0: frequency, monetary and cost features use all history. With N > 0
-- they would use the N days before S (recency and tenure always use all history).
CREATE MACRO lookback_days() AS 0;
CREATE MACRO in_lookback(ts) AS lookback_days() = 0 OR CAST(ts AS DATE) >= snapshot_date() - lookback_days();

-- input.min_date and input.max_abs_amount: earlier dates and larger amounts are rejected.
CREATE MACRO min_date() AS DATE '1900-01-01';
CREATE MACRO max_abs_amount() AS 1e12;

-- input.orders.cancellation_prefix: an order id starting with it is a cancellation (a return line).
CREATE MACRO cancellation_prefix() AS 'C';

-- costs.gross_margin_rate = 0.40: without a cost of goods, a line costs value x (1 - 0.40). As an
-- exact decimal, as the job holds it (no binary fraction enters the sums).
CREATE MACRO cost_share() AS CAST(1 - 0.40 AS DECIMAL(28, 8));

-- costs.contact_type_costs and costs.default_contact_cost: the handling cost of a contact without
-- a cost of its own, by its (lower-case) type.
CREATE MACRO contact_type_cost(contact_type) AS CAST(
  CASE contact_type
    WHEN 'inquiry' THEN 3.0
    WHEN 'complaint' THEN 20.0
    WHEN 'technical' THEN 12.0
    WHEN 'billing' THEN 6.0
    ELSE 5.0
  END AS DECIMAL(28, 8));

-- costs.complaint_types = ["complaint"].
CREATE MACRO is_complaint(contact_type) AS coalesce(contact_type IN ('complaint'), false);

-- tiers.mode = cumulative-share, tiers.cumulative_share_thresholds = [0.50, 0.80, 0.95].
CREATE MACRO vip_share() AS 0.50;
CREATE MACRO major_share() AS 0.80;
CREATE MACRO ordinary_share() AS 0.95;

-- Money: every stored amount is DECIMAL(18,2), rounded once, half up (away from zero, as DuckDB's
-- decimal cast and Spark's both round), from exact sums kept to 8 decimals.
CREATE MACRO stored(amount) AS CAST(amount AS DECIMAL(18, 2));
CREATE MACRO work(amount) AS CAST(amount AS DECIMAL(28, 8));
