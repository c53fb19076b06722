package io.customerpyramid;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure as tested rules: no package cycles, and imports that point down the
 * pipeline only. A rule that fails names the class and the import that break it; move the shared
 * piece down (as table names moved from output to schema) rather than importing upwards.
 */
class ArchitectureTest {

  private static final String ROOT = "io.customerpyramid";
  /** The layer of the package {@code io.customerpyramid} itself: the API class {@link CustomerPyramid}. */
  private static final String API = "api";

  /**
   * The layers, lowest first. A layer may use the layers below it, never one above or beside it:
   * the stages use the packages of the pipeline's steps, the orchestrator and tune-k use the stages,
   * the API uses both, and the command line (with the SQL server and the data generator it starts) sits on top.
   */
  private static final List<List<String>> LEVELS =
      List.of(
          List.of("schema"),
          List.of("config"),
          List.of("ingest"),
          List.of("features"),
          List.of("segmentation"),
          List.of("pareto"),
          List.of("tiers"),
          List.of("clv"),
          List.of("migrations", "books"),
          List.of("output", "report"),
          List.of("catalog"),
          List.of("stages"),
          List.of("pipeline", "tuning"),
          List.of(API),
          List.of("serve", "generate"),
          List.of("cli"));

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // A build directory other than target/ (-Dbuild.dir) is not recognised by the option above.
            .withImportOption(location -> !location.contains("/test-classes/"))
            .importPackages(ROOT);
  }

  /** Every top-level package is a slice; none may reach itself through the others. */
  static ArchRule freeOfCycles(String rootPackage) {
    return slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles();
  }

  static LayeredArchitecture pipelineDirection() {
    LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (String layer : LEVELS.stream().flatMap(List::stream).toList()) {
      layers = layers.layer(layer).definedBy(packageOf(layer));
    }
    for (int level = 0; level < LEVELS.size(); level++) {
      List<String> above = LEVELS.subList(level + 1, LEVELS.size()).stream().flatMap(List::stream).toList();
      for (String layer : LEVELS.get(level)) {
        layers =
            above.isEmpty()
                ? layers.whereLayer(layer).mayNotBeAccessedByAnyLayer()
                : layers.whereLayer(layer).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
      }
    }
    return layers;
  }

  private static String packageOf(String layer) {
    return layer.equals(API) ? ROOT : ROOT + "." + layer + "..";
  }

  @Test
  void thereAreProductionClassesToCheck() {
    assertTrue(production.contain(CustomerPyramid.class), "the import found the project's classes");
    assertFalse(production.containPackage(ROOT + ".architecture.fixture.a"), "test classes are left out");
  }

  @Test
  void noPackageCycles() {
    freeOfCycles(ROOT).check(production);
  }

  @Test
  void importsPointDownThePipeline() {
    pipelineDirection().check(production);
  }

  @Test
  void everyPackageIsALayer() {
    List<String> packages = new ArrayList<>();
    LEVELS.forEach(level -> level.forEach(layer -> packages.add(packageOf(layer))));
    classes().should().resideInAnyPackage(packages.toArray(String[]::new)).check(production);
  }

  @Test
  void theCycleRuleFailsOnACycle() {
    // fixture.a imports fixture.b and fixture.b imports fixture.a: test classes made for this.
    String fixture = ROOT + ".architecture.fixture";
    EvaluationResult result = freeOfCycles(fixture).evaluate(new ClassFileImporter().importPackages(fixture));

    assertTrue(result.hasViolation(), "a cycle between two packages is reported");
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertTrue(report.contains("Cycle detected: Slice a -> ") && report.contains("Slice b -> "), report);
    assertTrue(report.contains("fixture.a.Orders") && report.contains("fixture.b.Customers"), report);
  }
}
