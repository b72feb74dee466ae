package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link RetransmitQueue#split}: Linux's tcp_fragment of a segment to resend that no longer fits. */
class RetransmitQueueSplitTest {
  @Test
  void splitKeepsMarksAndCountsTheNewSegmentAsTheOldOne() {
    RetransmitQueue q = new RetransmitQueue();
    for (int k = 0; k < 3; k++) q.sent(k * 1000, (k + 1) * 1000, 5 + k, false, true);
    q.markLost(1, null);
    assertEquals(3, q.size());
    assertEquals(1, q.lostOut);
    int inFlight = q.packetsInFlight();

    q.split(1, 1976);

    assertEquals(4, q.size());
    assertEquals(1000, q.start(1));
    assertEquals(1976, q.end(1));
    assertEquals(1976, q.start(2));
    assertEquals(2000, q.end(2));
    assertEquals(RetransmitQueue.LOST, q.flags(2) & RetransmitQueue.LOST);
    assertEquals(6, q.xmitNanos(2));
    assertEquals(2000, q.start(3));
    assertEquals(3000, q.end(3));
    assertEquals(7, q.xmitNanos(3));
    assertEquals(2, q.lostOut, "both halves are lost, as tcp_adjust_pcount counts them");
    assertEquals(inFlight, q.packetsInFlight(), "a lost segment cut in two adds nothing in flight");
  }

  @Test
  void pshStaysWithTheSecondPartOfASplit() {
    // Linux tcp_fragment: the first part loses PSH and FIN, the second keeps the skb's flags.
    RetransmitQueue q = new RetransmitQueue();
    q.sent(0, 1000, 1, true, true);
    q.sent(1000, 2000, 2, false, true);
    q.split(0, 600);
    assertEquals(0, q.flags(0) & RetransmitQueue.PUSHED);
    assertEquals(RetransmitQueue.PUSHED, q.flags(1) & RetransmitQueue.PUSHED);
    assertEquals(0, q.flags(2) & RetransmitQueue.PUSHED);
  }

  @Test
  void splitAcrossTheRingsEndAndWhenFull() {
    RetransmitQueue q = new RetransmitQueue();
    // Move the ring's head near its end, then fill it so that split must grow it.
    for (int k = 0; k < 60; k++) q.sent(k, k + 1, k, false, true);
    q.ackedTo(60, new AckSample());
    for (int k = 0; k < 64; k++) q.sent(100 + 10 * k, 110 + 10 * k, k, false, true);
    q.split(5, 155);
    assertEquals(65, q.size());
    assertEquals(150, q.start(5));
    assertEquals(155, q.end(5));
    assertEquals(155, q.start(6));
    assertEquals(160, q.end(6));
    assertEquals(160, q.start(7));
    assertEquals(740, q.end(64));
  }

  @Test
  void theLastSkbReachesBackToTheSegmentThatBeganIt() {
    RetransmitQueue q = new RetransmitQueue();
    q.sent(0, 1000, 1, true, true);
    q.sent(1000, 2000, 2, false, true);
    q.sent(2000, 3000, 2, false, false);
    q.sent(3000, 3100, 2, true, false);
    assertEquals(1, q.lastSkbFirst());
    q.split(1, 1500);
    assertEquals(2, q.lastSkbFirst(), "the second part of a tcp_fragment begins an skb");
  }

  @Test
  void theLastSkbStopsWhereLossMarksDiffer() {
    RetransmitQueue q = new RetransmitQueue();
    q.sent(0, 1000, 1, false, true);
    q.sent(1000, 2000, 1, false, false);
    q.sent(2000, 2100, 1, true, false);
    q.markLost(1, null);
    assertEquals(2, q.lastSkbFirst());
  }

  @Test
  void joinMakesOneSegmentWithTheLastPshAndCountsLess() {
    RetransmitQueue q = new RetransmitQueue();
    q.sent(0, 1000, 1, false, true);
    q.sent(1000, 2000, 1, false, false);
    q.sent(2000, 2100, 1, true, false);
    for (int i = 0; i < 3; i++) q.markLost(i, null);
    q.joinFrom(1);
    assertEquals(2, q.size());
    assertEquals(1000, q.start(1));
    assertEquals(2100, q.end(1));
    assertEquals(RetransmitQueue.PUSHED, q.flags(1) & RetransmitQueue.PUSHED);
    assertEquals(2, q.lostOut, "two lost segments are one now");
  }
}
