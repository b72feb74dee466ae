package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.report.Cell;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.report.ResultsFile;
import org.tcpspec.wire.SegmentEmitter;

/**
 * {@code run --shard i/n} and {@code merge}: the project's suite on the java stack in two shards,
 * merged, is the same report as the suite run whole: the same cells with the same verdicts,
 * messages and packets, the same summary but for times and notes, the same exit code.
 */
class ShardMergeTest {

  @TempDir Path tmp;

  private CliRun run(String report, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("run", "--sut", "java", "--progress", "lines", "--root", "..",
        "--report", tmp.resolve(report).toString()));
    args.addAll(List.of(more));
    args.add("../packetdrill-scripts");
    return CliRun.of(args.toArray(String[]::new));
  }

  /**
   * The temporary file a python block's program ran from, as a traceback names it: a new name each
   * run (packetdrill's code.c makes one with mkstemp too), so the same failure reads alike.
   */
  private static String withoutPythonFile(String text) {
    return text.replaceAll("code_[\\d_]+\\.py", "code_N.py");
  }

  /** What a cell says, without how long it took or its python program's file name. */
  private static String describe(Cell c) {
    StringBuilder b = new StringBuilder(withoutPythonFile(c.result().sut() + " " + c.result().script() + " "
        + c.status() + " " + c.message() + " " + c.result().verdict()));
    c.result().packets().forEach(p -> b.append(' ').append(p.micros()).append(p.inbound() ? '<' : '>')
        .append(p.scriptLine()).append(java.util.HexFormat.of().formatHex(SegmentEmitter.emit(p.segment()))));
    return b.toString();
  }

  /** summary.md without wall times, notes and python file names, which differ between runs by nature. */
  private static String summary(Path dir) throws IOException {
    return withoutPythonFile(Files.readString(dir.resolve("summary.md")).replaceAll("\\d+\\.\\d s", "T")
        .replaceAll("(?m)^> .*\\n\\n", ""));
  }

  @Test
  void twoShardsMergedAreTheWholeRun() throws IOException {
    CliRun whole = run("whole");
    CliRun first = run("shard-1", "--shard", "1/2");
    CliRun second = run("shard-2", "--shard", "2/2");
    assertEquals(0, whole.exitCode(), whole.out());
    assertEquals(0, first.exitCode(), first.out());
    assertEquals(0, second.exitCode(), second.out());
    Report a = ResultsFile.read(tmp.resolve("shard-1").resolve(ResultsFile.NAME));
    Report b = ResultsFile.read(tmp.resolve("shard-2").resolve(ResultsFile.NAME));
    Set<String> inA = new HashSet<>(a.scripts());
    assertFalse(inA.isEmpty() || b.scripts().isEmpty(), "both shards have scripts");
    assertTrue(b.scripts().stream().noneMatch(inA::contains), "no script is in both shards");
    assertEquals(List.of("1/2", "2/2"), List.of(a.shard().orElseThrow(), b.shard().orElseThrow()));

    CliRun merged = CliRun.of("merge", "--report", tmp.resolve("merged").toString(),
        tmp.resolve("shard-1").toString(), tmp.resolve("shard-2").toString());
    assertEquals(0, merged.exitCode(), merged.out() + merged.err());
    assertTrue(merged.out().contains("PASSED"), merged.out());
    Report all = ResultsFile.read(tmp.resolve("whole").resolve(ResultsFile.NAME));
    Report joined = ResultsFile.read(tmp.resolve("merged").resolve(ResultsFile.NAME));
    assertEquals(all.cells().size(), a.cells().size() + b.cells().size());
    assertEquals(all.cells().stream().map(ShardMergeTest::describe).toList(),
        joined.cells().stream().map(ShardMergeTest::describe).toList());
    assertEquals(all.headers(), joined.headers());
    assertEquals(all.specActions(), joined.specActions());
    assertEquals(summary(tmp.resolve("whole")), summary(tmp.resolve("merged")));
    assertTrue(joined.notes().contains("Joins all 2 shards of the suite."), joined.notes().toString());
  }

  @Test
  void aMissingShardIsNamedAndABadShardOrFolderIsAUsageError() throws IOException {
    run("shard-1", "--shard", "1/3");
    CliRun merged = CliRun.of("merge", "--report", tmp.resolve("merged").toString(), tmp.resolve("shard-1").toString());
    assertTrue(merged.out().contains("note: Shards missing from this merge: 2/3, 3/3"), merged.out());
    assertEquals(TcpspecCli.EXIT_USAGE, run("x", "--shard", "3/2").exitCode());
    CliRun bad = run("x", "--shard", "half");
    assertEquals(TcpspecCli.EXIT_USAGE, bad.exitCode());
    assertTrue(bad.err().contains("'half': expected i/n"), bad.err());
    CliRun noResults = CliRun.of("merge", tmp.toString());
    assertEquals(TcpspecCli.EXIT_USAGE, noResults.exitCode());
    assertTrue(noResults.err().contains("no results.json in " + tmp), noResults.err());
  }
}
