package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tcpspec.stack.LinuxMib;

/**
 * The java system under test's nstat behaves as iproute2's nstat (misc/nstat.c) over the stack's
 * counters: increments since the history, which it then records (-n records without printing, -s
 * prints without recording), absolute values with -a, zeros with -z, case-insensitive wildcards,
 * the history per cell or at $NSTAT_HISTORY, and nstat's "#kernel" header and columns. The script
 * runs here as in a shell line, without a namespace.
 */
class JavaNstatTest {

  private static Map<String, Long> counters(long icmps, long beyond, long rcvq) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("TcpExtOutOfWindowIcmps", icmps);
    m.put("TcpExtBeyondWindow", beyond);
    m.put("TcpExtTCPRcvQDrop", rcvq);
    return m;
  }

  /** Runs {@code nstat args} as a shell line would, after the runner wrote {@code counters}. */
  private static String nstat(JavaNstat cell, Map<String, Long> counters, Map<String, String> extra, String... args)
      throws IOException, InterruptedException {
    return nstat(Map.of(), cell, counters, extra, args);
  }

  /**
   * {@code nstat args} in a shell whose environment has {@code inherited} (what tcpspec was started
   * with), then the cell's variables, then {@code extra} (the line's own assignments).
   */
  private static String nstat(Map<String, String> inherited, JavaNstat cell, Map<String, Long> counters,
      Map<String, String> extra, String... args) throws IOException, InterruptedException {
    Map<String, String> env = cell.before(counters);
    // As sh -c finds it on the line's PATH: the cell's nstat comes first, the kernel's is not run.
    List<String> command = new ArrayList<>(List.of("sh", "-c", "nstat \"$@\"", "sh"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(inherited);
    pb.environment().putAll(env);
    pb.environment().putAll(extra);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  private static String nstat(JavaNstat cell, Map<String, Long> counters, String... args)
      throws IOException, InterruptedException {
    return nstat(cell, counters, Map.of(), args);
  }

  private static String row(String name, long value) {
    return String.format("%-32s%-16d%6.1f%n", name, value, 0.0);
  }

  @Test
  void theFirstCallShowsAbsoluteValuesThenOnlyWhatGrewInNstatsColumns() throws Exception {
    try (JavaNstat cell = JavaNstat.create()) {
      assertEquals("#kernel\n" + row("TcpExtBeyondWindow", 3), nstat(cell, counters(0, 3, 0)));
      assertEquals("#kernel\n", nstat(cell, counters(0, 3, 0)), "nothing grew");
      assertEquals("#kernel\n" + row("TcpExtOutOfWindowIcmps", 1) + row("TcpExtBeyondWindow", 2),
          nstat(cell, counters(1, 5, 0)));
    }
  }

  @Test
  void dashNRecordsWithoutPrintingAndDashSPrintsWithoutRecording() throws Exception {
    try (JavaNstat cell = JavaNstat.create()) {
      assertEquals("", nstat(cell, counters(0, 4, 1), "-n"));
      assertEquals("#kernel\n" + row("TcpExtBeyondWindow", 3), nstat(cell, counters(0, 7, 1), "-s"));
      assertEquals("#kernel\n" + row("TcpExtBeyondWindow", 3), nstat(cell, counters(0, 7, 1), "-s"),
          "-s left the history as -n wrote it");
      // The selftests' way to read one counter: nstat -s | grep NAME | grep -q " 3 "
      assertTrue(nstat(cell, counters(0, 7, 1), "-s").contains(" 3 "));
    }
  }

  @Test
  void dashAShowsAbsoluteValuesAndDashZShowsZeros() throws Exception {
    try (JavaNstat cell = JavaNstat.create()) {
      nstat(cell, counters(0, 4, 1), "-n");
      assertEquals("#kernel\n" + row("TcpExtBeyondWindow", 4) + row("TcpExtTCPRcvQDrop", 1),
          nstat(cell, counters(0, 4, 1), "-a"));
      assertEquals("#kernel\n" + row("TcpExtOutOfWindowIcmps", 0) + row("TcpExtBeyondWindow", 0)
          + row("TcpExtTCPRcvQDrop", 0), nstat(cell, counters(0, 4, 1), "-sz"));
      assertEquals("#kernel\n" + row("TcpExtOutOfWindowIcmps", 0) + row("TcpExtBeyondWindow", 4)
          + row("TcpExtTCPRcvQDrop", 1), nstat(cell, counters(0, 4, 1), "--zeros", "--ignore"));
    }
  }

  @Test
  void patternsAreCaseInsensitiveWildcardsAndKeepTheOtherCountersHistory() throws Exception {
    try (JavaNstat cell = JavaNstat.create()) {
      nstat(cell, counters(1, 1, 0), "-n");
      assertEquals("#kernel\n" + row("TcpExtBeyondWindow", 2), nstat(cell, counters(2, 3, 0), "tcpext*WINDOW"));
      assertEquals("#kernel\n" + row("TcpExtOutOfWindowIcmps", 1), nstat(cell, counters(2, 3, 0)),
          "the call with a pattern recorded only what it matched");
      assertEquals("#kernel\n" + row("TcpExtTCPRcvQDrop", 1), nstat(cell, counters(2, 3, 1), "TcpExtTCPRcvQ?rop"));
    }
  }

  @Test
  void eachCellKeepsItsOwnHistoryAndNstatHistoryMovesIt() throws Exception {
    try (JavaNstat first = JavaNstat.create(); JavaNstat second = JavaNstat.create()) {
      nstat(first, counters(0, 5, 0), "-n");
      assertEquals("#kernel\n" + row("TcpExtBeyondWindow", 5), nstat(second, counters(0, 5, 0)),
          "another cell's history is not this one's");
      Path elsewhere = first.dir().resolve("elsewhere");
      Map<String, String> env = Map.of("NSTAT_HISTORY", elsewhere.toString());
      assertEquals("#kernel\n" + row("TcpExtBeyondWindow", 6), nstat(first, counters(0, 6, 0), env));
      assertTrue(Files.readString(elsewhere).contains("TcpExtBeyondWindow"));
      assertEquals("#kernel\n", nstat(first, counters(0, 6, 0), env));
      assertEquals("#kernel\n" + row("TcpExtBeyondWindow", 6), nstat(first, counters(0, 6, 0), "-r"),
          "-r forgets the history");
    }
  }

  @Test
  void theStacksCountersAreOfferedByTheirNstatNames() throws Exception {
    Map<String, Long> all = JavaNstat.counters(new LinuxMib());
    assertTrue(all.containsKey("TcpExtBeyondWindow"));
    assertTrue(all.containsKey("TcpExtOutOfWindowIcmps"));
    assertTrue(all.containsKey("TcpExtTCPZeroWindowDrop"));
    assertTrue(all.containsKey("TcpExtTCPRcvQDrop"));
    assertFalse(all.values().stream().anyMatch(v -> v != 0));
    JavaNstat cell = JavaNstat.create();
    cell.close();
    assertFalse(Files.exists(cell.dir()), "close deletes the cell's folder");
  }

  /**
   * An NSTAT_HISTORY in tcpspec's own environment would be every cell's history, as iproute2's
   * default file is every namespace's: the runner gives each cell's lines its own.
   */
  @Test
  void anInheritedNstatHistoryIsNotSharedBetweenCells() throws Exception {
    Path shared = Files.createTempFile("tcpspec-shared-nstat-", "");
    Files.delete(shared);
    Map<String, String> inherited = Map.of("NSTAT_HISTORY", shared.toString());
    try (JavaNstat first = JavaNstat.create(); JavaNstat second = JavaNstat.create()) {
      nstat(inherited, first, counters(0, 5, 0), Map.of(), "-n");
      assertEquals("#kernel\n" + row("TcpExtBeyondWindow", 5), nstat(inherited, second, counters(0, 5, 0), Map.of()),
          "the first cell's nstat -n wrote no history the second reads");
      assertFalse(Files.exists(shared), "a cell wrote the inherited history");
      assertTrue(Files.exists(first.dir().resolve("history")) && Files.exists(second.dir().resolve("history")));
    } finally {
      Files.deleteIfExists(shared);
    }
  }
}
