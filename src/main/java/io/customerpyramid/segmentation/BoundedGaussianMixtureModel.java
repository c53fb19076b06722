package io.customerpyramid.segmentation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A fitted {@link BoundedGaussianMixture}: assigns each row the component with the highest posterior
 * probability, computed in log space (a customer far from every component still goes to the nearest
 * one in Mahalanobis terms, not to component 0 as when every density underflows). Saved and loaded with
 * the pipeline ({@code _models/}), as MLlib metadata plus the mixture in {@code data/mixture.json}.
 */
public final class BoundedGaussianMixtureModel extends Model<BoundedGaussianMixtureModel> implements MLWritable {

  private static final long serialVersionUID = 1L;
  private static final String DATA_FILE = "data/mixture.json";

  private final String uid;
  private final MixtureComponents components;
  private final String featuresCol;
  private final String predictionCol;
  private final int iterations;
  private final boolean converged;

  BoundedGaussianMixtureModel(
      String uid, MixtureComponents components, String featuresCol, String predictionCol, int iterations, boolean converged) {
    this.uid = uid;
    this.components = components;
    this.featuresCol = featuresCol;
    this.predictionCol = predictionCol;
    this.iterations = iterations;
    this.converged = converged;
  }

  @Override
  public String uid() {
    return uid;
  }

  public MixtureComponents components() {
    return components;
  }

  /** EM passes the fit made (after the k-means start). */
  public int iterations() {
    return iterations;
  }

  /** Whether the fit stopped because the log-likelihood settled, not at the iteration bound. */
  public boolean converged() {
    return converged;
  }

  @Override
  public BoundedGaussianMixtureModel copy(ParamMap extra) {
    return new BoundedGaussianMixtureModel(uid, components, featuresCol, predictionCol, iterations, converged).setParent(parent());
  }

  static StructType outputSchema(StructType schema, String featuresCol, String predictionCol) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(featuresCol)) {
      throw new IllegalArgumentException("Gaussian mixture: no column " + featuresCol + " among " + String.join(", ", schema.fieldNames()));
    }
    if (!schema.apply(featuresCol).dataType().equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("Gaussian mixture: column " + featuresCol + " is " + schema.apply(featuresCol).dataType().simpleString() + ", not a vector");
    }
    return schema.add(new StructField(predictionCol, DataTypes.IntegerType, false, org.apache.spark.sql.types.Metadata.empty()));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(schema, featuresCol, predictionCol);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    MixtureComponents mixture = components;
    UDF1<Vector, Integer> mostLikely = features -> mixture.mostLikely(features.toArray());
    return dataset.withColumn(predictionCol, udf(mostLikely, DataTypes.IntegerType).apply(col(featuresCol)));
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<BoundedGaussianMixtureModel> read() {
    return new Reader();
  }

  public static BoundedGaussianMixtureModel load(String path) {
    return read().load(path);
  }

  private static final class Writer extends MLWriter {
    private final BoundedGaussianMixtureModel model;

    Writer(BoundedGaussianMixtureModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession().sparkContext(), Option.empty(), Option.empty());
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      root.put("featuresCol", model.featuresCol);
      root.put("predictionCol", model.predictionCol);
      root.put("iterations", model.iterations);
      root.put("converged", model.converged);
      ArrayNode list = root.putArray("components");
      MixtureComponents mixture = model.components;
      for (int j = 0; j < mixture.size(); j++) {
        ObjectNode component = list.addObject();
        component.put("weight", mixture.weight(j));
        ArrayNode mean = component.putArray("mean");
        for (double v : mixture.mean(j)) {
          mean.add(v);
        }
        ArrayNode covariance = component.putArray("covariance");
        for (double[] rowValues : mixture.covariance(j)) {
          ArrayNode row = covariance.addArray();
          for (double v : rowValues) {
            row.add(v);
          }
        }
      }
      Path file = new Path(path, DATA_FILE);
      try (OutputStream out = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration()).create(file, true)) {
        json.writerWithDefaultPrettyPrinter().writeValue(out, root);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the Gaussian mixture to " + file, e);
      }
    }
  }

  private static final class Reader extends MLReader<BoundedGaussianMixtureModel> {
    @Override
    public BoundedGaussianMixtureModel load(String path) {
      DefaultParamsReader.Metadata metadata =
          DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), BoundedGaussianMixtureModel.class.getName());
      Path file = new Path(path, DATA_FILE);
      JsonNode root;
      try (InputStream in = FileSystem.get(file.toUri(), sc().hadoopConfiguration()).open(file)) {
        root = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Gaussian mixture from " + file, e);
      }
      JsonNode list = root.get("components");
      int k = list.size();
      double[] weights = new double[k];
      double[][] means = new double[k][];
      double[][][] covariances = new double[k][][];
      for (int j = 0; j < k; j++) {
        JsonNode component = list.get(j);
        weights[j] = component.get("weight").asDouble();
        means[j] = doubles(component.get("mean"));
        JsonNode rows = component.get("covariance");
        covariances[j] = new double[rows.size()][];
        for (int a = 0; a < rows.size(); a++) {
          covariances[j][a] = doubles(rows.get(a));
        }
      }
      return new BoundedGaussianMixtureModel(
          metadata.uid(),
          new MixtureComponents(weights, means, covariances),
          root.get("featuresCol").asText(),
          root.get("predictionCol").asText(),
          root.get("iterations").asInt(),
          root.get("converged").asBoolean());
    }

    private static double[] doubles(JsonNode array) {
      double[] values = new double[array.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = array.get(i).asDouble();
      }
      return values;
    }
  }
}
