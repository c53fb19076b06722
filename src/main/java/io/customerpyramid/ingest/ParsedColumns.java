package io.customerpyramid.ingest;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Values parsed once per row in a projection of their own (timestamps, decimals, ids), which the
 * checks and the output then refer to by name. Written inline, a parse that three checks and the
 * output use would run up to four times per row; Spark keeps a projection apart when merging it
 * would repeat an expensive expression.
 */
final class ParsedColumns {

  private static final String PREFIX = "_parsed_";

  private final Map<String, Column> expressions = new LinkedHashMap<>();

  /** The parsed value as a column of the rows {@link #on} returns. */
  Column add(String name, Column expression) {
    expressions.put(PREFIX + name, expression);
    return col(PREFIX + name);
  }

  /** The raw rows with every parsed value added. */
  Dataset<Row> on(Dataset<Row> raw) {
    return raw.withColumns(expressions);
  }
}
