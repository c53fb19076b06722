-- Informational, not part of the agreement rule: customers whose RFM scores differ between the job
-- and DuckDB. The job takes the quintile edges with approxQuantile (relative error 0.001), DuckDB
-- exactly, so a few customers next to an edge may score one apart.
SELECT
  count(*) FILTER (WHERE j.r_score <> d.r_score) AS r_score_differs,
  count(*) FILTER (WHERE j.f_score <> d.f_score) AS f_score_differs,
  count(*) FILTER (WHERE j.m_score <> d.m_score) AS m_score_differs
FROM read_parquet(getvariable('job_customers') || '/*.parquet') j
JOIN read_parquet(getvariable('duckdb_customers')) d USING (customer_id);
