package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tcpspec.spec.ModelFiles;

/** {@code tcpspec check} on the fast models; the whole manifest runs in spec's own build. */
class CheckCommandTest {


  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void aModelThatMatchesItsManifestEntryPrintsOneLineAndATableRowAndExitsZero() {
    CliRun r = run("check", "--model", "MCTcpEndpoint");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("MCTcpEndpoint: no violation, as expected (265 distinct states")),
        r.out());
    assertFalse(r.out().contains("Model checking completed"), "TLC's progress only with --verbose: " + r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.startsWith("MCTcpEndpoint ") && l.contains(" 265 ")
            && l.endsWith("as expected")),
        r.out());
  }

  @Test
  void anExpectedViolationReadsAsExpectedAndItsTraceComesWithVerbose() {
    CliRun r = run("check", "--model", "MCTcpSystemSimOpen");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("MCTcpSystemSimOpen: NoSimultaneousOpen violated, as expected ("), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("MCTcpSystemSimOpen ") && l.endsWith("violated, as expected")),
        r.out());
    assertFalse(r.out().contains("State 1:"), r.out());
    assertFalse(r.out().contains("Error:"), r.out());
    assertTrue(r.out().contains("Traces of the violations: tcpspec check --verbose"), r.out());

    CliRun verbose = run("check", "--verbose", "--model", "MCTcpSystemSimOpen");
    assertEquals(0, verbose.exitCode(), verbose.out() + verbose.err());
    assertTrue(verbose.out().contains("counterexample of MCTcpSystemSimOpen (NoSimultaneousOpen)"), verbose.out());
    assertTrue(verbose.out().contains("State 1: <Initial predicate>"), verbose.out());
  }

  @Test
  void aCountThatDiffersFromTheManifestExitsOneAndSaysWhich() throws IOException {
    Path dir = ModelFiles.extract();
    try {
      Path manifest = dir.resolve("manifest.json");
      String text = Files.readString(manifest);
      assertTrue(text.contains("\"distinctStates\": 265,"), "fixture assumption: " + text);
      Files.writeString(manifest, text.replace("\"distinctStates\": 265,", "\"distinctStates\": 264,"));
      CliRun r = run("check", "--spec-dir", dir.toString(), "--model", "MCTcpEndpoint");
      assertEquals(1, r.exitCode(), r.out() + r.err());
      assertTrue(r.err().contains("distinct states: expected 264 vs actual 265"), r.err());
      assertTrue(r.out().contains("DIFFERS"), r.out());
    } finally {
      ModelFiles.deleteTree(dir);
    }
  }

  @Test
  void anUnknownModelIsAUsageErrorListingTheModels() {
    CliRun r = run("check", "--model", "MCNoSuchModel");
    assertEquals(TcpspecCli.EXIT_USAGE, r.exitCode());
    assertTrue(r.err().contains("MCNoSuchModel") && r.err().contains("MCTcpSystemCI"), r.err());
  }
}
