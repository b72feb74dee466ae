package org.tcpspec.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.KnownDivergences;
import org.tcpspec.conformance.suite.ScriptHeader;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

/**
 * index.html in a real browser: Debian's Chromium, headless, opens the file offline, runs its
 * script and renders it. The DOM it dumps shows the filter at work (index.html#not-passed hides
 * what passed), the two systems' ladders of one script side by side with the first difference
 * marked, the expected packet that never came drawn dashed, and sequence numbers in script values
 * with the absolute ones on hover; the screenshot shows the red verdict bar at the top. Skipped,
 * naming the reason, where no Chromium is installed ({@code .ci/run} installs it).
 */
class ReportInBrowserTest {

  @TempDir static Path tmp;

  private static Optional<Path> chromium;
  private static Path report;

  private static final int SCRIPT = 0xC0000201;
  private static final int SUT = 0xC0A80001;
  private static final int ISN = (int) 3_000_000_000L;

  @BeforeAll
  static void writeReport() throws IOException {
    chromium = Stream.of("chromium", "chromium-browser")
        .flatMap(name -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .map(dir -> Path.of(dir, name)))
        .filter(Files::isExecutable).findFirst();
    report = tmp.resolve("report");
    Report r = report();
    ReportWriter.write(r, RunVerdict.of(r, Allowances.NONE), report);
  }

  private static Segment segment(boolean fromScript, int flags, long seq, long ack) {
    return new Segment(fromScript ? SCRIPT : SUT, fromScript ? SUT : SCRIPT, fromScript ? 48123 : 8080,
        fromScript ? 8080 : 48123, (int) seq, (int) ack, flags, 65535, 0, List.of(), new byte[0]);
  }

  /**
   * One script where linux and java part at the third packet (java's ACK acknowledges one byte
   * too many) and java then misses the FIN the script expects; one script that passes on both.
   */
  private static Report report() {
    List<PacketRecord> handshake = List.of(
        new PacketRecord(0, true, segment(true, TcpFlags.SYN, 0, 0), 3),
        new PacketRecord(100, false, segment(false, TcpFlags.SYN | TcpFlags.ACK, ISN, 1), 4));
    List<PacketRecord> linux = new ArrayList<>(handshake);
    linux.add(new PacketRecord(200, true, segment(true, TcpFlags.ACK, 1, ISN + 1L), 5));
    linux.add(new PacketRecord(300, false, segment(false, TcpFlags.FIN | TcpFlags.ACK, ISN + 1L, 1), 7));
    List<PacketRecord> java = new ArrayList<>(handshake);
    java.add(new PacketRecord(200, true, segment(true, TcpFlags.ACK, 1, ISN + 2L), 5));
    String missing = "close/passive.pkt:7: expected outbound packet > F. 1:1(0) ack 1 at 0.300000 s; none arrived";
    List<RunResult> results = List.of(
        new RunResult("close/passive.pkt", "linux", new Verdict.Pass(), 10, linux),
        new RunResult("listen/open.pkt", "linux", new Verdict.Pass(), 10, handshake),
        new RunResult("close/passive.pkt", "java", new Verdict.Fail(missing), 1, java),
        new RunResult("listen/open.pkt", "java", new Verdict.Pass(), 1, handshake));
    List<Cell> cells = results.stream().map(r -> Cell.judge(r, new KnownDivergences(List.of()))).toList();
    return new Report(cells,
        Map.of("close/passive.pkt", ScriptHeader.parse("// RFC 9293: §3.6 (MUST-12)\n// Actions: PASSIVE_OPEN, ListenRcvSyn\n"
            + "// Linux: x\n"), "listen/open.pkt", ScriptHeader.parse("// RFC 9293: §3.5 (MUST-10)\n// Actions: PASSIVE_OPEN\n")),
        Optional.of(Set.of("PASSIVE_OPEN", "ListenRcvSyn", "ABORT")),
        List.of(new SutRun("linux", Optional.of("6.18.44"), 1.0, 0), new SutRun("java", Optional.empty(), 0.1, 0)),
        Optional.empty(), Optional.empty(), List.of());
  }

  /** Runs headless Chromium on the report with {@code flags}; its standard output. */
  private static String chromium(String address, String... flags) throws IOException, InterruptedException {
    assumeTrue(chromium.isPresent(), "no chromium on PATH (Debian: apt-get install chromium; .ci/run installs it)");
    List<String> cmd = new ArrayList<>(List.of(chromium.get().toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
    cmd.addAll(List.of(flags));
    cmd.add(address);
    Path log = Files.createTempFile(tmp, "chromium", ".log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s; its log: " + Files.readString(log));
    }
    assertEquals(0, p.exitValue(), "chromium failed; its log: " + Files.readString(log));
    return out;
  }

  @Test
  void theFilterLeavesWhatDidNotPassWithBothLaddersSideBySide() throws Exception {
    String dom = chromium(report.resolve("index.html").toUri() + "#not-passed", "--dump-dom");
    assertTrue(dom.contains("data-filter=\"not-passed\""), "the script ran and ticked the box: " + dom);
    assertTrue(dom.contains("<div id=\"verdict\" class=\"failed\">FAILED: 1 failed</div>"), dom);
    Matcher passingRow = Pattern.compile("<tr data-passed=\"yes\"[^>]*>").matcher(dom);
    assertTrue(passingRow.find() && passingRow.group().contains("hidden"), "the passing script's row is hidden: " + dom);
    Matcher passingSection = Pattern.compile("<section class=\"script\" id=\"s-listen-open-pkt\"[^>]*>").matcher(dom);
    assertTrue(passingSection.find() && passingSection.group().contains("hidden"), dom);
    Matcher failing = Pattern.compile("<section class=\"script\" id=\"s-close-passive-pkt\"([^>]*)>(.*?)</section>",
        Pattern.DOTALL).matcher(dom);
    assertTrue(failing.find(), dom);
    assertFalse(failing.group(1).contains("hidden"), "what did not pass stays: " + failing.group());
    String section = failing.group(2);
    assertTrue(section.indexOf("data-sut=\"linux\"") < section.indexOf("data-sut=\"java\""), section);
    assertEquals(2, Pattern.compile("<figure class=\"ladder\"").matcher(section).results().count(), section);
    assertEquals(2, Pattern.compile("class=\"packet inbound first-difference\" data-line=\"5\"").matcher(section)
        .results().count(), "the ACK of line 5 is where both ladders part: " + section);
    assertTrue(section.contains("<g class=\"expected-missing\" data-line=\"7\">"), section);
    assertTrue(section.contains("expected F. 1:1(0) ack 1 at 0.300000 s, none came"), section);
    assertTrue(section.contains(">S. 0:0(0) ack 1 win 65535</text>"), "the stack's numbers count from its ISN: " + section);
    assertTrue(section.contains("absolute seq 3000000000 ack 1 win 65535"), "absolute on hover: " + section);
    assertTrue(dom.contains("id=\"coverage-grid\""), "coverage as a grid");
    Matcher met = Pattern.compile("<tr id=\"req-MUST-10\"[^>]*>").matcher(dom);
    assertTrue(met.find() && met.group().contains("hidden"), "a requirement met on both is hidden: " + dom);
    Matcher notMet = Pattern.compile("<tr id=\"req-MUST-12\"[^>]*>(.*?)</tr>").matcher(dom);
    assertTrue(notMet.find(), dom);
    assertFalse(notMet.group().contains("hidden"), "one java does not meet stays: " + notMet.group());
    assertTrue(notMet.group(1).endsWith("<td class=\"pass\">met</td><td class=\"fail\">not met</td>"), notMet.group());
  }

  @Test
  void theScreenshotShowsTheRedVerdictBarAtTheTop() throws Exception {
    Path shot = tmp.resolve("shot.png");
    chromium(report.resolve("index.html").toUri().toString(), "--screenshot=" + shot, "--window-size=1200,900",
        "--hide-scrollbars");
    BufferedImage image = ImageIO.read(shot.toFile());
    assertEquals(1200, image.getWidth());
    assertEquals(900, image.getHeight());
    int red = 0;
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        if (y < 200 && rgb == 0xC62828) red++;
      }
    }
    assertTrue(red > 20_000, "the verdict bar (#c62828) fills a band at the top: " + red + " pixels");
    assertTrue(colours.size() > 50, "text and tables were drawn: " + colours.size() + " colours");
  }
}
