package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of a script's first errors, as packetdrill reports them: its header options are
 * configured (parser.y's opt_options, parse_and_finalize_config) before any event is parsed.
 */
class RunnerHeaderTest {

  private static String error(Path script) {
    RunResult r = Runner.runOne(script, new SelftestTest.Quiet());
    return assertInstanceOf(Verdict.Error.class, r.verdict(), r.verdict().toString()).message();
  }

  @Test
  void anUnknownHeaderOptionIsReportedAheadOfALaterSyntaxError(@TempDir Path dir) throws Exception {
    // In the style of the FreeBSD suite's tcp-over-udp scripts: an option of another packetdrill
    // and packet lines in its notation.
    Path p = dir.resolve("encap.pkt");
    Files.writeString(p, """
        --ip_version=ipv4
        --tunnel_over=udp

        0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
        +0.00 > S 0:0(0) win 65535 <mss 1460>/tunnel(7 > 9)
        """);
    assertEquals(p + ":2: option 'tunnel_over' unknown", error(p));
  }

  @Test
  void aBadOptionValueIsReportedAheadOfALaterSyntaxError(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("mtu.pkt");
    Files.writeString(p, """
        --mtu=-1
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 bind(3, ..., ...) = 0 !
        """);
    assertEquals(p + ":1: bad --mtu: -1", error(p));
  }

  @Test
  void withAGoodHeaderTheSyntaxErrorNamesItsLine(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("syntax.pkt");
    Files.writeString(p, """
        --mtu=1400
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 bind(3, ..., ...) = 0 !
        """);
    String message = error(p);
    assertEquals(p + ":3:", message.substring(0, (p + ":3:").length()), message);
  }
}
