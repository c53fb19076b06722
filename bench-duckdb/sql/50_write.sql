-- The result as Parquet: one row per customer (the columns of customer_segments that these files
-- define: features, RFM scores, Pareto rank and shares, tier), and the tier summary.
COPY (
  SELECT
    customer_id, tier,
    CASE tier WHEN 'VIP' THEN 1 WHEN 'Major' THEN 2 WHEN 'Ordinary' THEN 3 ELSE 4 END AS tier_rank,
    r_score, f_score, m_score,
    CAST(r_score AS VARCHAR) || CAST(f_score AS VARCHAR) || CAST(m_score AS VARCHAR) AS rfm_code,
    pareto_measure, pareto_rank, cumulative_share, customer_percentile,
    first_order_date, last_order_date, recency_days, tenure_days, frequency,
    revenue, returns, net_revenue, avg_order_value, discount_amount, discount_rate, return_rate,
    cost_of_goods, service_cost, contact_count, complaint_count, invoice_count,
    late_payment_rate, avg_days_late, bad_debt, contribution
  FROM customer_pyramid
  ORDER BY pareto_rank
) TO (getvariable('out_dir') || '/customer_pyramid.parquet') (FORMAT parquet);

-- tier_summary's counts and money: exact sums of the customer rows.
COPY (
  SELECT
    tier,
    count(*) AS customers,
    sum(revenue) AS revenue,
    sum(net_revenue) AS net_revenue,
    sum(contribution) AS contribution
  FROM customer_pyramid
  GROUP BY tier
  ORDER BY min(CASE tier WHEN 'VIP' THEN 1 WHEN 'Major' THEN 2 WHEN 'Ordinary' THEN 3 ELSE 4 END)
) TO (getvariable('out_dir') || '/tier_summary.parquet') (FORMAT parquet);
