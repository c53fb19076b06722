-- Customers whose RFM scores differ between the job and DuckDB, per dimension: what to look at when
-- the agreement rule's RFM check fails (both take exact quintile edges, so all three should be 0).
SELECT
  count(*) FILTER (WHERE j.r_score <> d.r_score) AS r_score_differs,
  count(*) FILTER (WHERE j.f_score <> d.f_score) AS f_score_differs,
  count(*) FILTER (WHERE j.m_score <> d.m_score) AS m_score_differs
FROM read_parquet(getvariable('job_customers') || '/*.parquet') j
JOIN read_parquet(getvariable('duckdb_customers')) d USING (customer_id);
