package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.device.linux.Netns;

/**
 * Java cells share pooled shell namespaces: what one cell's lines set must be gone when the next
 * cell takes the namespace, and a namespace that cannot be put back must not be taken again. The
 * tests run one cell at a time, so the namespace a cell releases is the one the next takes.
 */
class SysctlNamespacePoolTest {
  @TempDir Path dir;

  @BeforeEach
  void namespacesPossible() {
    assumeTrue(SysctlNamespace.whyUnavailable().isEmpty(), () -> "skipped: " + SysctlNamespace.whyUnavailable().get());
  }

  @Test
  void sysctlsAndQdiscsOfOneCellAreResetBeforeTheNextTakesTheNamespace() throws Exception {
    SysctlNamespace first = SysctlNamespace.take(1500);
    String name = first.name();
    String fresh = first.run("sysctl -n net.ipv4.tcp_syn_retries; tc qdisc show dev tun0", dir).output();
    SysctlNamespace.Outcome set = first.run("sysctl -q net.ipv4.tcp_syn_retries=2 net.core.somaxconn=7"
        + " && echo 5 > /proc/sys/net/ipv6/conf/default/hop_limit"
        + " && tc qdisc replace dev tun0 root pfifo limit 100", dir);
    assertEquals(0, set.exitStatus(), set.output());
    assertEquals(Map.of("net.ipv4.tcp_syn_retries", "2", "net.core.somaxconn", "7"), set.changed());
    first.release();

    SysctlNamespace second = SysctlNamespace.take(1500);
    assertEquals(name, second.name(), "the clean namespace is reused");
    assertEquals(fresh, second.run("sysctl -n net.ipv4.tcp_syn_retries; tc qdisc show dev tun0", dir).output());
    assertEquals("64", second.run("cat /proc/sys/net/ipv6/conf/default/hop_limit", dir).output().strip());
    // Changes are counted from the reset state, as in a fresh namespace.
    assertEquals(Map.of("net.ipv4.tcp_syn_retries", "2"),
        second.run("sysctl -q net.ipv4.tcp_syn_retries=2", dir).changed());
    second.release();
  }

  /**
   * A line that sets tun0's MTU (the selftests' {@code ip link set dev tun0 mtu 9000}) reports it for
   * the stack's device; the next cell finds the namespace's MTU as made.
   */
  @Test
  void aLineNamingAnMtuReportsTun0sAndTheNextCellFindsItReset() throws Exception {
    SysctlNamespace first = SysctlNamespace.take(1500);
    String name = first.name();
    assertEquals(OptionalInt.empty(), first.run("sysctl -q net.ipv4.tcp_syn_retries=2", dir).tun0Mtu());
    assertEquals(OptionalInt.of(9000), first.run("ip link set dev tun0 mtu 9000", dir).tun0Mtu());
    first.release();

    SysctlNamespace second = SysctlNamespace.take(1500);
    assertEquals(name, second.name(), "the namespace is reused, its MTU set back");
    assertEquals(OptionalInt.of(1500), second.run("true # mtu", dir).tun0Mtu());
    second.release();
  }

  /**
   * A cell takes the namespace with tun0 at its run's MTU (packetdrill's --mtu, as the linux system
   * under test's device), and gives it back at the MTU it was made with.
   */
  @Test
  void tun0HasTheRunsMtuAndTheNextCellItsOwn() throws Exception {
    SysctlNamespace first = SysctlNamespace.take(1520);
    String name = first.name();
    assertEquals(OptionalInt.of(1520), first.run("ip link show dev tun0 | grep -o 'mtu [0-9]*'", dir).tun0Mtu());
    first.release();

    SysctlNamespace second = SysctlNamespace.take(1500);
    assertEquals(name, second.name(), "the namespace is reused, its MTU set back");
    assertEquals(OptionalInt.of(1500), second.run("true # mtu", dir).tun0Mtu());
    second.release();
  }

  @Test
  void tun0sMtuIsReadFromIpLinksLine() {
    String links = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT\n"
        + "3: tun0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 9000 qdisc pfifo_fast state UNKNOWN\n";
    assertEquals(OptionalInt.of(9000), SysctlNamespace.tun0Mtu(links));
    assertEquals(OptionalInt.empty(), SysctlNamespace.tun0Mtu("1: lo: <LOOPBACK> mtu 65536 qdisc noqueue\n"));
  }

  @Test
  void aScriptSeesTheDefaultsThoughTheScriptBeforeItChangedThem() throws Exception {
    Path setter = dir.resolve("setter.pkt");
    Files.writeString(setter, "`sysctl -q net.ipv4.tcp_syn_retries=2`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    Path checker = dir.resolve("checker.pkt");
    Files.writeString(checker,
        "`sysctl -n net.ipv4.tcp_syn_retries | grep -qx 6`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    RunResult set = Runner.runOne(setter, JavaSut.factory());
    assertEquals(new Verdict.Pass(), set.verdict());
    RunResult checked = Runner.runOne(checker, JavaSut.factory());
    assertEquals(new Verdict.Pass(), checked.verdict(), "tcp_syn_retries is Linux's default 6 again");
  }

  @Test
  void aNamespaceWithAnAddressItCannotResetIsDeleted() throws Exception {
    SysctlNamespace dirty = SysctlNamespace.take(1500);
    String name = dirty.name();
    assertEquals(0, dirty.run("ip addr add 10.9.9.9/32 dev tun0", dir).exitStatus());
    dirty.release();
    assertFalse(Netns.exists(name), name + " was deleted");
    SysctlNamespace next = SysctlNamespace.take(1500);
    assertNotEquals(name, next.name());
    assertEquals("", next.run("ip -o addr show dev tun0", dir).output());
    next.release();
  }

  @Test
  void aNamespaceWithAProcessLeftInItIsDeleted() throws Exception {
    SysctlNamespace dirty = SysctlNamespace.take(1500);
    String name = dirty.name();
    assertEquals(0, dirty.run("sleep 5 >/dev/null 2>&1 &", dir).exitStatus());
    dirty.release();
    assertFalse(Netns.exists(name), name + " was deleted");
  }
}
