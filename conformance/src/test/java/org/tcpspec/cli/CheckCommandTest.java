package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
  void aModelThatMatchesItsManifestEntryExitsZeroWithATableRow() {
    CliRun r = run("check", "--model", "MCTcpEndpoint");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("Model checking completed"), "TLC's progress is shown: " + r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.startsWith("MCTcpEndpoint ") && l.contains(" 246 ")
            && l.contains("as expected")),
        r.out());
  }

  @Test
  void anExpectedViolationPrintsTheCounterexampleAndExitsZero() {
    CliRun r = run("check", "--quiet", "--model", "MCTcpSystemSimOpen");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("counterexample of MCTcpSystemSimOpen (NoSimultaneousOpen)"), r.out());
    assertTrue(r.out().contains("State 1: <Initial predicate>"), r.out());
  }

  @Test
  void aCountThatDiffersFromTheManifestExitsOneAndSaysWhich() throws IOException {
    Path dir = ModelFiles.extract();
    try {
      Path manifest = dir.resolve("manifest.json");
      String text = Files.readString(manifest);
      assertTrue(text.contains("\"distinctStates\": 246,"), "fixture assumption: " + text);
      Files.writeString(manifest, text.replace("\"distinctStates\": 246,", "\"distinctStates\": 245,"));
      CliRun r = run("check", "--quiet", "--spec-dir", dir.toString(), "--model", "MCTcpEndpoint");
      assertEquals(1, r.exitCode(), r.out() + r.err());
      assertTrue(r.err().contains("distinct states: expected 245 vs actual 246"), r.err());
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
