package io.customerpyramid.ingest;

import io.customerpyramid.config.JobConfig;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Company export files written byte for byte (line endings, encodings, compression) and the ingest steps that read them. */
final class ExportFiles {

  /** A contacts export with a header line. */
  static final String[] CONTACTS = {
    "customer_id,contact_ts,contact_type,handling_cost",
    "c1,2024-01-05 10:00:00,inquiry,2.5",
    "c2,2024-01-06 10:00:00,complaint,"
  };

  private ExportFiles() {}

  static Timestamp utc(String isoInstant) {
    return Timestamp.from(Instant.parse(isoInstant));
  }

  static byte[] lines(Charset charset, String... lines) {
    return (String.join("\r\n", lines) + "\r\n").getBytes(charset);
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  static byte[] bzip2(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream bz = new BZip2CompressorOutputStream(out)) {
      bz.write(bytes);
    }
    return out.toByteArray();
  }

  static String write(Path dir, String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return file.toString();
  }

  /** The UCI "Online Retail" export mapped as a line-level orders input, with further settings. */
  static JobConfig onlineRetail(String file, String... settings) {
    List<String> overrides =
        new ArrayList<>(
            List.of(
                "input.orders.path=" + file,
                "input.orders.granularity=line",
                "input.orders.timestamp_pattern=M/d/yyyy H:mm",
                "input.orders.columns.order_id=InvoiceNo",
                "input.orders.columns.customer_id=CustomerID",
                "input.orders.columns.order_ts=InvoiceDate",
                "input.orders.columns.quantity=Quantity",
                "input.orders.columns.unit_price=UnitPrice",
                "input.orders.columns.amount=",
                "input.orders.columns.discount=",
                "input.orders.columns.cost_of_goods="));
    overrides.addAll(List.of(settings));
    return Fixtures.config(overrides.toArray(String[]::new));
  }

  static CheckedInput orders(JobConfig config) {
    return OrdersIngest.check(
        InputReader.read(SparkTestSession.get(), config.orders()), config.orders(), config.orderRules(), config.costs().grossMarginRate());
  }

  static CheckedInput contacts(JobConfig config) {
    return ContactsIngest.check(InputReader.read(SparkTestSession.get(), config.contacts()), config.contacts(), config.costs());
  }

  /** Raw records of accepted and rejected rows together, by their first source value. */
  /** Every row's raw record as a reject would show it. */
  static List<String> rawRecords(CheckedInput checked) {
    return checked.rows().select(checked.rawRecord().as(Columns.RAW_RECORD)).orderBy(Columns.RAW_RECORD)
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  static Dataset<Row> orderLines(Object[]... rows) {
    StructType schema =
        new StructType()
            .add(Columns.ORDER_ID, DataTypes.StringType)
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(Columns.ORDER_TS, DataTypes.TimestampType)
            .add(Columns.LINE_VALUE, Money.WORK);
    return Fixtures.frame(schema, rows);
  }

  static Dataset<Row> contactCosts(Object[]... rows) {
    StructType schema =
        new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(Columns.HANDLING_COST, Money.WORK);
    return Fixtures.frame(schema, rows);
  }
}
