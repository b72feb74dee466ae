package org.tcpspec.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.KnownDivergences;
import org.tcpspec.wire.SegmentEmitter;

/** results.json round trips, and a merge over two kernels shows where Linux versions differ. */
class MergeTest {

  @TempDir Path tmp;

  private static Report run(String release, Verdict linuxVerdict) {
    return judged(release, linuxVerdict, List.of());
  }

  private static Report judged(String release, Verdict linuxVerdict, List<LinuxJudgment> judgments) {
    List<RunResult> results = List.of(
        new RunResult("a/x.pkt", "linux", linuxVerdict, 5, List.of(new PacketRecord(7, true, ReportTest.SYN, 3))),
        new RunResult("a/y.pkt", "linux", new Verdict.Pass(), 5, List.of()),
        new RunResult("a/x.pkt", "java", new Verdict.Pass(), 1, List.of()),
        new RunResult("a/y.pkt", "java", new Verdict.Pass(), 1, List.of()));
    return new Report(results.stream().map(r -> Cell.judge(r, new KnownDivergences(List.of()))).toList(), Map.of(),
        Optional.empty(), List.of(new SutRun("linux", Optional.of(release), 2, 1_000), new SutRun("java",
        Optional.empty(), 0.1, 2_000)), Optional.empty(), Optional.empty(), List.of(), judgments, Optional.empty());
  }

  @Test
  void resultsReadBackAsWritten() throws Exception {
    Report r = run("6.18.44", new Verdict.Fail("a/x.pkt:4: seq: expected <1> vs actual \"2\"\n  more"));
    Path file = tmp.resolve(ResultsFile.NAME);
    ResultsFile.write(r, file);
    Report back = ResultsFile.read(file);
    assertEquals(r.sutRuns(), back.sutRuns());
    assertEquals(r.cells().stream().map(c -> c.status() + " " + c.result().verdict()).toList(),
        back.cells().stream().map(c -> c.status() + " " + c.result().verdict()).toList());
    assertEquals(java.util.HexFormat.of().formatHex(SegmentEmitter.emit(ReportTest.SYN)),
        java.util.HexFormat.of().formatHex(SegmentEmitter.emit(back.cells().getFirst().result().packets().getFirst().segment())));
  }

  /** A divergence entry's address families survive results.json, so a merged report names the same entry. */
  @Test
  void aDivergenceEntrysFamiliesReadBackAsWritten() throws Exception {
    KnownDivergences known = KnownDivergences.parse("a/x.pkt [ipv6, ipv4-mapped-ipv6] | java | reviewed\n");
    RunResult failing = new RunResult("a/x.pkt", "java", new Verdict.Fail("a/x.pkt:4: ack"), 1, List.of());
    Cell cell = Cell.judge(failing, known, "ipv6", Optional.empty());
    assertEquals(Cell.Status.KNOWN, cell.status());
    Report r = new Report(List.of(cell), Map.of(), Optional.empty(), List.of(new SutRun("java", Optional.empty(), 0.1,
        2_000)), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty());
    Path file = tmp.resolve(ResultsFile.NAME);
    ResultsFile.write(r, file);
    assertEquals(cell.divergence(), ResultsFile.read(file).cells().getFirst().divergence());
    assertEquals(Cell.Status.FAIL, Cell.judge(failing, known, "ipv4", Optional.empty()).status());
  }

  @Test
  void aMergeOverTwoKernelsGivesEachItsColumnAndNamesTheScriptsThatDiffer() {
    Report older = run("6.1.0", new Verdict.Fail("a/x.pkt:4: seq: expected 1 vs actual 2"));
    Report newer = run("6.18.44", new Verdict.Pass());
    Report merged = Merge.of(List.of(newer, older), List.of("k618", "k61"));
    assertEquals(List.of("linux 6.18.44", "java", "linux 6.1.0"), merged.suts());
    assertEquals(6, merged.cells().size(), "the java cells of both runs are alike and shown once");
    LinuxDifferences d = LinuxDifferences.of(merged);
    assertEquals(List.of("linux 6.18.44", "linux 6.1.0"), d.columns());
    assertEquals(1, d.rows().size());
    assertEquals("a/x.pkt", d.rows().getFirst().script());
    assertEquals(Map.of("linux 6.18.44", "pass", "linux 6.1.0", "fail line 4"), d.rows().getFirst().outcomes());
    String html = HtmlReport.render(merged, RunVerdict.of(merged, Allowances.NONE), Map.of());
    assertTrue(html.contains("<h2 id=\"kernels\">Where Linux versions differ</h2>"), html);
    assertTrue(merged.notes().getLast().contains("linux on 6.1.0, 6.18.44"), merged.notes().toString());
  }

  @Test
  void aMergeOverTwoKernelsKeepsEachKernelsJudgmentOfTheSameScript() throws Exception {
    Report older = judged("6.1.0", new Verdict.Fail("a/x.pkt:4: seq: expected 1 vs actual 2"),
        List.of(new LinuxJudgment("linux", "a/x.pkt", LinuxJudgment.Kind.LEAVES, "line 4: EstablishedRcvData")));
    Report newer = judged("6.18.44", new Verdict.Pass(),
        List.of(new LinuxJudgment("linux", "a/x.pkt", LinuxJudgment.Kind.BEHAVIOUR, "")));
    Path file = tmp.resolve(ResultsFile.NAME);
    ResultsFile.write(older, file);
    Report merged = Merge.of(List.of(newer, ResultsFile.read(file)), List.of("k618", "k61"));
    assertEquals(LinuxJudgment.Kind.BEHAVIOUR, merged.judgment("linux 6.18.44", "a/x.pkt").orElseThrow().kind());
    assertEquals(LinuxJudgment.Kind.LEAVES, merged.judgment("linux 6.1.0", "a/x.pkt").orElseThrow().kind());
    assertTrue(merged.judgment("linux", "a/x.pkt").isEmpty(), "no judgment is left under the unlabelled column");
    String summary = SummaryMarkdown.render(merged, RunVerdict.of(merged, Allowances.NONE));
    assertTrue(summary.contains("- a/x.pkt (linux 6.1.0): leaves the model: line 4: EstablishedRcvData"), summary);
  }
}
