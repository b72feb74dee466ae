package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tcpspec.conformance.run.SystemUnderTest.LOCAL_ADDR;
import static org.tcpspec.conformance.run.SystemUnderTest.REMOTE_ADDR;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.run.Interpreter;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

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
      RunResult r = Runner.runOne(Path.of("../packetdrill-scripts", s), LinuxSut.factory(), TOLERANCE);
      assertEquals(new Verdict.Pass(), r.verdict(), s);
      assertTrue(r.packets().size() >= 4, s + ": " + r.packets());
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
    try (LinuxSut sut = LinuxSut.open(1500)) {
      name = sut.namespaceName();
      r = new Interpreter(script, sut, TOLERANCE).run();
    }
    Verdict.Fail f = assertInstanceOf(Verdict.Fail.class, r.verdict());
    assertEquals("wrong.pkt:5: outbound packet: ack: expected 2 vs actual 1",
        f.message().lines().findFirst().orElseThrow());
    assertTrue(!Netns.exists(name), name + " still exists");
  }

  /**
   * The kernel's times, not the reader's: the SYN's receipt and the RST's transmission come from
   * the packet tap's kernel stamps, so they are ordered and fall between the write and now.
   */
  @Test
  void injectAndSniffCarryTheKernelsStampsInOrder() throws Exception {
    try (LinuxSut sut = LinuxSut.open(1500)) {
      var syn = new Segment(REMOTE_ADDR, LOCAL_ADDR,
          40000, 9, 1000, 0, TcpFlags.SYN, 1000, 0, List.of(), new byte[0]);
      long before = sut.nowMicros();
      long received = sut.inject(syn, Ipv4Params.DEFAULT);
      var rst = sut.sniff(sut.nowMicros() + 1_000_000).orElseThrow();
      long after = sut.nowMicros();
      assertTrue(rst.segment().has(TcpFlags.RST), "closed port answers RST: " + rst);
      assertTrue(before <= received && received <= rst.micros() && rst.micros() <= after,
          "before " + before + " <= received " + received + " <= rst " + rst.micros()
              + " <= after " + after);
    }
  }
}
