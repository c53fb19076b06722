-- customer_features (docs/tables.md, "Metric definitions"): one row per customer with an
-- accepted order. Sums are exact (8 decimals); each stored money column is rounded to cents once,
-- and net_revenue and contribution are taken of the rounded columns, so that
-- net_revenue = revenue - returns and
-- contribution = net_revenue - cost_of_goods - service_cost - bad_debt hold exactly in every row.

-- Orders per customer. "In the lookback" is all history with snapshot.lookback_days = 0.
CREATE TABLE customer_orders AS
SELECT
  customer_id,
  -- frequency: number of distinct positive orders in the lookback
  count(*) FILTER (WHERE order_revenue > 0 AND in_lookback(order_ts)) AS frequency,
  -- first and last positive order (all history): tenure and recency
  min(order_ts) FILTER (WHERE order_revenue > 0) AS first_positive_order_ts,
  max(order_ts) FILTER (WHERE order_revenue > 0) AS last_positive_order_ts,
  -- revenue: sum of the positive (non-return) line values in the lookback
  work(coalesce(sum(order_revenue) FILTER (WHERE in_lookback(order_ts)), 0)) AS revenue,
  -- returned / cancelled line values (absolute) in the lookback; refunds are added below
  work(coalesce(sum(order_returns) FILTER (WHERE in_lookback(order_ts)), 0)) AS order_returns,
  -- discount_amount: sum of the discounts of non-return lines in the lookback
  work(coalesce(sum(order_discount) FILTER (WHERE in_lookback(order_ts)), 0)) AS discount_amount,
  -- cost of the positive lines - cost of the return lines, in the lookback
  work(coalesce(sum(order_cost) FILTER (WHERE in_lookback(order_ts)), 0)) AS order_cost
FROM orders_by_order
GROUP BY customer_id;

-- Refunds of the returns input in the lookback.
CREATE TABLE customer_refunds AS
SELECT customer_id, work(coalesce(sum(refund_amount) FILTER (WHERE in_lookback(return_ts)), 0)) AS refunds
FROM accepted_returns
GROUP BY customer_id;

CREATE TABLE customer_contacts AS
SELECT
  customer_id,
  -- service_cost: sum of the handling costs of the customer's contacts in the lookback
  work(coalesce(sum(handling_cost) FILTER (WHERE in_lookback(contact_ts)), 0)) AS service_cost,
  -- contact_count, complaint_count: contacts, and contacts of a complaint type, in the lookback
  count(*) FILTER (WHERE in_lookback(contact_ts)) AS contact_count,
  count(*) FILTER (WHERE in_lookback(contact_ts) AND is_complaint(contact_type)) AS complaint_count
FROM accepted_contacts
GROUP BY customer_id;

-- Invoices due before S (and in the lookback). A payment on or after S is not known as of S: such
-- an invoice counts as unpaid.
CREATE TABLE customer_invoices AS
WITH due AS (
  SELECT
    customer_id,
    written_off,
    CASE WHEN paid_date < snapshot_date() THEN paid_date END AS paid_as_of_s,
    due_date
  FROM accepted_invoices
  WHERE due_date < snapshot_date() AND in_lookback(due_date)
)
SELECT
  customer_id,
  -- invoice_count: invoices due before S
  count(*) AS invoice_count,
  -- late: paid after the due date, or not paid before S
  count(*) FILTER (WHERE paid_as_of_s IS NULL OR paid_as_of_s > due_date) AS late_invoices,
  -- avg_days_late: mean of max(0, (paid date, or S if unpaid as of S) - due date)
  avg(greatest(coalesce(paid_as_of_s, snapshot_date()) - due_date, 0)) AS avg_days_late,
  -- bad_debt: sum of written_off over those invoices
  work(sum(written_off)) AS bad_debt
FROM due
GROUP BY customer_id;

-- A non-negative amount divided by a count, rounded half up to cents, exactly (a DECIMAL divided
-- in DuckDB is a DOUBLE): in whole cents, (2 x cents + n) // (2 x n).
CREATE MACRO cents_divided(amount, n) AS
  stored(CAST((2 * CAST(amount * 100 AS HUGEINT) + n) // (2 * n) AS DECIMAL(18, 0)) * 0.01);

CREATE TABLE customer_features AS
WITH joined AS (
  SELECT
    o.*,
    coalesce(r.refunds, 0) AS refunds,
    coalesce(c.service_cost, 0) AS service_cost_exact,
    coalesce(c.contact_count, 0) AS contact_count,
    coalesce(c.complaint_count, 0) AS complaint_count,
    coalesce(i.invoice_count, 0) AS invoice_count,
    coalesce(i.late_invoices, 0) AS late_invoices,
    i.avg_days_late,
    coalesce(i.bad_debt, 0) AS bad_debt_exact
  FROM customer_orders o
  LEFT JOIN customer_refunds r USING (customer_id)
  LEFT JOIN customer_contacts c USING (customer_id)
  LEFT JOIN customer_invoices i USING (customer_id)
),
money AS (
  SELECT
    *,
    stored(revenue) AS revenue_stored,
    -- returns: returned / cancelled line values + refunds, in the lookback
    stored(order_returns + refunds) AS returns_stored,
    -- cost_of_goods: cost of the positive lines - cost of the return lines - refunds x (1 - gross margin)
    stored(order_cost - work(refunds * cost_share())) AS cost_of_goods_stored,
    stored(service_cost_exact) AS service_cost_stored,
    stored(bad_debt_exact) AS bad_debt_stored
  FROM joined
)
SELECT
  customer_id,
  CAST(first_positive_order_ts AS DATE) AS first_order_date,
  CAST(last_positive_order_ts AS DATE) AS last_order_date,
  -- recency_days: S - date of the last positive order; null if the customer never had one
  CAST(snapshot_date() - CAST(last_positive_order_ts AS DATE) AS INTEGER) AS recency_days,
  -- tenure_days: S - date of the first positive order
  CAST(snapshot_date() - CAST(first_positive_order_ts AS DATE) AS INTEGER) AS tenure_days,
  frequency,
  revenue_stored AS revenue,
  returns_stored AS returns,
  -- net_revenue: revenue - returns
  stored(revenue_stored - returns_stored) AS net_revenue,
  -- avg_order_value: revenue / frequency; null when frequency is 0
  CASE WHEN frequency > 0 THEN cents_divided(revenue_stored, frequency) END AS avg_order_value,
  stored(discount_amount) AS discount_amount,
  -- discount_rate: discount / (revenue + discount); 0 when both are 0
  CASE WHEN revenue_stored + stored(discount_amount) > 0
       THEN round(CAST(stored(discount_amount) AS DOUBLE) / CAST(revenue_stored + stored(discount_amount) AS DOUBLE), 6)
       ELSE 0.0 END AS discount_rate,
  -- return_rate: returns / revenue; null when revenue is 0
  CASE WHEN revenue_stored > 0 THEN round(CAST(returns_stored AS DOUBLE) / CAST(revenue_stored AS DOUBLE), 6) END AS return_rate,
  cost_of_goods_stored AS cost_of_goods,
  service_cost_stored AS service_cost,
  contact_count,
  complaint_count,
  invoice_count,
  -- late_payment_rate: share of the due invoices paid late or not paid before S; null without any
  CASE WHEN invoice_count > 0 THEN round(late_invoices / invoice_count, 6) END AS late_payment_rate,
  round(avg_days_late, 6) AS avg_days_late,
  bad_debt_stored AS bad_debt,
  -- contribution: net_revenue - cost_of_goods - service_cost - bad_debt, the customer's profit
  stored(stored(revenue_stored - returns_stored) - cost_of_goods_stored - service_cost_stored - bad_debt_stored) AS contribution
FROM money;
