package org.tcpspec.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.KnownDivergences;

/**
 * Recorded Linux baselines, on the data the repository holds (reports/baselines/): which baseline
 * a kernel is compared with, and when a linux cell reads "Linux changed since &lt;release&gt;"
 * instead of failing. No kernel is needed: the cells are made here.
 */
class LinuxBaselineTest {
  static final Path RECORDED = Path.of("../reports/baselines");

  @TempDir Path tmp;

  private static LinuxBaseline recorded() throws IOException {
    List<LinuxBaseline> all = LinuxBaseline.readAll(RECORDED);
    assertFalse(all.isEmpty(), "the repository records at least one baseline in " + RECORDED);
    return all.getLast();
  }

  private static RunResult failing(String script, int line) {
    return new RunResult(script, "linux", new Verdict.Fail(script + ":" + line + ": outbound packet: ack: expected 1 vs"
        + " actual 2"), 5, List.of());
  }

  /** A release newer than every recorded one, so that it has no baseline of its own. */
  private static String newer(LinuxBaseline b) {
    return (Integer.parseInt(b.release().split("\\.")[0]) + 1) + ".0.0";
  }

  @Test
  void onANewerKernelWithoutItsOwnBaselineAFailureThatWasAPassReadsLinuxChanged() throws IOException {
    LinuxBaseline base = recorded();
    String script = base.outcomes().entrySet().stream().filter(e -> e.getValue().key().equals("pass"))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    Optional<LinuxBaseline> reference = LinuxBaseline.reference(List.of(base), newer(base));
    assertEquals(Optional.of(base), reference);
    Cell c = Cell.judge(failing(script, 9), new KnownDivergences(List.of()), reference);
    assertEquals(Cell.Status.LINUX_CHANGED, c.status());
    assertTrue(c.message().startsWith("Linux changed since " + base.release() + ": pass there, fail line 9 here"),
        c.message());
    Report r = new Report(List.of(c), Map.of(), Optional.empty(),
        List.of(new SutRun("linux", Optional.of(newer(base)), 1, 0)), Optional.empty(), Optional.empty(), List.of());
    RunVerdict v = RunVerdict.of(r, Allowances.NONE);
    assertTrue(v.passed(), "a change of Linux is news, not a failure: " + v.line());
    assertTrue(v.line().contains("1 linux cell changed since " + base.release()), v.line());
    Cell same = Cell.judge(new RunResult(script, "linux", new Verdict.Pass(), 5, List.of()),
        new KnownDivergences(List.of()), reference);
    assertEquals(Cell.Status.PASS, same.status());
    assertTrue(same.change().isEmpty());
  }

  @Test
  void onTheRecordedKernelItselfOrAnOlderOneAFailureFails() throws IOException {
    LinuxBaseline base = recorded();
    String script = base.outcomes().keySet().iterator().next();
    assertEquals(Optional.empty(), LinuxBaseline.reference(List.of(base), base.release()), "its own baseline");
    assertEquals(Optional.empty(), LinuxBaseline.reference(List.of(base), "4.19.0"), "no older baseline");
    Cell own = Cell.judge(failing(script, 9), new KnownDivergences(List.of()),
        LinuxBaseline.reference(List.of(base), base.release()));
    assertEquals(Cell.Status.FAIL, own.status());
    assertFalse(RunVerdict.of(new Report(List.of(own), Map.of(), Optional.empty(),
        List.of(new SutRun("linux", Optional.of(base.release()), 1, 0)), Optional.empty(), Optional.empty(), List.of()),
        Allowances.NONE).passed());
  }

  @Test
  void aFailureTheBaselineRecordedTooIsNoChangeAndFails() {
    LinuxBaseline old = new LinuxBaseline("6.1.0", Map.of("x.pkt", new LinuxBaseline.Outcome("fail line 9", "...")));
    Optional<LinuxBaseline> ref = LinuxBaseline.reference(List.of(old), "6.6.0");
    assertEquals(Cell.Status.FAIL, Cell.judge(failing("x.pkt", 9), new KnownDivergences(List.of()), ref).status());
    assertEquals(Cell.Status.LINUX_CHANGED,
        Cell.judge(failing("x.pkt", 12), new KnownDivergences(List.of()), ref).status());
  }

  @Test
  void theNearestOlderReleaseIsTheReferenceInKernelOrder() {
    List<LinuxBaseline> all = List.of(new LinuxBaseline("6.9.0", Map.of()), new LinuxBaseline("6.18.2-arch1", Map.of()),
        new LinuxBaseline("5.15.0", Map.of()));
    assertEquals("6.18.2-arch1", LinuxBaseline.reference(all, "6.19.1").orElseThrow().release());
    assertEquals("6.9.0", LinuxBaseline.reference(all, "6.12.7").orElseThrow().release());
    assertTrue(LinuxBaseline.compareReleases("6.9.0", "6.18.0") < 0, "6.9 comes before 6.18");
  }

  @Test
  void aRecordedBaselineReadsBackAndABadLineNamesFileAndLine() throws IOException {
    LinuxBaseline b = new LinuxBaseline("6.18.44-x", Map.of("a/ok.pkt", new LinuxBaseline.Outcome("pass", ""),
        "a/bad.pkt", new LinuxBaseline.Outcome("fail line 4", "a/bad.pkt:4: seq: expected 1 vs actual 2")));
    Path file = LinuxBaseline.file(tmp, b.release());
    Files.writeString(file, b.format("2026-12-04"));
    assertEquals(b, LinuxBaseline.read(file));
    Files.writeString(file, "# header\na/ok.pkt\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinuxBaseline.read(file));
    assertTrue(e.getMessage().startsWith(file + ":2: expected 'script<TAB>outcome<TAB>detail'"), e.getMessage());
  }
}
