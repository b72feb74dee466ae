package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tcpspec.abi.Symbol.AF_INET;
import static org.tcpspec.abi.Symbol.SOCK_STREAM;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;

class NetnsTest {
  @BeforeAll
  static void namespacesPossible() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
  }


  @Test
  void nameCarriesPurposePidAndCounterAndLoopbackIsUp() throws Exception {
    try (Netns ns = Netns.create("nstest")) {
      assertTrue(
          ns.name().matches("tcpspec-nstest-" + ProcessHandle.current().pid() + "-\\d+"),
          ns.name());
      assertTrue(Netns.exists(ns.name()));
      assertTrue(ns.isUp("lo"));
      Netns.ExecResult link = ns.exec(List.of("ip", "-o", "link", "show", "lo"));
      assertEquals(0, link.exitCode(), link.toString());
      assertTrue(link.output().contains("UP"), link.output());
      Netns.ExecResult ipv6 = ns.exec(List.of("sysctl", "-n", "net.ipv6.conf.all.disable_ipv6"));
      assertEquals("1", ipv6.output().strip(), "IPv6 is off inside the namespace only");
    }
  }

  /**
   * Made by system calls, the namespace is iproute2's like any other: {@code ip netns list} shows
   * it, the file is a mount of the namespace its thread is in, /run/netns is a shared mount point
   * (so an {@code ip netns exec} shell's copy of the mount goes when it is deleted), and after
   * close neither the name nor the mount is left.
   */
  @Test
  void namespaceIsIproute2sAndLeavesNoMountBehind() throws Exception {
    String name;
    try (Netns ns = Netns.create("nstest")) {
      name = ns.name();
      Netns.ExecResult list = Netns.run(List.of("ip", "netns", "list"), Netns.EXEC_TIMEOUT);
      assertTrue(list.output().lines().anyMatch(l -> l.split(" ")[0].equals(name)), list.output());
      Object inside = ns.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")));
      assertEquals(Files.getAttribute(Path.of("/run/netns", name), "unix:ino"),
          ns.call(() -> Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino")),
          "the name is a mount of the namespace " + inside);
      assertTrue(mountInfo().anyMatch(l -> l.contains(" /run/netns/" + name + " ")));
      assertTrue(mountInfo().anyMatch(l -> l.split(" ")[4].equals("/run/netns") && l.contains(" shared:")),
          "/run/netns is a shared mount point");
    }
    assertFalse(Netns.exists(name));
    assertFalse(mountInfo().anyMatch(l -> l.contains(" /run/netns/" + name + " ")), "no mount left");
  }

  private static java.util.stream.Stream<String> mountInfo() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream();
  }

  /** A name left half made (the file, no mount: a creation cut short by SIGKILL) is removed too. */
  @Test
  void removeStaleRemovesAFileThatWasNeverMounted() throws Exception {
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Path orphan = Path.of("/run/netns", "tcpspec-stale-" + dead.pid() + "-2");
    try (Netns live = Netns.create("nstest")) {
      Files.createFile(orphan);
      assertTrue(Netns.removeStale().contains(orphan.getFileName().toString()));
      assertFalse(Files.exists(orphan));
    } finally {
      Files.deleteIfExists(orphan);
    }
  }

  @Test
  void twoNamespacesNeverShareAName() throws Exception {
    try (Netns a = Netns.create("nstest");
        Netns b = Netns.create("nstest")) {
      assertFalse(a.name().equals(b.name()));
    }
  }

  @Test
  void callRunsOnAPlatformThreadThatStaysTheSame() throws Exception {
    try (Netns ns = Netns.create("nstest")) {
      Thread first = ns.call(Thread::currentThread);
      assertFalse(first.isVirtual());
      assertEquals(first, ns.call(Thread::currentThread));
      assertEquals(42, ns.call(() -> ns.call(() -> 42)), "nested call must not deadlock");
    }
  }

  /** An address added inside one namespace is bindable there and nowhere else. */
  @Test
  void socketCreatedInCallLivesInTheNamespace() throws Exception {
    try (Netns home = Netns.create("nstest");
        Netns other = Netns.create("nstest")) {
      Netns.ExecResult add =
          home.exec(List.of("ip", "addr", "add", "198.51.100.7/32", "dev", "lo"));
      assertEquals(0, add.exitCode(), add.toString());
      SockAddrIn only = SockAddrIn.of("198.51.100.7", 0);

      assertEquals(Errno.NONE, home.call(() -> bindOnce(only)).errno());
      SysResult<Void> elsewhere = other.call(() -> bindOnce(only));
      assertEquals(Errno.EADDRNOTAVAIL, elsewhere.errno(), elsewhere.toString());
    }
  }

  /** The descriptor keeps its namespace when used from a thread outside it. */
  @Test
  void descriptorKeepsItsNamespaceOnAnotherThread() throws Exception {
    try (Netns ns = Netns.create("nstest")) {
      ns.exec(List.of("ip", "addr", "add", "198.51.100.9/32", "dev", "lo"));
      int fd = ns.call(() -> LibcSockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue());
      try (Arena arena = Arena.ofConfined()) {
        SysResult<Void> bound =
            LibcSockets.bind(fd, SockAddrIn.of("198.51.100.9", 0).allocate(arena), SockAddrIn.SIZE);
        assertTrue(bound.succeeded(), bound.toString());
      } finally {
        LibcFiles.close(fd);
      }
    }
  }

  private static SysResult<Void> bindOnce(SockAddrIn address) {
    int fd = LibcSockets.socket(AF_INET.value(), SOCK_STREAM.value(), 0).intValue();
    try (Arena arena = Arena.ofConfined()) {
      return LibcSockets.bind(fd, address.allocate(arena), SockAddrIn.SIZE);
    } finally {
      LibcFiles.close(fd);
    }
  }

  @Test
  void closeDeletesTheNamespaceAndIsIdempotent() throws Exception {
    Netns ns = Netns.create("nstest");
    String name = ns.name();
    ns.close();
    assertFalse(Netns.exists(name));
    ns.close();
    assertThrows(IllegalStateException.class, () -> ns.call(() -> 1));
  }

  @Test
  void namespaceIsGoneAfterAnExceptionInsideTheBlock() throws Exception {
    List<String> names = new ArrayList<>();
    assertThrows(
        IllegalStateException.class,
        () -> {
          try (Netns ns = Netns.create("nstest")) {
            names.add(ns.name());
            ns.call(
                () -> {
                  throw new IllegalStateException("boom");
                });
          }
        });
    assertEquals(1, names.size());
    assertFalse(Netns.exists(names.getFirst()));
  }

  @Test
  void execReportsExitCodeAndOutput() throws Exception {
    try (Netns ns = Netns.create("nstest")) {
      Netns.ExecResult fail = ns.exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
      assertEquals(3, fail.exitCode());
      assertTrue(fail.output().contains("out") && fail.output().contains("err"), fail.output());
    }
  }

  @Test
  void purposeIsValidated() {
    assertThrows(IllegalArgumentException.class, () -> Netns.create("Bad Name"));
  }

  /** A namespace whose process died (SIGKILL leaves them) is removed; a live one is kept. */
  @Test
  void removeStaleDeletesOnlyNamespacesOfDeadProcesses() throws Exception {
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    String orphan = "tcpspec-stale-" + dead.pid() + "-1";
    try (Netns live = Netns.create("nstest")) {
      Process add = new ProcessBuilder("ip", "netns", "add", orphan).start();
      assertEquals(0, add.waitFor());
      assertTrue(Netns.exists(orphan));
      List<String> removed = Netns.removeStale();
      assertTrue(removed.contains(orphan), removed.toString());
      assertFalse(removed.contains(live.name()));
      assertFalse(Netns.exists(orphan));
      assertTrue(Netns.exists(live.name()));
    } finally {
      new ProcessBuilder("ip", "netns", "del", orphan).start().waitFor();
    }
  }

  /** SIGTERM to a JVM holding a namespace: the shutdown hook deletes it. */
  @Test
  void sigtermDeletesTheNamespaceThroughTheShutdownHook() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                NetnsHolder.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String name = out.readLine();
      assertTrue(name != null && name.startsWith("tcpspec-hook-"), "child said: " + name);
      assertTrue(Netns.exists(name));
      child.destroy(); // SIGTERM
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertFalse(Netns.exists(name), name + " survived SIGTERM");
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void attachJoinsAnExistingNamespaceByNameAndLeavesItOnClose() throws Exception {
    Path self = Path.of("/proc/thread-self/ns/net");
    try (Netns owner = Netns.create("nstest")) {
      Object inside = owner.call(() -> Files.readSymbolicLink(self));
      try (Netns joined = Netns.attach(owner.name())) {
        assertEquals(inside, joined.call(() -> Files.readSymbolicLink(self)));
        assertFalse(inside.equals(Files.readSymbolicLink(self)), "the test thread stays out");
        assertTrue(joined.isUp("lo"));
      }
      assertTrue(Netns.exists(owner.name()), "closing an attached namespace does not delete it");
    }
    assertThrows(IOException.class, () -> Netns.attach("tcpspec-none-" + ProcessHandle.current().pid()));
    assertThrows(IllegalArgumentException.class, () -> Netns.attach("../etc"));
  }
}
