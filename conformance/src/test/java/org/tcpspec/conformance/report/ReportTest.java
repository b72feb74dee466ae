package org.tcpspec.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.KnownDivergences;
import org.tcpspec.conformance.suite.ScriptHeader;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

class ReportTest {

  static final Segment SYN = new Segment(0xC0000201, 0xC0A80001, 40000, 8080, 0, 0, TcpFlags.SYN,
      1000, 0, List.of(), new byte[0]);

  private static Report report() {
    KnownDivergences known = KnownDivergences.parse("""
        a/known.pkt | java | reviewed reason
        a/stale.pkt | linux | no longer true
        """);
    List<RunResult> results = List.of(
        new RunResult("a/ok.pkt", "linux", new Verdict.Pass(), 10, List.of(new PacketRecord(0, true, SYN, 4))),
        new RunResult("a/stale.pkt", "linux", new Verdict.Pass(), 10, List.of()),
        new RunResult("a/known.pkt", "java", new Verdict.Fail("a/known.pkt:3: ack: expected 1 vs actual 2"), 1, List.of()),
        new RunResult("a/bad.pkt", "java", new Verdict.Fail("a/bad.pkt:5: win: expected <1> vs actual 2"), 1, List.of()),
        new RunResult("a/ok.pkt", "java", new Verdict.NotAvailable("core stack not landed"), 0, List.of()));
    List<Cell> cells = results.stream().map(r -> Cell.judge(r, known)).toList();
    return new Report(cells,
        Map.of("a/ok.pkt", ScriptHeader.parse("// RFC 9293: §3.5 (MUST-10)\n// Actions: PASSIVE_OPEN\n// Linux: x\n")),
        Optional.of(Set.of("PASSIVE_OPEN", "ABORT")),
        List.of(new SutRun("linux", Optional.of("6.18.44"), 1.5, 0), new SutRun("java", Optional.empty(), 0.1, 0)),
        Optional.of(List.of(new ModelResult("MCTcpEndpoint", "no violation", true, "as expected", 232, 6, 6.1, false))),
        Optional.empty(), List.of());
  }

  @Test
  void cellsAreJudgedAgainstKnownDivergences() {
    Report r = report();
    assertEquals(List.of(Cell.Status.PASS, Cell.Status.STALE, Cell.Status.KNOWN, Cell.Status.FAIL,
        Cell.Status.NOT_AVAILABLE), r.cells().stream().map(Cell::status).toList());
    assertEquals(List.of(Cell.Status.STALE, Cell.Status.FAIL, Cell.Status.NOT_AVAILABLE),
        r.blocking(Allowances.NONE).stream().map(Cell::status).toList());
    assertEquals(List.of(Cell.Status.STALE, Cell.Status.FAIL),
        r.blocking(new Allowances(true, true)).stream().map(Cell::status).toList());
  }

  @Test
  void writesHtmlWithLadderMarkdownJunitAndPcap(@TempDir Path dir) throws Exception {
    Report r = report();
    ReportWriter.write(r, RunVerdict.of(r, Allowances.NONE), dir);
    String html = Files.readString(dir.resolve("index.html"));
    assertTrue(html.contains("<svg"), "ladder");
    assertTrue(html.contains("S 0:0(0) win 1000"), html);
    assertTrue(html.contains("<div id=\"verdict\" class=\"failed\">FAILED: 1 failed; 1 stale"), html);
    assertTrue(html.contains("<td>MCTcpEndpoint</td><td>no violation</td>"), "TLC as a table: " + html);
    assertTrue(html.contains("win: expected &lt;1&gt; vs actual 2"), "escaped failure");
    assertTrue(html.contains("1 of 2 TLA+ actions"), "coverage");
    String md = Files.readString(dir.resolve("summary.md"));
    assertTrue(md.startsWith("# tcpspec conformance\n\n**FAILED: 1 failed; 1 stale"), md);
    assertTrue(md.contains("| linux | 6.18.44 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1.5 s |"), md);
    assertTrue(md.contains("## RFC 9293 requirements\n\n- linux 6.18.44 meets 1 of "), md);
    String junit = Files.readString(dir.resolve("junit/TEST-java.xml"));
    assertTrue(junit.contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"2\""), junit);
    assertTrue(junit.contains("<failure message=\"a/bad.pkt:5: win: expected &lt;1&gt; vs actual 2\""), junit);
    Path pcap = dir.resolve("pcap").resolve("linux-a-ok-pkt.pcap");
    assertTrue(Files.exists(pcap), html.lines().filter(l -> l.contains("pcap")).toList().toString());
    assertEquals(24 + 16 + 40, Files.size(pcap));
  }

  @Test
  void withoutTheSpecsActionsCoverageIsLeftOutAndTheNoteSaysSo() {
    Report full = report();
    Report r = new Report(full.cells(), full.headers(), Optional.empty(), full.sutRuns(),
        Optional.empty(), Optional.empty(), List.of("no spec here"));
    RunVerdict verdict = RunVerdict.of(r, Allowances.NONE);
    String html = HtmlReport.render(r, verdict, Map.of());
    assertTrue(html.contains("<b>Note:</b> no spec here"), html);
    assertFalse(html.contains("coverage-grid"), html);
    assertTrue(html.contains("MUST-10"), "labels need no spec: " + html);
    String md = SummaryMarkdown.render(r, verdict);
    assertTrue(md.contains("> Note: no spec here"), md);
    assertFalse(md.contains("TLA+ actions named by scripts"), md);
  }

  @Test
  void oneJunitFileHoldsEverySystemAndTimesEachByItsWallTime() {
    String xml = JUnitXml.renderAll(report());
    assertTrue(xml.contains("<testsuites name=\"tcpspec\" tests=\"5\" failures=\"2\" errors=\"0\" skipped=\"2\""), xml);
    assertTrue(xml.contains("<testsuite name=\"conformance.linux\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"1.500\">"), xml);
    assertTrue(xml.contains("<testsuite name=\"conformance.java\" tests=\"3\""), xml);
  }
}
