-- The agreement rule of jobs/bench: the job's published customer_segments (job_customers: the run
-- directory its manifest names) and the DuckDB result (duckdb_customers) must have the same
-- number of customers, the same customers per tier, the same total contribution to the cent
-- (exact DECIMAL sums, no rounding), and every customer the same RFM scores (both take exact
-- quintile edges). One row per check; jobs/bench fails (exit 3) if any differs.
CREATE VIEW job_customers AS
SELECT customer_id, tier, contribution, r_score, f_score, m_score
FROM read_parquet(getvariable('job_customers') || '/*.parquet');

CREATE VIEW duckdb_customers AS
SELECT customer_id, tier, contribution, r_score, f_score, m_score
FROM read_parquet(getvariable('duckdb_customers'));

WITH tiers(tier, tier_rank) AS (VALUES ('VIP', 1), ('Major', 2), ('Ordinary', 3), ('Small', 4)),
checks AS (
  SELECT 0 AS position, 'customers' AS check_name,
         CAST((SELECT count(*) FROM job_customers) AS VARCHAR) AS job,
         CAST((SELECT count(*) FROM duckdb_customers) AS VARCHAR) AS duckdb
  UNION ALL
  SELECT t.tier_rank, 'customers ' || t.tier,
         CAST((SELECT count(*) FROM job_customers j WHERE j.tier = t.tier) AS VARCHAR),
         CAST((SELECT count(*) FROM duckdb_customers d WHERE d.tier = t.tier) AS VARCHAR)
  FROM tiers t
  UNION ALL
  SELECT 5, 'total contribution',
         CAST((SELECT coalesce(sum(contribution), 0) FROM job_customers) AS VARCHAR),
         CAST((SELECT coalesce(sum(contribution), 0) FROM duckdb_customers) AS VARCHAR)
  UNION ALL
  SELECT 6, 'same RFM scores',
         CAST((SELECT count(*) FROM job_customers j JOIN duckdb_customers d USING (customer_id)
               WHERE j.r_score = d.r_score AND j.f_score = d.f_score AND j.m_score = d.m_score) AS VARCHAR),
         CAST((SELECT count(*) FROM duckdb_customers) AS VARCHAR)
)
SELECT check_name, job, duckdb, job = duckdb AS agrees FROM checks ORDER BY position;
