package org.tcpspec.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        new RunResult("s/a/ok.pkt", "linux", new Verdict.Pass(), 10, List.of(new PacketRecord(0, true, SYN, 4))),
        new RunResult("s/a/stale.pkt", "linux", new Verdict.Pass(), 10, List.of()),
        new RunResult("s/a/known.pkt", "java", new Verdict.Fail("s/a/known.pkt:3: ack: expected 1 vs actual 2"), 1, List.of()),
        new RunResult("s/a/bad.pkt", "java", new Verdict.Fail("s/a/bad.pkt:5: win: expected <1> vs actual 2"), 1, List.of()),
        new RunResult("s/a/ok.pkt", "java", new Verdict.NotAvailable("core stack not landed"), 0, List.of()));
    List<Cell> cells = results.stream().map(r -> Cell.judge(r, known)).toList();
    return new Report(cells,
        Map.of("s/a/ok.pkt", ScriptHeader.parse("// RFC 9293: §3.5 (MUST-10)\n// Actions: PASSIVE_OPEN\n// Linux: x\n")),
        Set.of("PASSIVE_OPEN", "ABORT"), Map.of("linux", 1.5, "java", 0.1), Optional.of("ok"), Path.of("s"));
  }

  @Test
  void cellsAreJudgedAgainstKnownDivergences() {
    Report r = report();
    assertEquals(List.of(Cell.Status.PASS, Cell.Status.STALE, Cell.Status.KNOWN, Cell.Status.FAIL,
        Cell.Status.NOT_AVAILABLE), r.cells().stream().map(Cell::status).toList());
    assertTrue(r.failed());
  }

  @Test
  void writesHtmlWithLadderMarkdownJunitAndPcap(@TempDir Path dir) throws Exception {
    ReportWriter.write(report(), dir, 1_700_000_000_000_000L);
    String html = Files.readString(dir.resolve("index.html"));
    assertTrue(html.contains("<svg"), "ladder");
    assertTrue(html.contains("S 0(0) win 1000"), html);
    assertTrue(html.contains("win: expected &lt;1&gt; vs actual 2"), "escaped failure");
    assertTrue(html.contains("1 of 2 actions"), "coverage");
    String md = Files.readString(dir.resolve("summary.md"));
    assertTrue(md.contains("| linux | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 1.5 s |"), md);
    assertTrue(md.contains("MUST-10"), md);
    String junit = Files.readString(dir.resolve("junit/TEST-java.xml"));
    assertTrue(junit.contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"2\""), junit);
    assertTrue(junit.contains("<failure message=\"s/a/bad.pkt:5: win: expected &lt;1&gt; vs actual 2\""), junit);
    Path pcap = dir.resolve("pcap").resolve(HtmlReport.anchor("s/a/ok.pkt", "linux") + ".pcap");
    assertTrue(Files.exists(pcap), html.lines().filter(l -> l.contains("pcap")).toList().toString());
    assertEquals(24 + 16 + 40, Files.size(pcap));
  }
}
