package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a namespace tcpspec holds under a user's name is recognisable by its marker; a live
 * holder keeps it, a dead one's leftovers are removed by the next claimant.
 */
class NetnsClaimTest {
  private final String name = "tcpspec-claimtest-" + ProcessHandle.current().pid();

  @BeforeAll
  static void namespaces() {
    Optional<String> why = Netns.whyUnavailable();
    assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (Netns.exists(name)) new ProcessBuilder("ip", "netns", "del", name).start().waitFor();
    Files.deleteIfExists(Path.of("/run/tcpspec/netns", name));
  }

  /** What a serve killed by SIGKILL leaves: its namespace and a marker naming a dead pid. */
  private void leftByADeadProcess(boolean created) throws Exception {
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    assertEquals(0, new ProcessBuilder("ip", "netns", "add", name).start().waitFor());
    Files.createDirectories(Path.of("/run/tcpspec/netns"));
    Files.writeString(Path.of("/run/tcpspec/netns", name), "pid " + dead.pid() + "\nstart -\ncreated " + created + "\n");
  }

  @Test
  void aLiveClaimIsRecognisedAndExclusive() throws Exception {
    NetnsClaim claim = NetnsClaim.claim(name, true);
    NetnsClaim.Holder h = NetnsClaim.holder(name).orElseThrow();
    assertEquals(ProcessHandle.current().pid(), h.pid());
    assertTrue(h.alive() && h.created());
    assertEquals(Optional.empty(), NetnsClaim.clearStale(name), "a live holder is not stale");
    IOException second = assertThrows(IOException.class, () -> NetnsClaim.claim(name, false));
    assertTrue(second.getMessage().contains("held by pid " + ProcessHandle.current().pid()), second.getMessage());
    claim.release();
    assertTrue(NetnsClaim.holder(name).isEmpty());
  }

  @Test
  void aNamespaceLeftByAKilledProcessIsRemovedByTheNextClaimant() throws Exception {
    leftByADeadProcess(true);
    NetnsClaim.Holder h = NetnsClaim.holder(name).orElseThrow();
    assertFalse(h.alive());
    String said = NetnsClaim.clearStale(name).orElseThrow();
    assertTrue(said.startsWith("removed network namespace " + name + ", left by tcpspec pid " + h.pid()), said);
    assertFalse(Netns.exists(name));
    assertTrue(NetnsClaim.holder(name).isEmpty());
    NetnsClaim.claim(name, true).release();
  }

  @Test
  void aKilledProcessNotYetReapedHoldsNothing() throws Exception {
    // kill -9 leaves a zombie until its parent waits: it still has a pid, but holds no name. The
    // parent here (an exec'd sleep) never waits for its child.
    Process parent = new ProcessBuilder("sh", "-c", "sleep 60 & echo $!; exec sleep 60").start();
    try {
      long child = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream()))
          .readLine().strip());
      Files.createDirectories(Path.of("/run/tcpspec/netns"));
      Files.writeString(Path.of("/run/tcpspec/netns", name), "pid " + child + "\nstart -\ncreated false\n");
      assertTrue(NetnsClaim.holder(name).orElseThrow().alive());
      assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(child)).start().waitFor());
      for (int i = 0; i < 200 && !Files.readString(Path.of("/proc", Long.toString(child), "stat")).contains(") Z"); i++) {
        Thread.sleep(10);
      }
      assertTrue(ProcessHandle.of(child).isPresent(), "the zombie still has its pid");
      assertFalse(NetnsClaim.holder(name).orElseThrow().alive(), "but holds nothing");
    } finally {
      parent.destroyForcibly().waitFor();
    }
  }

  @Test
  void aUsersNamespaceOnlyLosesTheDeadClaim() throws Exception {
    leftByADeadProcess(false);
    String said = NetnsClaim.clearStale(name).orElseThrow();
    assertTrue(said.startsWith("cleared the claim on network namespace " + name), said);
    assertTrue(Netns.exists(name), "it was the user's: it stays");
  }
}
