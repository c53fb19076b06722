package io.customerpyramid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.schema.Tables;
import io.customerpyramid.testing.DocumentedSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What README.md and docs/ say that can be checked against the code without Spark: the commands and
 * options of every {@code jobs/segment} usage line, the launcher's command list, the Spark job groups,
 * the test classes they name and the columns of every table.
 */
class DocsMatchCodeTest {

  private static final Path ROOT = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
  /** Commands of the jobs/segment script itself, not of the CLI: Hive's beeline client. */
  private static final Set<String> SCRIPT_COMMANDS = Set.of("beeline");
  private static final Pattern USAGE = Pattern.compile("jobs/segment ([a-z][a-z-]*)([^`#|;>]*)");
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*)");
  private static final Pattern LAYOUT_COMMANDS = Pattern.compile("jobs/segment\\s+launcher \\(([^)]*)\\)");
  private static final Pattern TEST_CLASS = Pattern.compile("\\b([A-Z][A-Za-z0-9]*[a-z0-9](?:Test|IT))\\b");
  private static final Pattern JOB_GROUPS = Pattern.compile("job group (\\([^)]*\\))");
  private static final Pattern STAGE_ID = Pattern.compile("(?:\\.run|setJobGroup)\\(\\s*\"([a-z][a-z-]*)\"");
  private static final Pattern BACKTICKED = Pattern.compile("`([a-z][a-z-]*)`");

  private final CommandLine cli = new CommandLine(new SegmentCli());

  @Test
  void everyUsageLineNamesACommandAndItsOptions() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, String> doc : documents().entrySet()) {
      for (String line : joinedContinuations(doc.getValue())) {
        Matcher usage = USAGE.matcher(line);
        while (usage.find()) {
          checked++;
          problems.addAll(usageProblems(doc.getKey(), usage.group(1), usage.group(2)));
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(checked > 20, "the usage lines were found (" + checked + ")");
  }

  @Test
  void theLaunchersCommandListIsTheCli() {
    Matcher layout = LAYOUT_COMMANDS.matcher(documents().get("README.md"));
    assertTrue(layout.find(), "README's layout lists the launcher's commands");
    Set<String> documented = new TreeSet<>(List.of(layout.group(1).split(",\\s*")));
    Set<String> commands = new TreeSet<>();
    cli.getSubcommands().forEach((name, command) -> {
      // help, and commands only the launcher calls (jit-hint), are not the user's.
      if (!command.getCommandSpec().usageMessage().hidden() && !name.equals("help")) {
        commands.add(name);
      }
    });
    commands.addAll(SCRIPT_COMMANDS);
    assertEquals(commands, documented);
    for (String scriptCommand : SCRIPT_COMMANDS) {
      assertTrue(read(ROOT.resolve("jobs/segment")).contains("\"" + scriptCommand + "\""), "jobs/segment handles " + scriptCommand);
    }
  }

  @Test
  void theJobGroupsAreTheStagesOfTheCode() throws IOException {
    Set<String> inCode = new TreeSet<>();
    try (Stream<Path> sources = Files.walk(ROOT.resolve("src/main/java"))) {
      sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
        Matcher id = STAGE_ID.matcher(read(p));
        while (id.find()) {
          inCode.add(id.group(1));
        }
      });
    }
    int lists = 0;
    for (Map.Entry<String, String> doc : documents().entrySet()) {
      Matcher groups = JOB_GROUPS.matcher(doc.getValue().replace('\n', ' '));
      while (groups.find()) {
        lists++;
        Set<String> documented = new TreeSet<>();
        Matcher name = BACKTICKED.matcher(groups.group(1));
        while (name.find()) {
          documented.add(name.group(1));
        }
        assertEquals(inCode, documented, doc.getKey() + ": the job groups " + groups.group(1));
      }
    }
    assertTrue(lists > 0, "the docs list the job groups");
  }

  @Test
  void everyTestClassTheDocsNameExists() throws IOException {
    Set<String> testClasses = new TreeSet<>();
    try (Stream<Path> sources = Files.walk(ROOT.resolve("src/test/java"))) {
      sources.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java")).forEach(n -> testClasses.add(n.replace(".java", "")));
    }
    Set<String> missing = new TreeSet<>();
    for (String text : documents().values()) {
      Matcher name = TEST_CLASS.matcher(text);
      while (name.find()) {
        if (!testClasses.contains(name.group(1))) {
          missing.add(name.group(1));
        }
      }
    }
    assertEquals(Set.of(), missing, "test classes named in README.md or docs/ that do not exist");
  }

  /** The recorded columns of each table's current version against docs/tables.md, as the Spark tests check the written ones. */
  @Test
  void everyTablesColumnsAreDocumented() throws IOException {
    for (String table : Tables.SCHEMA_VERSIONS.keySet()) {
      assertEquals(List.of(), DocumentedSchemas.columnProblems(table, DocumentedSchemas.recordedColumns(table)), table);
    }
  }

  @Test
  void aWrongUsageLineIsCaught() {
    assertEquals(List.of("x.md: jobs/segment generate has no option --colour"), usageProblems("x.md", "generate", " --customers 3 --colour red"));
    assertEquals(List.of("x.md: jobs/segment segmentize is not a command"), usageProblems("x.md", "segmentize", ""));
    assertFalse(usageProblems("x.md", "serve-users", " add NAME --users-file F --password-stdin").iterator().hasNext());
  }

  /** Problems of one usage line: an unknown command, or an option that neither it nor its subcommands have. */
  private List<String> usageProblems(String doc, String command, String arguments) {
    if (SCRIPT_COMMANDS.contains(command)) {
      return List.of(); // beeline's options are Hive's
    }
    CommandLine target = cli.getSubcommands().get(command);
    if (target == null) {
      return List.of(doc + ": jobs/segment " + command + " is not a command");
    }
    List<CommandLine> chain = new ArrayList<>(List.of(target));
    for (String token : arguments.trim().split("\\s+")) {
      CommandLine sub = chain.get(chain.size() - 1).getSubcommands().get(token);
      if (sub != null) {
        chain.add(sub);
      }
    }
    List<String> problems = new ArrayList<>();
    Matcher option = OPTION.matcher(arguments);
    while (option.find()) {
      String name = option.group(1);
      if (chain.stream().noneMatch(c -> c.getCommandSpec().findOption(name) != null)) {
        problems.add(doc + ": jobs/segment " + command + " has no option " + name);
      }
    }
    return problems;
  }

  /** README.md and every docs/*.md, by name. */
  private static Map<String, String> documents() {
    Map<String, String> documents = new TreeMap<>();
    documents.put("README.md", read(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(p -> documents.put("docs/" + p.getFileName(), read(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  /** Lines, with a shell continuation (a trailing backslash) joined to the next line. */
  private static List<String> joinedContinuations(String text) {
    return List.of(text.replaceAll("\\\\\\n\\s*", " ").split("\\n"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
