package io.customerpyramid.pareto;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.customerpyramid.schema.Columns;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The pareto_curve table: about {@code points} points of (share of customers, share of measure),
 * the last customer of each equal slice of the ranking, plus the origin.
 */
public final class ParetoCurve {

  public static final StructType SCHEMA =
      new StructType()
          .add(Columns.POINT, DataTypes.LongType, false)
          .add(Columns.PARETO_RANK, DataTypes.LongType, false)
          .add(Columns.CUSTOMER_SHARE, DataTypes.DoubleType, false)
          .add(Columns.CUMULATIVE_SHARE, DataTypes.DoubleType, false);

  private ParetoCurve() {}

  /**
   * @param rankedCustomers customers with pareto_rank, customer_percentile and cumulative_share
   * @param n the number of customers ranked
   */
  public static Dataset<Row> build(SparkSession spark, Dataset<Row> rankedCustomers, long n, int points) {
    Column rank = col(Columns.PARETO_RANK);
    // Slice of a rank: ceil(rank * points / n); a rank is a point when the next rank starts a new slice.
    Column slice = ceil(rank.multiply(points).divide(lit(n)));
    Column nextSlice = ceil(rank.plus(1).multiply(points).divide(lit(n)));
    Dataset<Row> curve =
        rankedCustomers
            .filter(nextSlice.notEqual(slice).or(rank.equalTo(n)))
            .select(
                slice.cast("long").as(Columns.POINT),
                rank.as(Columns.PARETO_RANK),
                col(Columns.CUSTOMER_PERCENTILE).as(Columns.CUSTOMER_SHARE),
                col(Columns.CUMULATIVE_SHARE));
    Dataset<Row> origin = spark.createDataFrame(List.of(RowFactory.create(0L, 0L, 0.0, 0.0)), SCHEMA);
    return origin.unionByName(curve);
  }
}
