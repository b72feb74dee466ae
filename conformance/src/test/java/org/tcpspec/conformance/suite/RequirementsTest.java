package org.tcpspec.conformance.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.suite.Requirements.Kind;
import org.tcpspec.conformance.suite.Requirements.Requirement;

/**
 * The requirements list is complete (every label of RFC 9293's Appendix B, no other), each unit
 * test it names exists, the suite's headers name only real labels and none marked untestable, and
 * at least 90 % of the MUSTs and SHLDs are covered by a script or a unit test or say why they
 * cannot be.
 */
class RequirementsTest {
  /** RFC 9293 Appendix B, Table 8: the labels per kind, counted there and in the text (MUST-22 is in the table only). */
  private static final Map<Kind, Integer> APPENDIX_B = Map.of(Kind.MUST, 69, Kind.SHLD, 31, Kind.MAY, 18, Kind.REC, 1);

  private static final List<Path> TEST_SOURCES = List.of(Path.of("../impl/src/test/java"), Path.of("src/test/java"));

  @Test
  void everyLabelOfAppendixBOnceAndNumberedWithoutGaps() {
    Requirements all = Requirements.rfc9293();
    for (Kind kind : Kind.values()) {
      List<Integer> numbers = all.of(kind).stream().map(Requirement::number).toList();
      List<Integer> expected = Stream.iterate(1, n -> n + 1).limit(APPENDIX_B.get(kind)).toList();
      assertEquals(expected, numbers, kind + " labels");
    }
    assertEquals(119, all.all().size());
    assertSame(all, Requirements.rfc9293(), "read once per JVM");
  }

  @Test
  void everyUnitTestNamedExists() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Requirement q : Requirements.rfc9293().all()) {
      for (String test : q.tests()) {
        String[] cm = test.split("#");
        Optional<Path> source = find(cm[0] + ".java");
        if (source.isEmpty()) {
          missing.add(q.label() + ": no test class " + cm[0]);
        } else if (!Files.readString(source.get()).matches("(?s).*@(Test|Property|Example)\\b[^;{]*?void " + cm[1] + "\\(.*")) {
          missing.add(q.label() + ": " + source.get() + " has no test method " + cm[1]);
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  private static Optional<Path> find(String fileName) throws IOException {
    for (Path root : TEST_SOURCES) {
      try (Stream<Path> files = Files.walk(root)) {
        Optional<Path> hit = files.filter(p -> p.getFileName().toString().equals(fileName)).findFirst();
        if (hit.isPresent()) return hit;
      }
    }
    return Optional.empty();
  }

  @Test
  void suiteHeadersNameRealLabelsAndNoneMarkedUntestable() throws IOException {
    Requirements all = Requirements.rfc9293();
    List<String> problems = new ArrayList<>();
    for (Path p : Runner.collect(List.of(SuiteTest.SUITE))) {
      for (String label : ScriptHeader.read(p).labels()) {
        Optional<Requirement> q = all.find(label);
        if (q.isEmpty()) problems.add(p + ": RFC 9293 has no " + label);
        else if (q.get().untestable().isPresent()) problems.add(p + ": names " + label + ", which the list calls untestable");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void atLeastNinetyPercentOfMustsAndShouldsAreCoveredOrSayWhyNot() throws IOException {
    Map<String, List<String>> scripts = new TreeMap<>();
    for (Path p : Runner.collect(List.of(SuiteTest.SUITE))) {
      for (String label : ScriptHeader.read(p).labels()) scripts.computeIfAbsent(label, k -> new ArrayList<>()).add(p.toString());
    }
    List<Requirement> strong = Requirements.rfc9293().all().stream()
        .filter(q -> q.kind() == Kind.MUST || q.kind() == Kind.SHLD).toList();
    List<String> open = strong.stream()
        .filter(q -> !scripts.containsKey(q.label()) && q.tests().isEmpty() && q.untestable().isEmpty())
        .map(Requirement::label).toList();
    assertTrue(open.size() * 10 <= strong.size(), open.size() + " of " + strong.size()
        + " MUSTs and SHLDs have no script, no unit test and no reason: " + open);
  }

  @Test
  void malformedLinesNameFileLineAndColumn() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Requirements.parse("list.tsv", "# c\nMUST-1\t3.1\tweather\tsomething\t-\n"));
    assertTrue(e.getMessage().startsWith("list.tsv:2: category 'weather'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Requirements.parse("list.tsv", "MUST-1\t3.1\toptions\tx\tuntestable:\n"));
    assertEquals("list.tsv:1: untestable without a reason", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Requirements.parse("list.tsv", "MUST-1\t3.1\toptions\tx\n"));
    assertTrue(e.getMessage().startsWith("list.tsv:1: expected 5 tab-separated columns"), e.getMessage());
  }
}
