-- Pareto ranking and tiers (docs/tables.md, "Pareto" and "Tiers (the customer pyramid)").
--
-- Customers are ranked by the Pareto measure (pareto.measure = contribution), descending, ties
-- broken by customer id. cumulative_share is the share of the total positive measure (measures
-- clipped at 0) produced by this customer and everyone above it; customer_percentile is
-- rank / customers.
CREATE TABLE customer_pareto AS
WITH measured AS (
  SELECT *, contribution AS pareto_measure, greatest(contribution, 0) AS positive_measure
  FROM customer_rfm
),
ranked AS (
  SELECT
    *,
    row_number() OVER ranking AS pareto_rank,
    -- exact running sum of the positive measure, this customer included
    sum(positive_measure) OVER (ranking ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS positive_up_to,
    sum(positive_measure) OVER () AS positive_total,
    count(*) OVER () AS customers
  FROM measured
  WINDOW ranking AS (ORDER BY pareto_measure DESC NULLS LAST, customer_id ASC)
)
SELECT
  *,
  -- what the customers ranked above this one produce
  positive_up_to - positive_measure AS positive_before,
  CASE WHEN positive_total > 0 THEN CAST(positive_up_to AS DOUBLE) / CAST(positive_total AS DOUBLE) ELSE 0.0 END
    AS cumulative_share,
  pareto_rank / customers AS customer_percentile
FROM ranked;

-- Tiers, mode cumulative-share (0.50 / 0.80 / 0.95): VIP is the smallest set of top customers that
-- together produce at least 50 % of the positive measure (a customer is VIP when the customers
-- ranked above it produce less than 50 %), Major the next ones up to 80 %, Ordinary up to 95 %,
-- Small the rest. Every customer whose measure is <= 0 is Small. Compared here in exact decimals
-- (the job compares double shares with a 1e-9 tolerance).
CREATE TABLE customer_pyramid AS
SELECT
  *,
  CASE
    WHEN pareto_measure IS NULL OR pareto_measure <= 0 THEN 'Small'
    WHEN positive_before < vip_share() * positive_total THEN 'VIP'
    WHEN positive_before < major_share() * positive_total THEN 'Major'
    WHEN positive_before < ordinary_share() * positive_total THEN 'Ordinary'
    ELSE 'Small'
  END AS tier
FROM customer_pareto;
