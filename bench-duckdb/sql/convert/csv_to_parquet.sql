-- Converts the generator's CSV data set (csv_dir) to Parquet with typed columns (parquet_dir): the
-- same rows, one file per input. Timestamps become TIMESTAMP, dates DATE and money DECIMAL(18,2)
-- (the generator writes cents); ids and types stay text. A value that does not convert stops the
-- conversion: jobs/bench converts only data sets it generated without bad rows.
SET TimeZone = 'UTC';

COPY (
  SELECT * FROM read_csv(getvariable('csv_dir') || '/orders/*.csv', header = true, auto_detect = false,
    columns = {'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'order_ts': 'TIMESTAMP',
               'amount': 'DECIMAL(18,2)', 'discount': 'DECIMAL(18,2)', 'cost_of_goods': 'DECIMAL(18,2)'})
) TO (getvariable('parquet_dir') || '/orders/orders.parquet') (FORMAT parquet);

COPY (
  SELECT * FROM read_csv(getvariable('csv_dir') || '/returns/*.csv', header = true, auto_detect = false,
    columns = {'return_id': 'VARCHAR', 'order_id': 'VARCHAR', 'customer_id': 'VARCHAR',
               'return_ts': 'TIMESTAMP', 'refund_amount': 'DECIMAL(18,2)'})
) TO (getvariable('parquet_dir') || '/returns/returns.parquet') (FORMAT parquet);

COPY (
  SELECT * FROM read_csv(getvariable('csv_dir') || '/contacts/*.csv', header = true, auto_detect = false,
    columns = {'contact_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'contact_ts': 'TIMESTAMP',
               'contact_type': 'VARCHAR', 'handling_cost': 'DECIMAL(18,2)'})
) TO (getvariable('parquet_dir') || '/contacts/contacts.parquet') (FORMAT parquet);

COPY (
  SELECT * FROM read_csv(getvariable('csv_dir') || '/invoices/*.csv', header = true, auto_detect = false,
    columns = {'invoice_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'due_date': 'DATE', 'paid_date': 'DATE',
               'amount': 'DECIMAL(18,2)', 'written_off': 'DECIMAL(18,2)'})
) TO (getvariable('parquet_dir') || '/invoices/invoices.parquet') (FORMAT parquet);
