package io.customerpyramid.generate;

import static io.customerpyramid.generate.SyntheticDataGenerator.AMOUNT_VALUE;
import static io.customerpyramid.generate.SyntheticDataGenerator.CANCELLATION_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.CANCELLED;
import static io.customerpyramid.generate.SyntheticDataGenerator.CANCEL_SECONDS;
import static io.customerpyramid.generate.SyntheticDataGenerator.DECIMAL;
import static io.customerpyramid.generate.SyntheticDataGenerator.EVENT_ID_DIGITS;
import static io.customerpyramid.generate.SyntheticDataGenerator.IDX;
import static io.customerpyramid.generate.SyntheticDataGenerator.KIND;
import static io.customerpyramid.generate.SyntheticDataGenerator.KIND_CANCELLATION;
import static io.customerpyramid.generate.SyntheticDataGenerator.ORDER_PREFIX;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS_PER_DAY;
import static io.customerpyramid.generate.SyntheticDataGenerator.SECONDS_PER_HOUR;
import static io.customerpyramid.generate.SyntheticDataGenerator.SEQ;
import static io.customerpyramid.generate.SyntheticDataGenerator.customerId;
import static io.customerpyramid.generate.SyntheticDataGenerator.eventNumber;
import static io.customerpyramid.generate.SyntheticDataGenerator.kinds;
import static io.customerpyramid.generate.SyntheticDataGenerator.prefixed;
import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The orders input at line level, shaped like the public "Online Retail" export: one row per
 * product line of an invoice, columns {@link #COLUMNS}, dates as {@link #TIMESTAMP_PATTERN} text.
 *
 * <p>Every order of the order-level model is an invoice with the order's id as InvoiceNo (so
 * returns and invoices still refer to it), its customer and its time truncated to the minute; its
 * cancellation is the invoice {@code C...} with the same lines at negative quantity, dated at the
 * cancellation time. An invoice has {@code 1 + floor(Exp(mean 3))} lines (at most {@value
 * #MAX_LINES}; about 28% have one line, four on average). The lines split the order's paid amount:
 * line i gets the share {@code w_i / sum(w)} with {@code w_i = 0.05 + Exp(1)}; its quantity is 1,
 * 2, 3, 4, 6, 12 or 24 (30, 20, 10, 10, 10, 15, 5%), lowered to one unit per 0.10 of the line's
 * value, and its unit price is the share divided by the quantity, rounded to the cent and at least
 * 0.01. So an invoice's Quantity x UnitPrice sum to the order-level amount within half a cent per
 * unit, and revenue per customer keeps the order-level heavy tail. The export carries no discount
 * and no cost of goods (the job then costs goods at {@code costs.gross_margin_rate}).
 *
 * <p>Products: {@value #PRODUCTS} StockCodes {@code 10000}-{@code 13876} (every sixth with an
 * {@code A} suffix), each with its own upper-case Description; the products of an invoice are
 * distinct (an arithmetic progression modulo the prime {@value #PRODUCTS}). In {@value
 * #SAME_PRICE_PERCENT}% of the invoices with two or more lines, the first two or three lines are
 * different products at the same Quantity and UnitPrice: the lines a naive duplicate check on the
 * invoice, quantity and price drops. With chance coincidences of small prices, about 16% of the
 * multi-line invoices (11-12% of all) have such a pair (seeds 7 and 42, 3,000 customers). Each
 * customer has one Country (89% United Kingdom). Unlike the real export, every generated line has
 * a CustomerID (each order belongs to a customer its returns, contacts and invoices refer to): the
 * line without one is a bad row.
 */
final class OrderLines {

  static final String INVOICE_NO = "InvoiceNo";
  static final String STOCK_CODE = "StockCode";
  static final String DESCRIPTION = "Description";
  static final String QUANTITY = "Quantity";
  static final String INVOICE_DATE = "InvoiceDate";
  static final String UNIT_PRICE = "UnitPrice";
  static final String CUSTOMER_ID = "CustomerID";
  static final String COUNTRY = "Country";
  static final List<String> COLUMNS =
      List.of(INVOICE_NO, STOCK_CODE, DESCRIPTION, QUANTITY, INVOICE_DATE, UNIT_PRICE, CUSTOMER_ID, COUNTRY);
  /** Spark / java.time pattern of InvoiceDate, e.g. {@code 12/1/2010 8:26}. */
  static final String TIMESTAMP_PATTERN = "M/d/yyyy H:mm";

  static final int MAX_LINES = 30;
  static final int PRODUCTS = 3877;
  static final int SAME_PRICE_PERCENT = 15;
  static final String HOME_COUNTRY = "United Kingdom";

  private static final double MEAN_EXTRA_LINES = 3.0;
  private static final double MIN_WEIGHT = 0.05;
  private static final int[] QUANTITIES = {1, 2, 3, 4, 6, 12, 24};
  private static final double[] QUANTITY_SHARES = {0.30, 0.20, 0.10, 0.10, 0.10, 0.15, 0.05};
  /** A line's quantity is lowered until each unit is worth at least this much. */
  private static final double MIN_VALUE_PER_UNIT = 0.10;
  private static final String MIN_UNIT_PRICE = "0.01";
  private static final double SAME_PRICE_SHARE = SAME_PRICE_PERCENT / 100.0;
  private static final int SAME_PRICE_MIN_LINES = 2;
  private static final int SAME_PRICE_EXTRA_LINES = 2;
  private static final int FIRST_STOCK_CODE = 10_000;
  private static final int SUFFIX_EVERY = 6;
  private static final String SUFFIX = "A";
  private static final double HOME_COUNTRY_SHARE = 0.89;
  private static final List<String> OTHER_COUNTRIES =
      List.of("Germany", "France", "EIRE", "Spain", "Netherlands", "Belgium", "Switzerland", "Portugal",
          "Australia", "Norway");
  // Description = adjective, colour, item: 10 x 10 x 40 = 4000 >= PRODUCTS distinct texts.
  private static final List<String> ITEMS =
      List.of("HEART T-LIGHT HOLDER", "LANTERN", "CAKE TIN", "TEA CUP AND SAUCER", "LUNCH BAG", "JAM JAR",
          "DOORMAT", "PHOTO FRAME", "CANDLE", "BUNTING", "CUSHION COVER", "MUG", "NAPKINS", "GIFT WRAP",
          "NOTEBOOK", "PEN", "ALARM CLOCK", "PLATE", "BOWL", "TRINKET BOX", "STORAGE JAR", "HOT WATER BOTTLE",
          "PURSE", "SHOPPER BAG", "WALL ART", "COAT HANGER", "DRAWER KNOB", "SPOON", "BAKING SET", "PARTY BAG",
          "GARLAND", "WREATH", "CHARM", "BIRD ORNAMENT", "VASE", "SOAP DISH", "APRON", "CAKE STAND", "LAMP",
          "JEWELLERY BOX");
  private static final List<String> COLOURS =
      List.of("WHITE", "RED", "PINK", "BLUE", "GREEN", "IVORY", "BLACK", "CREAM", "SILVER", "PAISLEY");
  private static final List<String> ADJECTIVES =
      List.of("VINTAGE", "HANGING", "SMALL", "LARGE", "RETRO", "JUMBO", "MINI", "REGENCY", "FOLKART", "SET OF 3");

  private static final int SALT_LINE_COUNT = 50;
  private static final int SALT_SAME_PRICE = 51;
  private static final int SALT_SAME_PRICE_LINES = 52;
  private static final int SALT_LINE_WEIGHT = 53;
  private static final int SALT_QUANTITY = 54;
  private static final int SALT_PRODUCT_START = 55;
  private static final int SALT_PRODUCT_STEP = 56;
  private static final int SALT_COUNTRY = 57;

  // Internal (not written) columns.
  private static final String LINE_COUNT = "line_count";
  private static final String SAME_PRICE_LINES = "same_price_lines";
  private static final String PRODUCT_START = "product_start";
  private static final String PRODUCT_STEP = "product_step";
  private static final String WEIGHTS = "weights";
  private static final String WEIGHT_TOTAL = "weight_total";
  private static final String LINE = "line";
  private static final String WEIGHT = "weight";
  private static final String LINE_VALUE = "line_value";
  private static final String PRODUCT = "product";
  private static final String LINE_QUANTITY = "line_quantity";
  private static final String LINE_PRICE = "line_price";

  private static final DateTimeFormatter FORMATTER = DateTimeFormatter.ofPattern(TIMESTAMP_PATTERN, Locale.ROOT);

  private final HashRandom random;
  private final LocalDate historyStart;

  OrderLines(HashRandom random, LocalDate historyStart) {
    this.random = random;
    this.historyStart = historyStart;
  }

  /** {@link #TIMESTAMP_PATTERN} text of a wall-clock time (for the literal bad rows). */
  static String format(LocalDateTime time) {
    return FORMATTER.format(time);
  }

  /** One row per line of every order and cancellation in {@code orderFacts}, columns {@link #COLUMNS}. */
  Dataset<Row> lines(Dataset<Row> orderFacts) {
    Column idx = col(IDX);
    Column seq = col(SEQ);
    Column lineCount =
        least(
            lit(MAX_LINES),
            lit(1).plus(floor(negate(log(lit(1.0).minus(random.uniform(SALT_LINE_COUNT, idx, seq))))
                .multiply(MEAN_EXTRA_LINES))))
            .cast(DataTypes.IntegerType);
    Column samePriceLines =
        when(
                col(LINE_COUNT).geq(SAME_PRICE_MIN_LINES)
                    .and(random.uniform(SALT_SAME_PRICE, idx, seq).lt(SAME_PRICE_SHARE)),
                least(
                    col(LINE_COUNT),
                    lit(SAME_PRICE_MIN_LINES)
                        .plus(floor(random.uniform(SALT_SAME_PRICE_LINES, idx, seq).multiply(SAME_PRICE_EXTRA_LINES)))))
            .otherwise(lit(0))
            .cast(DataTypes.IntegerType);
    Column weights =
        transform(
            sequence(lit(0), col(LINE_COUNT).minus(1)),
            line ->
                lit(MIN_WEIGHT)
                    .minus(log(lit(1.0).minus(random.uniform(SALT_LINE_WEIGHT, idx, seq, sourceLine(line))))));
    Column lineValue = col(AMOUNT_VALUE).multiply(col(WEIGHT)).divide(col(WEIGHT_TOTAL));
    Column quantity =
        least(
            drawnQuantity(random.uniform(SALT_QUANTITY, idx, seq, sourceLine(col(LINE)))),
            greatest(lit(1L), floor(col(LINE_VALUE).divide(MIN_VALUE_PER_UNIT))));
    Column unitPrice =
        greatest(
            lit(MIN_UNIT_PRICE).cast(DECIMAL),
            col(LINE_VALUE).divide(col(LINE_QUANTITY)).cast(DECIMAL));
    Column product =
        pmod(col(PRODUCT_START).plus(col(LINE).multiply(col(PRODUCT_STEP))), lit(PRODUCTS));
    return orderFacts
        .select(idx, seq, col(SECONDS), col(CANCEL_SECONDS), col(CANCELLED), col(AMOUNT_VALUE),
            lineCount.as(LINE_COUNT),
            random.intBetween(SALT_PRODUCT_START, 0, PRODUCTS - 1, idx, seq).as(PRODUCT_START),
            random.intBetween(SALT_PRODUCT_STEP, 1, PRODUCTS - 1, idx, seq).as(PRODUCT_STEP))
        .select(col("*"), samePriceLines.as(SAME_PRICE_LINES))
        .select(col("*"), weights.as(WEIGHTS))
        .select(col("*"),
            aggregate(col(WEIGHTS), lit(0.0), (sum, weight) -> sum.plus(weight)).as(WEIGHT_TOTAL),
            posexplode(col(WEIGHTS)).as(new String[] {LINE, WEIGHT}))
        .select(col("*"), lineValue.as(LINE_VALUE), product.as(PRODUCT))
        .select(col("*"), quantity.as(LINE_QUANTITY))
        .select(col("*"), unitPrice.as(LINE_PRICE), explode(kinds()).as(KIND))
        .select(exportColumns());
  }

  /** The written columns of one line of an order or of its cancellation. */
  private Column[] exportColumns() {
    Column cancellation = col(KIND).equalTo(KIND_CANCELLATION);
    Column number = eventNumber(col(IDX), col(SEQ));
    return new Column[] {
      when(cancellation, prefixed(CANCELLATION_PREFIX, number, EVENT_ID_DIGITS))
          .otherwise(prefixed(ORDER_PREFIX, number, EVENT_ID_DIGITS))
          .as(INVOICE_NO),
      stockCode(col(PRODUCT)).as(STOCK_CODE),
      description(col(PRODUCT)).as(DESCRIPTION),
      when(cancellation, negate(col(LINE_QUANTITY))).otherwise(col(LINE_QUANTITY))
          .cast(DataTypes.StringType)
          .as(QUANTITY),
      timestamp(when(cancellation, col(CANCEL_SECONDS)).otherwise(col(SECONDS))).as(INVOICE_DATE),
      col(LINE_PRICE).cast(DataTypes.StringType).as(UNIT_PRICE),
      customerId(col(IDX)).as(CUSTOMER_ID),
      country(random.uniform(SALT_COUNTRY, col(IDX))).as(COUNTRY)
    };
  }

  /** The line whose weight and quantity a line takes: the first one, for the lines of a same-price group. */
  private static Column sourceLine(Column line) {
    return when(line.lt(col(SAME_PRICE_LINES)), lit(0)).otherwise(line);
  }

  private static Column drawnQuantity(Column uniform) {
    Column quantity = lit((long) QUANTITIES[QUANTITIES.length - 1]);
    double cumulative = 1.0;
    for (int i = QUANTITIES.length - 2; i >= 0; i--) {
      cumulative -= QUANTITY_SHARES[i + 1];
      quantity = when(uniform.lt(cumulative), lit((long) QUANTITIES[i])).otherwise(quantity);
    }
    return quantity;
  }

  private static Column stockCode(Column product) {
    return concat(
        product.plus(FIRST_STOCK_CODE).cast(DataTypes.StringType),
        when(pmod(product, lit(SUFFIX_EVERY)).equalTo(SUFFIX_EVERY - 1), lit(SUFFIX)).otherwise(lit("")));
  }

  /** A distinct text per product: item, colour and adjective are the digits of the product number. */
  private static Column description(Column product) {
    int items = ITEMS.size();
    int colours = COLOURS.size();
    return concat(
        pick(ADJECTIVES, pmod(floor(product.divide(items * colours)), lit(ADJECTIVES.size()))),
        lit(" "),
        pick(COLOURS, pmod(floor(product.divide(items)), lit(colours))),
        lit(" "),
        pick(ITEMS, pmod(product, lit(items))));
  }

  private static Column country(Column uniform) {
    Column otherShare = uniform.minus(HOME_COUNTRY_SHARE).divide(1.0 - HOME_COUNTRY_SHARE);
    return when(uniform.lt(HOME_COUNTRY_SHARE), lit(HOME_COUNTRY))
        .otherwise(
            pick(OTHER_COUNTRIES, least(lit(OTHER_COUNTRIES.size() - 1), floor(otherShare.multiply(OTHER_COUNTRIES.size())))));
  }

  /** The element at a zero-based index of a literal list. */
  private static Column pick(List<String> values, Column index) {
    Column literals = array(values.stream().map(value -> lit(value)).toArray(Column[]::new));
    return element_at(literals, index.cast(DataTypes.IntegerType).plus(1));
  }

  /** {@code M/d/yyyy H:mm} (UTC wall clock) of seconds since the history start, time-zone free. */
  private Column timestamp(Column seconds) {
    Column date = date_add(lit(historyStart), floor(seconds.divide(SECONDS_PER_DAY)).cast(DataTypes.IntegerType));
    Column secondOfDay = seconds.mod(SECONDS_PER_DAY);
    return concat(
        text(month(date)),
        lit("/"),
        text(dayofmonth(date)),
        lit("/"),
        text(year(date)),
        lit(" "),
        text(floor(secondOfDay.divide(SECONDS_PER_HOUR))),
        lit(":"),
        lpad(text(floor(secondOfDay.mod(SECONDS_PER_HOUR).divide(60))), 2, "0"));
  }

  private static Column text(Column number) {
    return number.cast(DataTypes.StringType);
  }
}
