package org.tcpspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.app.NamedNamespace;
import org.tcpspec.device.linux.Netns;

/**
 * Issue 13: {@code serve --netns NAME} after a serve was killed (kill -9) removes what it left and
 * says so; while a live tcpspec holds NAME, serve refuses with a clear error and exit 1.
 */
@Timeout(60)
class ServeNamespaceClaimTest {
  private final String name = "tcpspec-servetest-" + ProcessHandle.current().pid();

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

  private static int ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor();
  }

  @Test
  void aNamespaceLeftByAKilledServeIsRemovedBeforeTheNameIsUsedAgain() throws Exception {
    // Simulated kill -9: the namespace, something in it, and the marker of a pid that is gone.
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    assertEquals(0, ip("netns", "add", name));
    assertEquals(0, ip("-n", name, "link", "set", "lo", "mtu", "1234"));
    Files.createDirectories(Path.of("/run/tcpspec/netns"));
    Files.writeString(Path.of("/run/tcpspec/netns", name), "pid " + dead.pid() + "\nstart -\ncreated true\n");

    List<String> said = new ArrayList<>();
    try (NamedNamespace ns = NamedNamespace.hold(name, said::add)) {
      assertEquals(List.of("removed network namespace " + name + ", left by tcpspec pid " + dead.pid()
          + " which is gone"), said);
      assertTrue(ns.created(), "a fresh namespace, this run's to delete");
      String lo = new String(new ProcessBuilder("ip", "-n", name, "link", "show", "lo").start().getInputStream()
          .readAllBytes());
      assertFalse(lo.contains("mtu 1234"), "nothing of the old one is left: " + lo);
    }
    assertFalse(Netns.exists(name), "deleted when the second run ends");
    assertFalse(Files.exists(Path.of("/run/tcpspec/netns", name)));
  }

  @Test
  void serveRefusesANameALiveTcpspecHolds() throws Exception {
    try (NamedNamespace held = NamedNamespace.hold(name, line -> { })) {
      CliRun r = CliRun.of("serve", "--netns", name, "--app", "echo");
      assertEquals(1, r.exitCode(), r.out() + r.err());
      assertTrue(r.err().contains("tcpspec serve: network namespace " + name + " is in use by tcpspec (pid "
          + ProcessHandle.current().pid() + ")"), r.err());
      assertTrue(Netns.exists(name), "the holder's namespace is untouched");
    }
    assertFalse(Netns.exists(name));
  }
}
