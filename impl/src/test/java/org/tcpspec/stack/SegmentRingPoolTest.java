package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * The stack's pool of per-segment send ring arrays (issue 15): a connection whose sending is over
 * gives back the rings it grew to, and the next connection's growth takes them instead of making
 * new ones (bench, stack to kernel with 16 connections at MTU 65000: rings growing seconds into a
 * transfer allocated 30,352 bytes on the event loop's thread after warm-up).
 */
class SegmentRingPoolTest {
  @Test
  void aTakeGetsAGivenArrayOfItsLengthRoundedUpToAPowerOfTwo() {
    SegmentRingPool pool = new SegmentRingPool();
    int[] a = pool.ints(100);
    assertEquals(128, a.length);
    assertEquals(128L * Integer.BYTES, pool.bytesMade());
    pool.give(a);
    assertEquals(128L * Integer.BYTES, pool.keptBytes());
    assertSame(a, pool.ints(65), "the given array serves a take of its length class");
    assertEquals(0, pool.keptBytes());
    assertEquals(128L * Integer.BYTES, pool.bytesMade(), "nothing new made");
    pool.give(a);
    assertNotSame(a, pool.ints(64), "a shorter class is not served by a longer array");
    assertThrows(IllegalArgumentException.class, () -> pool.give(new long[100]));
  }

  @Test
  void thePoolKeepsABoundedNumberOfArraysPerLength() {
    SegmentRingPool pool = new SegmentRingPool();
    for (int i = 0; i < SegmentRingPool.KEPT_PER_LENGTH + 10; i++) pool.give(new byte[16]);
    assertEquals(16L * SegmentRingPool.KEPT_PER_LENGTH, pool.keptBytes());
  }

  /**
   * A second generation of queues, as bench's timed transfer after its untimed one: with the first
   * one released, its rings and their growth take only what the first gave back; without, the
   * growth makes new arrays.
   */
  @Test
  void aQueueReleasedEmptyServesTheNextQueuesGrowth() {
    SegmentRingPool pool = new SegmentRingPool();
    RetransmitQueue first = new RetransmitQueue(pool);
    SendTimes firstTimes = new SendTimes(pool);
    fill(first, firstTimes, 300);
    first.ackedTo(300 * 1000, new AckSample());
    firstTimes.acked(300 * 1000);
    firstTimes.clear();
    first.release();
    firstTimes.release();
    long made = pool.bytesMade();
    RetransmitQueue second = new RetransmitQueue(pool);
    SendTimes secondTimes = new SendTimes(pool);
    fill(second, secondTimes, 300);
    second.reserve(300);
    assertEquals(made, pool.bytesMade(), "the second queue grew into the first one's arrays");

    // Without a release, the next growth makes its own.
    RetransmitQueue third = new RetransmitQueue(pool);
    third.reserve(300);
    assertTrue(pool.bytesMade() > made, "a third queue with nothing released made arrays");
  }

  @Test
  void aQueueHoldingSegmentsKeepsItsRings() {
    SegmentRingPool pool = new SegmentRingPool();
    RetransmitQueue q = new RetransmitQueue(pool);
    fill(q, new SendTimes(), 100);
    q.release();
    assertEquals(100, q.size());
    assertEquals(99 * 1000, q.start(99), "the entries survive");
    q.ackedTo(100 * 1000, new AckSample());
    q.release();
    assertEquals(128L * (4 + 4 + 1 + 8), pool.keptBytes() - 64L * (4 + 4 + 1 + 8),
        "the emptied queue gave its 128-entry rings back (and its growth its 64-entry ones)");
    q.sent(0, 1000, 0, false, true);
    assertEquals(1, q.size(), "a released queue takes rings again when a segment is sent");
  }

  private static void fill(RetransmitQueue q, SendTimes t, int segments) {
    for (int i = 0; i < segments; i++) {
      q.sent(i * 1000, (i + 1) * 1000, i, false, true);
      t.sent(i * 1000, i);
    }
  }

  /**
   * End to end: a bulk sender's rings grow to tcp_wmem's max in segments once an ACK finds the
   * writer waiting with cwnd filled; when it reaches TIME-WAIT they are back in the stack's pool.
   */
  @Test
  void aConnectionEnteringTimeWaitGivesItsGrownRingsBack() {
    Harness h = new Harness();
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, h.stack.defaultOptions()).orElseThrow();
    h.expectOne(SYN);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1000)));
    h.expectOne(ACK);
    SegmentRingPool pool = h.stack.memory().segmentRings();
    byte[] big = new byte[1 << 20];
    int written = h.stack.write(h.conn, big, 0, big.length);
    int acked = 0;
    for (int round = 0; round < 40 && acked < written; round++) {
      for (Segment s : h.out()) acked += s.payloadLength();
      h.clock.advanceMillis(10);
      h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.iss() + 1 + acked, ACK, 65535, 0,
          List.of(), new byte[0]));
      written += h.stack.write(h.conn, big, 0, big.length);
    }
    assertTrue(h.conn.tcb().sendBuffer.capacity() > 100_000, "the send buffer grew: " + h.conn.tcb().sendBuffer.capacity());
    long keptBefore = pool.keptBytes();
    // Drain: ACK everything, close, the peer ACKs our FIN and sends its own.
    while (acked < written || !h.out().isEmpty()) {
      for (Segment s : h.out()) acked += s.payloadLength();
      h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.iss() + 1 + acked, ACK, 65535, 0,
          List.of(), new byte[0]));
    }
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectOne(ACK);
    h.expectState(State.TIME_WAIT);
    // tcp_wmem's max (4 MiB) in 1000-byte segments: rings of 8192 entries, 17 + 12 + 4 bytes each.
    assertTrue(pool.keptBytes() - keptBefore >= 8192L * (17 + 12 + 4),
        "given back at TIME-WAIT: " + (pool.keptBytes() - keptBefore) + " bytes");
  }

  /**
   * With a jumbo MSS, tcp_wmem's max is a few segments (65 of 64,948 bytes for 4 MB): the rings are
   * made for all of them at establishment, not when an ACK first finds cwnd filled, which with many
   * connections sharing a path can be seconds into a transfer. With an MSS of 1000 (4,195 segments)
   * they are made for the buffer's size at establishment only.
   */
  @Test
  void aJumboMssConnectionMakesRingsForTcpWmemMaxAtEstablishment() {
    long rings128 = 128L * (17 + 12) + 256L * 4;
    assertTrue(ringBytesMadeByEstablishment(65000, 64948) >= rings128, "jumbo MSS");
    assertTrue(ringBytesMadeByEstablishment(1500, 1000) < rings128, "MSS 1000");
  }

  private static long ringBytesMadeByEstablishment(int mtu, int peerMss) {
    Harness h = new Harness();
    h.stack.config(h.stack.config().withMtu(mtu));
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, h.stack.defaultOptions()).orElseThrow();
    h.expectOne(SYN);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(peerMss)));
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    return h.stack.memory().segmentRings().bytesMade();
  }
}
