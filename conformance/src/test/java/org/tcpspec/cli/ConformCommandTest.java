package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpspec conform} on project roots made here (java only, no TLC): what it needs and what it does without. */
class ConformCommandTest {

  @TempDir Path tmp;

  @Test
  void aRootWithASuiteButNoSpecReportsWithNotesInsteadOfATrace() throws IOException {
    Path suite = Files.createDirectories(tmp.resolve("packetdrill-scripts").resolve("closed"));
    Files.copy(RunCommandTest.FIXTURES.resolve("passes.pkt"), suite.resolve("passes.pkt"));
    CliRun r = CliRun.of("conform", "--no-tlc", "--sut", "java", "--root", tmp.toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertFalse((r.out() + r.err()).contains("Exception"), r.out() + r.err());
    assertTrue(r.out().contains("pass        java  closed/passes.pkt"), r.out());
    String html = Files.readString(tmp.resolve("reports").resolve("index.html"));
    assertTrue(html.contains("no script here names actions in its header"), html);
    assertFalse(html.contains("Coverage of TLA+ actions</h2>"), html);
    assertTrue(Files.exists(tmp.resolve("reports").resolve("junit").resolve("TEST-java.xml")));
  }

  /**
   * {@code conform --generated=closed}: the model's scripts from CLOSED are generated into the
   * root's reports/generated/ and run on java after the suite, with their own section in
   * index.html, summary.md and results.json; a reviewed entry for a generated cell that passes is
   * stale and fails the run, as for the suite.
   */
  @Test
  void generatedStepsRunAfterTheSuiteWithASectionOfTheirOwn() throws Exception {
    Path suite = Files.createDirectories(tmp.resolve("packetdrill-scripts").resolve("closed"));
    Files.copy(RunCommandTest.FIXTURES.resolve("passes.pkt"), suite.resolve("passes.pkt"));
    Path reports = Files.createDirectories(tmp.resolve("reports"));
    Files.writeString(reports.resolve("known-divergences-generated"),
        "closed/active-ACTIVE_OPEN-to-syn-sent.pkt | java | design: listed here to be found stale\n");
    CliRun r = CliRun.of("conform", "--no-tlc", "--sut", "java", "--generated=closed", "--root", tmp.toString());
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("generate: 10 model steps, 10 scripts in " + reports.resolve("generated")), r.out());
    assertTrue(r.out().contains("stale       java  generated/closed/active-ACTIVE_OPEN-to-syn-sent.pkt"), r.out());
    assertTrue(r.out().contains("passes but is listed in reports/known-divergences-generated:1"), r.out());
    assertTrue(r.out().contains("FAILED: 1 stale known-divergence entry"), r.out());
    assertTrue(Files.exists(reports.resolve("generated").resolve("closed").resolve("active-ACTIVE_OPEN-to-syn-sent.pkt")));
    String html = Files.readString(reports.resolve("index.html"));
    assertTrue(html.contains("<h2 id=\"model-steps\">Model steps</h2>"), html);
    assertTrue(html.contains("java: 9 of 10 take the model's step; stale divergence entry: 1"), html);
    assertTrue(Files.readString(reports.resolve("summary.md")).contains("## Model steps"));
    var back = org.tcpspec.conformance.report.ResultsFile.read(reports.resolve("results.json"));
    assertEquals(10, back.modelSteps().orElseThrow().steps().size());
    assertEquals(11, back.cells().size(), "the suite's script and the ten generated ones");
  }

  @Test
  void aStateTheModelDoesNotHaveIsAUsageError() throws IOException {
    Files.createDirectories(tmp.resolve("packetdrill-scripts"));
    CliRun r = CliRun.of("conform", "--no-tlc", "--sut", "java", "--generated=nowhere", "--root", tmp.toString());
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("--generated: no state 'nowhere'"), r.err());
  }

  @Test
  void aRootWithoutASuiteIsAUsageError() {
    CliRun r = CliRun.of("conform", "--no-tlc", "--sut", "java", "--root", tmp.toString());
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode(), r.out());
    assertTrue(r.err().contains("no suite at " + tmp.resolve("packetdrill-scripts")), r.err());
  }
}
