package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpspec.device.linux.Netns;

/**
 * Each run's shell keeps iproute2 nstat's history in a file of its own, not in the
 * {@code /tmp/.<uid>.nstat} every namespace shares, and removes it when the run ends.
 */
class NamespaceShellTest {
  @BeforeAll
  static void namespacesAndNstat() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/nstat")) || Files.isExecutable(Path.of("/sbin/nstat")),
        "skipped: iproute2's nstat is not installed");
  }

  @Test
  void twoRunsKeepTheirNstatHistoriesApartAndRemoveThemAtTheEnd() throws Exception {
    Path here = Path.of(".").toAbsolutePath();
    Path firstHistory;
    Path secondHistory;
    try (Netns a = Netns.create("nstathista"); Netns b = Netns.create("nstathistb");
        NamespaceShell first = NamespaceShell.start(a); NamespaceShell second = NamespaceShell.start(b)) {
      firstHistory = first.nstatHistory();
      secondHistory = second.nstatHistory();
      assertNotEquals(firstHistory, secondHistory);
      assertEquals(firstHistory.toString(), first.run("echo \"$NSTAT_HISTORY\"", here).output().strip());

      // An incremental nstat (no -a, no -s) records its namespace's counters in its run's file.
      assertEquals(0, first.run("nstat -n", here).exitStatus());
      assertTrue(Files.exists(firstHistory), "nstat -n wrote no history at " + firstHistory);
      assertFalse(Files.exists(secondHistory), "the other run's history was written");
      assertEquals(0, second.run("nstat -n", here).exitStatus());
      assertTrue(Files.exists(secondHistory));

      // A line may still name a history of its own.
      Path own = firstHistory.resolveSibling("own");
      assertEquals(0, first.run("NSTAT_HISTORY=" + own + " nstat -n", here).exitStatus());
      assertTrue(Files.exists(own));
    }
    assertFalse(Files.exists(firstHistory.getParent()), "the first run's folder was left behind");
    assertFalse(Files.exists(secondHistory.getParent()), "the second run's folder was left behind");
  }
}
