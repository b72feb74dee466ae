package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.wire.Segment;

/**
 * SOCK_NOSPACE and the send-buffer-limited chronograph (SendSpace) on the manual clock: a 4608-byte
 * SO_SNDBUF (Linux's least), the peer's MSS 1000 and window 20000, cwnd 10 segments.
 */
class SendSpaceTest {
  private static final int MSS = 1000;

  private static Harness established(int sndBuf) {
    return activeWithSndBuf(sndBuf, MSS, PEER_WINDOW);
  }

  private static int write(Harness h, int len) {
    int n = h.stack.send(h.conn, new byte[len], 0, len, false, false);
    h.out();
    return n;
  }

  private static void ack(Harness h, int bytes) {
    Segment a = peer(ACK, PEER_ISS + 1, h.iss() + 1 + bytes);
    h.send(a);
    h.out();
  }

  private static long sndbufLimited(Harness h) {
    return ConnectionInfo.of(h.conn).get(TcpInfo.Field.SNDBUF_LIMITED);
  }

  @Test
  void aPassThatSendsTheLastQueuedDataWhileTheWriterWaitsStartsItUntilTheStreamIsWriteable() {
    Harness h = established(4608);
    assertEquals(3000, write(h, 3000)); // three segments, cwnd not the limit: one skb, 3832 queued
    assertFalse(h.conn.pollWriteable(), "free 776 is less than half of 3832 queued");
    h.advanceMillis(10);
    assertEquals(0, sndbufLimited(h), "a poll alone starts nothing");
    assertEquals(600, write(h, 600)); // a second skb (3832 < 4608); this pass sends the last queued byte
    h.advanceMillis(20);
    assertEquals(20_000, sndbufLimited(h));
    ack(h, 1000); // the first skb trimmed: 2600 + 2 * 832 = 4264 queued, not writeable
    h.advanceMillis(10);
    assertEquals(30_000, sndbufLimited(h));
    ack(h, 3000); // the first skb gone: 600 + 832 queued, writeable, SOCK_NOSPACE cleared, busy again
    assertTrue(h.conn.pollWriteable());
    h.advanceMillis(10);
    assertEquals(30_000, sndbufLimited(h));
    assertEquals(50_000, ConnectionInfo.of(h.conn).get(TcpInfo.Field.BUSY_TIME));
  }

  @Test
  void aWriteTheBufferCannotTakeWholeMakesTheWriterWait() {
    Harness h = established(4608);
    // One skb of the size goal (half the peer's 20000), then 10832 queued: no second skb.
    assertEquals(10_000, write(h, 30_000));
    assertTrue(h.conn.sender.space.waiting());
    h.advanceMillis(10);
    assertEquals(0, sndbufLimited(h), "cwnd was the limit of the pass");
  }

  @Test
  void withoutAWaitingWriterTheSendBufferIsNotTheLimit() {
    Harness h = established(4608);
    assertEquals(3000, write(h, 3000));
    assertEquals(600, write(h, 600));
    assertFalse(h.conn.sender.space.waiting());
    h.advanceMillis(10);
    assertEquals(0, sndbufLimited(h));
  }

  @Test
  void aPassThatCwndLimitsIsNotSendBufferLimited() {
    Harness h = established(20_000);
    assertEquals(20_000, write(h, 30_000)); // ten segments go, cwnd is the limit
    h.advanceMillis(10);
    assertEquals(0, sndbufLimited(h));
  }
}
