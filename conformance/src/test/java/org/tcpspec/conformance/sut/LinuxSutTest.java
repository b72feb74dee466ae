package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/**
 * A few suite scripts on the real kernel, each in its own namespace (needs root and
 * /dev/net/tun; skipped otherwise). The tolerance is generous because the build machine is
 * shared; the suite itself runs with packetdrill's.
 */
class LinuxSutTest {
  static final long TOLERANCE = 50_000;

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
}
