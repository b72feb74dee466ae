package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tcpspec.conformance.run.SystemUnderTest.LOCAL_ADDR;
import static org.tcpspec.conformance.run.SystemUnderTest.REMOTE_ADDR;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.PacketRecord;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SocketCall;
import org.tcpspec.conformance.run.SystemUnderTest;
import org.tcpspec.conformance.run.Variant;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.run.Interpreter;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * A few suite scripts on the real kernel, each in its own namespace (needs root and
 * /dev/net/tun; skipped otherwise). The tolerance is generous because the build machine is
 * shared; the suite itself runs with packetdrill's.
 */
class LinuxSutTest {
  static final long TOLERANCE = 250_000;

  @BeforeEach
  void needsRootAndTun() {
    assumeTrue(LinuxSut.factory().unavailable().isEmpty(), "linux system under test unavailable");
  }

  @Test
  void handshakeChallengeAckAndCloseScriptsPass() {
    for (String s : List.of("listen/passive-open.pkt", "rst/rst-in-window-challenge-ack.pkt",
        "close/active-close.pkt")) {
      RunResult r = Runner.runOne(Path.of("../packetdrill-scripts", s), LinuxSut.factory(),
          RunOptions.withTolerance(TOLERANCE), Variant.NONE);
      assertEquals(new Verdict.Pass(), r.verdict(), s);
      assertTrue(r.packets().size() >= 4, s + ": " + r.packets());
    }
  }

  /**
   * Issue 14: scripts in packetdrill's three variants on the kernel; under ipv6 every packet both
   * ways is IPv6 between run_all.py's addresses (ICMPv6 in the port-unreachable script), under
   * ipv4-mapped-ipv6 IPv4 as under ipv4 while the sockets are AF_INET6.
   */
  @Test
  void scriptsPassInTheThreeVariantsWithPacketsOfTheVariantsFamily() {
    for (String s : List.of("listen/passive-open.pkt", "options/default-mss-1220-v6.pkt",
        "icmp/port-unreachable-refuses-connect.pkt")) {
      for (String name : Variant.NAMES) {
        Variant v = Variant.byName(name).orElseThrow();
        Path path = Path.of("../packetdrill-scripts", s);
        if (!v.appliesTo(path)) continue;
        RunResult r = Runner.runOne(path, LinuxSut.factory(), RunOptions.withTolerance(TOLERANCE), v);
        assertEquals(new Verdict.Pass(), r.verdict(), s + " [" + name + "]");
        assertTrue(!r.packets().isEmpty(), s + " [" + name + "]: " + r.packets());
        for (PacketRecord p : r.packets()) {
          assertEquals(name.equals("ipv6"), p.segment().isIpv6(), s + " [" + name + "]: " + p);
          IpAddress scriptSide = p.inbound() ? p.segment().srcIp() : p.segment().dstIp();
          assertEquals(IpAddress.parse(name.equals("ipv6") ? "fd3d:fa7b:d17d::1" : "192.0.2.1"), scriptSide);
        }
      }
    }
  }

  @Test
  void aWrongExpectationFailsNamingLineAndFieldAndTheNamespaceIsGone() throws Exception {
    var script = Parser.parse("wrong.pkt", """
        0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0  bind(3, ..., ...) = 0
        +0  listen(3, 1) = 0
        +0  < S 0:0(0) win 1000 <mss 1000>
        +0  > S. 0:0(0) ack 2 <mss 1460>
        """);
    String name;
    RunResult r;
    try (LinuxSut sut = LinuxSut.open(RunConfig.defaults(TOLERANCE))) {
      name = sut.namespaceName();
      r = new Interpreter(script, sut, RunConfig.defaults(TOLERANCE)).run();
    }
    Verdict.Fail f = assertInstanceOf(Verdict.Fail.class, r.verdict());
    assertEquals("wrong.pkt:5: outbound packet: ack: expected 2 vs actual 1",
        f.message().lines().findFirst().orElseThrow());
    assertTrue(!Netns.exists(name), name + " still exists");
  }

  /**
   * close() ends the thread that drains the TUN device before it returns: the device's close wakes
   * it, so no cell's end waits out the drainer's poll.
   */
  @Test
  void closeEndsTheDrainerThread() throws Exception {
    String name;
    try (LinuxSut sut = LinuxSut.open(RunConfig.defaults(TOLERANCE))) {
      name = sut.namespaceName();
      assertEquals(1, liveThreads(name + "-drainer"), "the drainer runs while the run is open");
    }
    assertEquals(0, liveThreads(name + "-drainer"), "drainer still alive after close()");
  }

  private static long liveThreads(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).count();
  }

  /**
   * An injected packet is timed when its write started; the kernel's answer carries the tap's
   * kernel stamp, so the two are ordered and fall between before the write and now. The tap's copy
   * of the SYN is not handed out as a packet of the kernel's.
   */
  @Test
  void injectAndSniffAreTimedInOrder() throws Exception {
    try (LinuxSut sut = LinuxSut.open(RunConfig.defaults(TOLERANCE))) {
      var syn = new Segment(REMOTE_ADDR, LOCAL_ADDR,
          40000, 9, 1000, 0, TcpFlags.SYN, 1000, 0, List.of(), new byte[0]);
      long before = sut.nowMicros();
      long received = sut.inject(syn, Ipv4Params.DEFAULT);
      var rst = sut.sniff(sut.nowMicros() + 1_000_000).orElseThrow();
      long after = sut.nowMicros();
      assertTrue(rst.segment().has(TcpFlags.RST), "closed port answers RST, not the SYN's copy: " + rst);
      assertTrue(before <= received && received <= rst.micros() && rst.micros() <= after,
          "before " + before + " <= received " + received + " <= rst " + rst.micros()
              + " <= after " + after);
    }
  }

  /**
   * injectAt writes no earlier than its time, and a call started with startAt enters the kernel
   * no earlier than its time: both wait for it on the thread that does the work.
   */
  @Test
  void injectAtAndStartAtWaitForTheirTime() throws Exception {
    try (LinuxSut sut = LinuxSut.open(RunConfig.defaults(TOLERANCE))) {
      var syn = new Segment(REMOTE_ADDR, LOCAL_ADDR,
          40000, 9, 1000, 0, TcpFlags.SYN, 1000, 0, List.of(), new byte[0]);
      long at = sut.nowMicros() + 20_000;
      long received = sut.injectAt(syn, Ipv4Params.DEFAULT, at);
      assertTrue(received >= at, "injected at " + received + ", due " + at);
      var rst = sut.sniff(sut.nowMicros() + 1_000_000).orElseThrow();
      assertTrue(rst.micros() >= at, "answered at " + rst.micros() + ", before the SYN was due at " + at);

      long callAt = sut.nowMicros() + 20_000;
      var pending = sut.startAt(new SocketCall.Socket(2, 1, 0), callAt); // AF_INET, SOCK_STREAM
      var r = pending.await(sut.nowMicros() + 1_000_000).orElseThrow();
      assertTrue(r.result().succeeded(), "socket: " + r.result());
      assertTrue(r.micros() >= callAt, "returned at " + r.micros() + ", before it was due at " + callAt);
    }
  }

  /**
   * packetdrill's device (IFF_VNET_HDR, TSO): a 2000-byte write on an MSS-1000 connection is
   * sniffed as one 2000-byte segment, the super-packet the kernel hands the device, not as the two
   * segments the wire would carry.
   */
  @Test
  void aTwoSegmentWriteIsSniffedAsOneSuperPacket() throws Exception {
    try (LinuxSut sut = LinuxSut.open(RunConfig.defaults(TOLERANCE))) {
      int listener = call(sut, new SocketCall.Socket(2, 1, 0)); // AF_INET, SOCK_STREAM
      call(sut, new SocketCall.Bind(listener, RunConfig.defaults(TOLERANCE).bindAddress(8080)));
      call(sut, new SocketCall.Listen(listener, 1));
      sut.inject(new Segment(REMOTE_ADDR, LOCAL_ADDR, 40000, 8080, 0, 0, TcpFlags.SYN, 65535, 0,
          List.of(new TcpOption.Mss(1000)), new byte[0]), Ipv4Params.DEFAULT);
      Segment synAck = sut.sniff(sut.nowMicros() + 1_000_000).orElseThrow().segment();
      sut.inject(new Segment(REMOTE_ADDR, LOCAL_ADDR, 40000, 8080, 1, synAck.seq() + 1,
          TcpFlags.ACK, 65535, 0, List.of(), new byte[0]), Ipv4Params.DEFAULT);
      int conn = call(sut, new SocketCall.Accept(listener));
      call(sut, new SocketCall.Write(conn, new byte[2000], 0));
      Segment data = sut.sniff(sut.nowMicros() + 1_000_000).orElseThrow().segment();
      assertEquals(synAck.seq() + 1, data.seq(), data.toString());
      assertEquals(2000, data.payloadLength(), data.toString());
    }
  }

  private static int call(SystemUnderTest sut, SocketCall c) throws InterruptedException {
    var r = sut.start(c).await(sut.nowMicros() + 1_000_000).orElseThrow();
    assertTrue(r.result().value() >= 0, c + " -> " + r);
    return (int) r.result().value();
  }

  private static final Pattern PACKETDRILL_VERDICT =
      Pattern.compile("^// packetdrill: (pass|fail at line (\\d+))$", Pattern.MULTILINE);
  private static final Pattern FAILED_LINE = Pattern.compile(":(\\d+): ");

  /**
   * Scripts about the kernel's super-packets, each with the verdict real packetdrill gives on this
   * kernel in a {@code // packetdrill:} line: ours must be the same, failing at the same line.
   */
  @Test
  void superPacketScriptsGetRealPacketdrillsVerdictAtItsLine() throws IOException {
    List<Path> scripts = Runner.collect(List.of(Path.of("src/test/resources/linux-tso")));
    assertEquals(3, scripts.size(), scripts.toString());
    List<String> differences = new ArrayList<>();
    for (Path p : scripts) {
      Matcher m = PACKETDRILL_VERDICT.matcher(Files.readString(p));
      assertTrue(m.find(), p + " has no // packetdrill: line");
      String expected = m.group(2) == null ? "pass" : "fail at line " + m.group(2);
      RunResult r = Runner.runOne(p, LinuxSut.factory(), RunOptions.withTolerance(TOLERANCE), Variant.NONE);
      String actual = switch (r.verdict()) {
        case Verdict.Pass pass -> "pass";
        case Verdict.Fail f -> {
          Matcher line = FAILED_LINE.matcher(f.message());
          yield line.find() ? "fail at line " + line.group(1) : "fail: " + f.message();
        }
        case Verdict.Error _, Verdict.Unsupported _, Verdict.NotAvailable _ ->
            Verdict.word(r.verdict()) + " " + Verdict.detail(r.verdict());
      };
      if (!actual.equals(expected)) {
        differences.add(p + ": packetdrill " + expected + ", ours " + actual + "\n"
            + Verdict.detail(r.verdict()));
      }
    }
    assertEquals(List.of(), differences);
  }
}
