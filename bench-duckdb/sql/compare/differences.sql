-- On disagreement: the customers whose tier or contribution differ, or who are on one side only,
-- largest contribution difference first (job_customers and duckdb_customers: agreement.sql).
SELECT
  coalesce(j.customer_id, d.customer_id) AS customer_id,
  j.tier AS job_tier,
  d.tier AS duckdb_tier,
  j.contribution AS job_contribution,
  d.contribution AS duckdb_contribution,
  coalesce(j.contribution, 0) - coalesce(d.contribution, 0) AS difference
FROM job_customers j
FULL OUTER JOIN duckdb_customers d USING (customer_id)
WHERE j.customer_id IS NULL OR d.customer_id IS NULL
   OR j.tier <> d.tier OR j.contribution <> d.contribution
ORDER BY abs(coalesce(j.contribution, 0) - coalesce(d.contribution, 0)) DESC, customer_id
LIMIT 20;
