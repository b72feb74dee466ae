package org.tcpspec.conformance.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Signatures of the interpreter's failure messages: the kind of difference without the numbers. */
class DivergenceTest {

  private static String signature(String message) {
    return Divergence.ofFailure(message, "linux", "java").signature();
  }

  @Test
  void aMissingPacketIsNamedByItsFlags() {
    assertEquals("linux sends > F., java does not",
        signature("w/expected-3.pkt:17: expected outbound packet > F. 1:1(0) ack 1 <...> at 0.120 s; none arrived"));
  }

  @Test
  void optionsAreComparedByKind() {
    assertEquals("options: linux <nop,nop,TS>, java <nop,nop,TS,nop,nop,sack>",
        signature("x.pkt:17: outbound packet: options: expected <nop,nop,TS val 5070 ecr 120> vs actual"
            + " <nop,nop,TS val 170 ecr 120,nop,nop,sack 64357:65357>\n  script: > . 1:1(0)"));
  }

  @Test
  void flagsTimingFieldsAndCalls() {
    assertEquals("flags: linux ., java R.", signature("x.pkt:9: outbound packet: flags: expected . vs actual R.\n  ..."));
    assertEquals("timing of > P.", signature("x.pkt:9: outbound packet > P. 1:1461(1460) ack 1 <...>: timing:"
        + " expected at 0.133000 s vs actual 0.120000 s (tolerance 10000 us)"));
    assertEquals("outbound option sack", signature("x.pkt:9: outbound packet: option sack: expected sack 1:2 vs actual sack 1:3"));
    assertEquals("read: linux a count, java EAGAIN",
        signature("x.pkt:9: read: expected 100 vs actual -1 EAGAIN (Resource temporarily unavailable)"));
  }
}
