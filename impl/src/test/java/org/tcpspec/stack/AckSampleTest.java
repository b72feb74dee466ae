package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What one ACK's processing remembers for RACK (RFC 8985 §6.2 step 2, as Linux's tcp_rack_advance). */
class AckSampleTest {
  private static final long MS = 1_000_000L;

  /**
   * Linux sets rack.rtt_us for every segment that advances RACK, in the order it walks them, and
   * rack.mstamp only for a more recently sent one: a retransmission sent at 20 ms acked together
   * with an original sent at 10 ms, at 32 ms, leaves RACK.xmit_time 20 ms and RACK.rtt 22 ms.
   */
  @Test
  void rackRttIsThatOfTheLastSegmentWalkedAndXmitTimeTheNewest() {
    AckSample s = new AckSample();
    s.begin(32 * MS, 10 * MS, 10001, 9001, false, 0);
    s.delivered(1, 1001, 20 * MS, RetransmitQueue.EVER_RETRANS);
    s.delivered(3001, 4001, 10 * MS, 0);
    assertTrue(s.rackAdvanced);
    assertEquals(20 * MS, s.rackXmitNanos);
    assertEquals(1001, s.rackEnd);
    assertEquals(22 * MS, s.rackRttNanos);
  }

  /** A retransmission delivered sooner than min_rtt after it went out may be the original's: it does not advance. */
  @Test
  void anAmbiguousRetransmissionDoesNotAdvance() {
    AckSample s = new AckSample();
    s.begin(25 * MS, 10 * MS, 10001, 9001, false, 0);
    s.delivered(1, 1001, 20 * MS, RetransmitQueue.EVER_RETRANS);
    assertFalse(s.rackAdvanced);
  }
}
