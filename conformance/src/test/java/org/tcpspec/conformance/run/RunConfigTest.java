package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Symbol;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.script.ScriptOption;

/** packetdrill's configuration (config.c): defaults, checks, the command line over the header. */
class RunConfigTest {

  private static List<ScriptOption> header(String text) throws Exception {
    return Parser.parse("t.pkt", text + "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n").options();
  }

  private static RunConfig config(List<ScriptOption> header, String... commandLine) throws Exception {
    return RunConfig.of(header, Variant.arguments(List.of(commandLine)), 4000).config().orElseThrow();
  }

  @Test
  void defaultsArePacketdrillsWithRunAllsAddresses() throws Exception {
    RunConfig c = config(List.of());
    assertEquals("ipv4", c.ipVersion());
    assertEquals(SystemUnderTest.LOCAL_ADDR, c.localAddr());
    assertEquals(16, c.prefixLength());
    assertEquals(SystemUnderTest.REMOTE_ADDR, c.remoteAddr());
    assertEquals(24, c.remotePrefixLength());
    assertEquals(1500, c.mtu());
    assertEquals(OptionalInt.empty(), c.mss());
    assertEquals(4000, c.toleranceMicros());
    assertEquals(12.5, c.tolerancePercent());
    assertFalse(c.toleranceGiven(), "packetdrill's default tolerance is not one the script asked for");
    assertEquals(0, c.tsTickMicros());
  }

  @Test
  void theCommandLineWinsOverTheHeader() throws Exception {
    List<ScriptOption> h = header("--mtu=1200\n--tolerance_usecs=10000\n--tcp_ts_tick_usecs=1000\n");
    RunConfig scriptOnly = config(h);
    assertEquals(1200, scriptOnly.mtu());
    assertEquals(10000, scriptOnly.toleranceMicros());
    assertTrue(scriptOnly.toleranceGiven());
    RunConfig c = config(h, "--mtu=1300", "--strict_segments", "--non_fatal=packet,syscall",
        "-D", "A=1", "-DB=\"x\"", "--define", "C=`true`", "--init_scripts=a.sh,b.sh", "-v");
    assertEquals(1300, c.mtu());
    assertEquals(10000, c.toleranceMicros());
    assertEquals(1000, c.tsTickMicros());
    assertTrue(c.strictSegments() && c.nonFatalPacket() && c.nonFatalSyscall() && c.verbose());
    assertEquals(Map.of("A", "1", "B", "\"x\"", "C", "`true`"), c.defines());
    assertEquals(List.of("a.sh", "b.sh"), c.initScripts());
  }

  @Test
  void addressesComeFromTheirOptions() throws Exception {
    RunConfig c = config(List.of(), "--local_ip=10.0.0.2", "--netmask_ip=255.255.255.0",
        "--remote_ip=198.51.100.7/28", "--gateway_ip=10.0.0.1");
    assertEquals(0x0A000002, c.localAddr());
    assertEquals(24, c.prefixLength());
    assertEquals(0xC6336407, c.remoteAddr());
    assertEquals(28, c.remotePrefixLength());
    assertEquals(0x0A000001, c.gatewayAddr());
  }

  @Test
  void badValuesAreErrorsNamingWhereTheyWereGiven() throws Exception {
    assertEquals("t.pkt:1: bad --mtu: -5",
        assertThrows(RunConfig.BadOption.class, () -> config(header("--mtu=-5\n"))).getMessage());
    assertEquals("command line: bad --tolerance_usecs: 0",
        assertThrows(RunConfig.BadOption.class, () -> config(List.of(), "--tolerance_usecs=0")).getMessage());
    assertEquals("command line: bad --ip_version: ipv5",
        assertThrows(RunConfig.BadOption.class, () -> config(List.of(), "--ip_version=ipv5")).getMessage());
    assertEquals("t.pkt:1: option 'nope' unknown",
        assertThrows(RunConfig.BadOption.class, () -> config(header("--nope=1\n"))).getMessage());
    assertEquals("t.pkt:1: option 'dry_run' forbids an argument",
        assertThrows(RunConfig.BadOption.class, () -> config(header("--dry_run=1\n"))).getMessage());
    assertEquals("t.pkt:1: option 'mtu' requires an argument",
        assertThrows(RunConfig.BadOption.class, () -> config(header("--mtu\n"))).getMessage());
    assertEquals("bad IPv4 address in --local_ip: 10.0.0",
        assertThrows(RunConfig.BadOption.class, () -> config(List.of(), "--local_ip=10.0.0")).getMessage());
    assertEquals("command line: bad definition: =1",
        assertThrows(RunConfig.BadOption.class, () -> config(List.of(), "-D", "=1")).getMessage());
  }

  @Test
  void theThreeIpVersionsGetConfigCsAddresses() throws Exception {
    RunConfig v6 = RunConfig.of(header("--ip_version=ipv6\n"), List.of(), 4000).config().orElseThrow();
    assertTrue(v6.ipv6() && v6.ipv6Sockets());
    assertEquals(IpAddress.parse("2001:db8::1"), v6.remoteIp(), "DEFAULT_V6_LIVE_REMOTE_IP_STRING");
    assertEquals(32, v6.remotePrefixLength());
    assertEquals(IpAddress.parse("fd3d:fa7b:d17d::1"), v6.localIp(), "in DEFAULT_V6_LIVE_LOCAL_IP_STRING/48");
    RunConfig run6 = RunConfig.of(List.of(), Variant.byName("ipv6").orElseThrow().options(), 4000).config().orElseThrow();
    assertEquals(IpAddress.parse("fd3d:a0b:17d6::1"), run6.localIp(), "run_all.py's --local_ip");
    assertEquals(1520, run6.mtu());
    RunConfig mapped = RunConfig.of(List.of(), Variant.byName("ipv4-mapped-ipv6").orElseThrow().options(), 4000)
        .config().orElseThrow();
    assertTrue(!mapped.ipv6() && mapped.ipv6Sockets(), "IPv4 on the wire, AF_INET6 sockets");
    assertEquals(IpAddress.parse("192.168.0.1"), mapped.localIp());
    assertEquals(IpAddress.parse("192.0.2.1"), mapped.remoteIp());
    // config.c's socket_domain, live_bind_ip and live_connect_ip: AF_INET6 under both IPv6 versions,
    // the IPv4 addresses in their mapped form under ipv4-mapped-ipv6.
    RunConfig v4 = RunConfig.of(List.of(), List.of(), 4000).config().orElseThrow();
    assertEquals(new SocketCall.SockAddr(Symbol.AF_INET.value(), IpAddress.parse("192.168.0.1"), 8080), v4.bindAddress(8080));
    assertEquals(new SocketCall.SockAddr(Symbol.AF_INET6.value(), IpAddress.parse("::ffff:192.0.2.1"), 8080),
        mapped.connectAddress(8080));
    assertEquals(new SocketCall.SockAddr(Symbol.AF_INET6.value(), IpAddress.parse("fd3d:fa7b:d17d::1"), 8080),
        v6.bindAddress(8080));
    assertEquals(List.of(Symbol.AF_INET.value(), Symbol.AF_INET6.value(), Symbol.AF_INET6.value()),
        List.of(v4.socketDomain(), mapped.socketDomain(), v6.socketDomain()));
    assertEquals("bad IPv6 address in --local_ip: 10.0.0.1", assertThrows(RunConfig.BadOption.class,
        () -> RunConfig.of(header("--ip_version=ipv6\n--local_ip=10.0.0.1\n"), List.of(), 4000)).getMessage());
  }

  @Test
  void optionsNotRunHereMakeTheRunUnsupported() throws Exception {
    assertEquals(List.of("option --wire_client"),
        RunConfig.of(header("--wire_client\n"), List.of(), 4000).unsupported());
  }
}
