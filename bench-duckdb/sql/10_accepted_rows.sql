-- Accepted rows as of S (docs/tables.md, "Rows after S" and rejects). A row is accepted when no
-- row-level rule rejects it (01_inputs_*.sql) and:
--   * it is dated before the start of day S (orders, returns, contacts) or due before S
--     (invoices): a later row is data of later snapshots, neither accepted nor rejected;
--   * it is not dated after the run's own clock (FUTURE_TIMESTAMP: it cannot be real);
--   * (returns, contacts, invoices) its customer has an accepted order (else UNKNOWN_CUSTOMER);
--     a return without customer id takes the customer of its order (else UNKNOWN_ORDER).

-- Orders and returns: lines of one order (same order_id and customer) are summed. A line is a
-- return line when its value is negative or its order id starts with the cancellation prefix.
-- A line's cost is its cost_of_goods if the input has one, else value x (1 - gross margin), taken
-- positive; a return line's cost counts negative. One row per order, with:
--   order_revenue   sum of the non-return lines with a positive value
--   order_returns   sum of the return lines' values, absolute
--   order_discount  sum of the discounts of the non-return lines
--   order_cost      cost of the non-return lines - cost of the return lines
-- An order is positive when order_revenue > 0.
CREATE VIEW accepted_order_lines AS
SELECT
  order_id,
  customer_id,
  order_ts,
  amount AS line_value,
  coalesce(discount, 0) AS discount,
  work(abs(coalesce(cost_of_goods, work(amount * cost_share())))) AS line_cost,
  starts_with(order_id, cancellation_prefix()) OR amount < 0 AS is_return_line
FROM orders_in
WHERE NOT rejected
  AND order_ts <= CAST(now() AS TIMESTAMP)
  AND order_ts < snapshot_start();

CREATE TABLE orders_by_order AS
SELECT
  customer_id,
  order_id,
  min(order_ts) AS order_ts,
  work(coalesce(sum(line_value) FILTER (WHERE NOT is_return_line AND line_value > 0), 0)) AS order_revenue,
  work(coalesce(sum(abs(line_value)) FILTER (WHERE is_return_line), 0)) AS order_returns,
  work(coalesce(sum(discount) FILTER (WHERE NOT is_return_line), 0)) AS order_discount,
  work(sum(CASE WHEN is_return_line THEN -line_cost ELSE line_cost END)) AS order_cost
FROM accepted_order_lines
GROUP BY customer_id, order_id;

-- The known customers: those with an accepted order line before S.
CREATE TABLE known_customers AS
SELECT DISTINCT customer_id FROM orders_by_order;

CREATE TABLE accepted_returns AS
WITH order_customer AS (
  SELECT order_id, min(customer_id) AS customer_id FROM orders_by_order GROUP BY order_id
)
SELECT coalesce(r.customer_id, o.customer_id) AS customer_id, r.return_ts, r.refund_amount
FROM returns_in r
LEFT JOIN order_customer o ON o.order_id = CASE WHEN r.customer_id IS NULL THEN r.order_id END
WHERE NOT r.rejected
  AND r.return_ts <= CAST(now() AS TIMESTAMP)
  AND r.return_ts < snapshot_start()
  AND coalesce(r.customer_id, o.customer_id) IN (SELECT customer_id FROM known_customers);

-- A contact's handling cost: its own, else the cost of its type, else the default.
CREATE TABLE accepted_contacts AS
SELECT customer_id, contact_ts, contact_type, coalesce(handling_cost, contact_type_cost(contact_type)) AS handling_cost
FROM contacts_in
WHERE NOT rejected
  AND contact_ts <= CAST(now() AS TIMESTAMP)
  AND contact_ts < snapshot_start()
  AND customer_id IN (SELECT customer_id FROM known_customers);

-- Only invoices due before S count (a due date in the future is normal: such an invoice is data
-- of a later snapshot).
CREATE TABLE accepted_invoices AS
SELECT customer_id, due_date, paid_date, amount, written_off
FROM invoices_in
WHERE NOT rejected
  AND due_date < snapshot_date()
  AND customer_id IN (SELECT customer_id FROM known_customers);
