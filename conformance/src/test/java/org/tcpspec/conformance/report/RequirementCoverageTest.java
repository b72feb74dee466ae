package org.tcpspec.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.report.RequirementCoverage.Verdict;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict.Fail;
import org.tcpspec.conformance.run.Verdict.Pass;
import org.tcpspec.conformance.run.Verdict.Unsupported;
import org.tcpspec.conformance.suite.KnownDivergences;
import org.tcpspec.conformance.suite.Requirements;
import org.tcpspec.conformance.suite.ScriptHeader;

/** The requirements view: each system's verdict per requirement, the counts, and where they show. */
class RequirementCoverageTest {

  private static final Requirements LIST = Requirements.parse("test.tsv", """
      MUST-1\t3.1\tsegment processing\tthe window is unsigned\t-
      MUST-2\t3.1\tsegment processing\tsend a checksum\ttests: SegmentEmitterTest#padsOptionsToFourBytesWithZeros
      MUST-3\t3.1\tsecurity\tsomething secret\tuntestable: a secret
      SHLD-1\t3.8.4\ttimers\tkeep-alives carry no data\t-
      SHLD-2\t3.9.1.9\tuser interface\tset the Diffserv field\t-
      MAY-1\t3.6.1\tstate machine\treopen from TIME-WAIT\t-
      """);

  /**
   * a.pkt (MUST-1, SHLD-1) passes on both; b.pkt (SHLD-1) fails on java; c.pkt (SHLD-2) is
   * unsupported on java but listed, and not available on linux; nothing names MUST-2, MUST-3, MAY-1.
   */
  private static Report report() {
    KnownDivergences known = KnownDivergences.parse("c.pkt | java | missing: no IP_TOS\n");
    List<RunResult> results = List.of(
        new RunResult("a.pkt", "linux", new Pass(), 1, List.of()),
        new RunResult("b.pkt", "linux", new Pass(), 1, List.of()),
        new RunResult("c.pkt", "linux", new org.tcpspec.conformance.run.Verdict.NotAvailable("no root"), 0, List.of()),
        new RunResult("a.pkt", "java", new Pass(), 1, List.of()),
        new RunResult("b.pkt", "java", new Fail("b.pkt:9: flags: expected . vs actual P."), 1, List.of()),
        new RunResult("c.pkt", "java", new Unsupported(List.of("socket option IP_TOS on java")), 1, List.of()));
    return new Report(results.stream().map(r -> Cell.judge(r, known)).toList(),
        Map.of("a.pkt", header("// RFC 9293: §3.1 (MUST-1)\n// RFC 9293 requirements: SHLD-1\n"),
            "b.pkt", header("// RFC 9293: §3.8.4 (SHLD-1)\n"),
            "c.pkt", header("// RFC 9293: §3.9.1.9 (SHLD-2, MUST-99)\n")),
        Optional.empty(),
        List.of(new SutRun("linux", Optional.of("6.18.44"), 1, 0), new SutRun("java", Optional.empty(), 1, 0)),
        Optional.empty(), Optional.empty(), List.of());
  }

  private static ScriptHeader header(String rfc) {
    return ScriptHeader.parse(rfc + "// Actions: PASSIVE_OPEN\n// Linux: x\n");
  }

  private static Map<String, Verdict> verdicts(RequirementCoverage cov, String label) {
    return cov.rows().stream().filter(r -> r.requirement().label().equals(label)).findFirst().orElseThrow().verdicts();
  }

  @Test
  void eachSystemMeetsWhatAllItsCellsPassAndFailsWhatOneDoesNot() {
    RequirementCoverage cov = RequirementCoverage.of(report(), LIST);
    assertEquals(Map.of("linux", Verdict.MET, "java", Verdict.MET), verdicts(cov, "MUST-1"));
    assertEquals(Map.of("linux", Verdict.NOT_TESTED, "java", Verdict.UNIT_TESTS), verdicts(cov, "MUST-2"));
    assertEquals(Map.of("linux", Verdict.UNTESTABLE, "java", Verdict.UNTESTABLE), verdicts(cov, "MUST-3"));
    assertEquals(Map.of("linux", Verdict.MET, "java", Verdict.NOT_MET), verdicts(cov, "SHLD-1"));
    assertEquals(Map.of("linux", Verdict.NOT_RUN, "java", Verdict.NOT_RUN), verdicts(cov, "SHLD-2"),
        "an unsupported cell shows nothing, listed or not");
    assertEquals(Map.of("linux", Verdict.NOT_TESTED, "java", Verdict.NOT_TESTED), verdicts(cov, "MAY-1"));
    assertEquals(Map.of("MUST-99", List.of("c.pkt")), cov.unknownLabels());
    assertEquals(List.of("MUST", "SHLD", "MAY"), cov.rows().stream().map(r -> r.requirement().kind().name()).distinct().toList());
  }

  @Test
  void countsPerKindAndTheHeadlinesSayWhatEachSystemMeets() {
    Report r = report();
    RequirementCoverage cov = RequirementCoverage.of(r, LIST);
    RequirementCoverage.Counts must = cov.counts().getFirst();
    assertEquals(List.of(3, 1, 1, 1, 0), List.of(must.total(), must.byScripts(), must.byUnitTestsOnly(), must.untestable(),
        must.uncovered()));
    assertEquals(Map.of("linux", 1, "java", 1), must.met());
    RequirementCoverage.Counts shld = cov.counts().get(1);
    assertEquals(Map.of("linux", 1, "java", 0), shld.met());
    assertEquals(Map.of("linux", 0, "java", 1), shld.notMet());
    assertEquals("linux 6.18.44 meets 1 of 2 testable MUSTs and 1 of 2 testable SHLDs in this run", cov.headline(r, "linux"));
    assertEquals("java meets 1 of 2 testable MUSTs (1 more checked only by unit tests) and 0 of 2 testable SHLDs in this run",
        cov.headline(r, "java"));
  }

  @Test
  void aListedUnsupportedCellIsAKnownDivergence() {
    Cell c = report().cell("c.pkt", "java").orElseThrow();
    assertEquals(Cell.Status.KNOWN, c.status());
    assertTrue(c.message().startsWith("known divergence (known-divergences:1): missing: no IP_TOS"), c.message());
  }

  @Test
  void theViewShowsInHtmlSummaryJunitAndResults(@TempDir Path dir) throws Exception {
    Report r = report();
    ReportWriter.write(r, RunVerdict.of(r, Allowances.NONE), dir);
    String html = Files.readString(dir.resolve("index.html"));
    assertTrue(html.contains("<h2 id=\"requirements\">RFC 9293 requirements</h2>"), html);
    assertTrue(html.contains("<a href=\"#requirements\">"), "in the navigation");
    // the real list: every label of RFC 9293 has a row, MUSTs first
    assertTrue(html.contains("<tr id=\"req-MUST-1\" data-passed=\"yes\"><td>MUST-1</td><td>3.1</td>"), html);
    assertTrue(html.indexOf("id=\"req-MUST-69\"") < html.indexOf("id=\"req-SHLD-1\""), "MUSTs first");
    assertTrue(html.contains("id=\"req-REC-1\""), html);
    assertTrue(html.contains("Labels RFC 9293 does not have: MUST-99 (c.pkt)"), html);
    String must1 = html.substring(html.indexOf("id=\"req-MUST-1\""));
    must1 = must1.substring(0, must1.indexOf("</tr>"));
    assertTrue(must1.endsWith("<td class=\"pass\">met</td><td class=\"pass\">met</td>"), must1);
    assertTrue(html.contains("<li>linux 6.18.44 meets 1 of "), html);
    String md = Files.readString(dir.resolve("summary.md"));
    long testableMusts = Requirements.rfc9293().of(Requirements.Kind.MUST).stream()
        .filter(q -> q.untestable().isEmpty()).count();
    assertTrue(md.contains("## RFC 9293 requirements\n\n- linux 6.18.44 meets 1 of " + testableMusts + " testable MUSTs"), md);
    assertFalse(md.contains("does not meet:"), "SHLD-1 is untestable in the real list, SHLD-2 not run: " + md);
    String junit = Files.readString(dir.resolve("junit/TEST-linux.xml"));
    assertTrue(junit.contains("<property name=\"rfc9293.MUST.met\" value=\"1\"/>"), junit);
    assertTrue(junit.contains("<property name=\"rfc9293.requirements\" value=\"linux 6.18.44 meets 1 of "), junit);
    String json = Files.readString(dir.resolve(ResultsFile.NAME));
    assertTrue(json.contains("\"label\": \"SHLD-3\""), json);
    assertTrue(json.contains("\"java\": \"not run\""), json);
    assertEquals(r.cells().stream().map(Cell::status).toList(),
        ResultsFile.read(dir.resolve(ResultsFile.NAME)).cells().stream().map(Cell::status).toList(), "the file still reads back");
  }

  @Test
  void scriptsThatNameNoLabelLeaveTheViewOut() {
    Report full = report();
    Report r = new Report(full.cells(), Map.of("a.pkt", ScriptHeader.parse("// nothing\n")), Optional.empty(),
        full.sutRuns(), Optional.empty(), Optional.empty(), List.of());
    String html = HtmlReport.render(r, RunVerdict.of(r, Allowances.NONE), Map.of());
    assertTrue(html.contains("No script names a requirement label of RFC 9293"), html);
    assertFalse(html.contains("id=\"requirements-table\""), html);
    assertFalse(SummaryMarkdown.render(r, RunVerdict.of(r, Allowances.NONE)).contains("RFC 9293 requirements"));
  }
}
