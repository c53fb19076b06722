-- RFM scores, 1-5 per dimension (docs/tables.md, "RFM scores").
-- The quintile edges (20/40/60/80 %) of recency_days, frequency and net_revenue over all
-- customers, nulls left out, exact (quantile_disc: the value of rank ceil(p x n), as the job's
-- ExactQuantiles takes them). jobs/bench's agreement rule requires every customer's three scores
-- to be the same on both sides.
CREATE TABLE rfm_edges AS
SELECT
  quantile_disc(CAST(recency_days AS DOUBLE), [0.2, 0.4, 0.6, 0.8]) AS recency,
  quantile_disc(CAST(frequency AS DOUBLE), [0.2, 0.4, 0.6, 0.8]) AS frequency,
  quantile_disc(CAST(net_revenue AS DOUBLE), [0.2, 0.4, 0.6, 0.8]) AS monetary
FROM customer_features;

-- A score is 1 + the number of edges strictly below the value (frequency, monetary), or 5 - that
-- number (recency: the most recent get 5). It depends on the value only, so equal values get equal
-- scores. A customer without a positive order (recency null) scores recency 1.
CREATE MACRO edges_below(value, edges) AS
  CASE WHEN value IS NOT NULL
       THEN CAST(value > edges[1] AS INTEGER) + CAST(value > edges[2] AS INTEGER)
          + CAST(value > edges[3] AS INTEGER) + CAST(value > edges[4] AS INTEGER)
  END;

CREATE TABLE customer_rfm AS
SELECT
  f.*,
  CAST(coalesce(5 - edges_below(CAST(f.recency_days AS DOUBLE), e.recency), 1) AS INTEGER) AS r_score,
  CAST(1 + edges_below(CAST(f.frequency AS DOUBLE), e.frequency) AS INTEGER) AS f_score,
  CAST(1 + edges_below(CAST(f.net_revenue AS DOUBLE), e.monetary) AS INTEGER) AS m_score
FROM customer_features f, rfm_edges e;
