package org.tcpspec.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 13: a fixed-seed fuzz run of 10^5 adversarial segments (not timed) holds every invariant,
 * and reaches what it is meant to: the parser's rejections, the honest connection, the listener,
 * forged handshakes, and honest bytes through all of it.
 */
class SegmentFuzzerTest {
  @Test
  void aHundredThousandAdversarialSegmentsBreakNoInvariant() {
    FuzzReport r = new SegmentFuzzer(20261204L).run(100_000, Long.MAX_VALUE);
    System.out.println("SegmentFuzzerTest: " + r.segments() + " segments, " + r.malformed() + " malformed, "
        + r.toConnection() + " to the connection, " + r.toListener() + " to the listener, " + r.handshakesCompleted()
        + " forged handshakes, " + r.connections() + " honest connections, " + r.bytesDelivered()
        + " honest bytes delivered");
    assertEquals("", String.join("\n", r.findings().stream().map(Finding::toString).toList()));
    assertEquals(100_000, r.segments());
    assertTrue(r.malformed() > 1_000, "the parser is reached: " + r.malformed());
    assertTrue(r.toConnection() > 10_000, "the connection is reached: " + r.toConnection());
    assertTrue(r.toListener() > 10_000, "the listener is reached: " + r.toListener());
    assertTrue(r.handshakesCompleted() > 100, "forged handshakes: " + r.handshakesCompleted());
    assertTrue(r.bytesDelivered() > 1_000_000, "honest bytes get through: " + r.bytesDelivered());
  }
}
