package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.Segment;

/**
 * Linux's send-buffer accounting (SendSkbs, SkbWrite): sk_wmem_queued counts each skb's truesize,
 * 832 bytes of allocation plus its payload, and a write asks for room only before each new skb.
 * The peer's MSS is 1000 and its window {@code window} bytes, so a write's skbs hold half of it
 * (tcp_xmit_size_goal); SO_SNDBUF is set (no autotuning). The numbers are those measured on Linux
 * 6.18 (flow/send-buffer-skb-truesize.pkt).
 */
class SendSkbsTest {
  private static final int MSS = 1000;

  private static Harness established(int sndBuf, int window) {
    return activeWithSndBuf(sndBuf, MSS, window);
  }

  private static int write(Harness h, int len) {
    return h.stack.send(h.conn, new byte[len], 0, len, false, false);
  }

  private static void ack(Harness h, int bytes, int window) {
    h.send(withWindow(peer(ACK, PEER_ISS + 1, h.iss() + 1 + bytes), window));
  }

  /**
   * Three 1000-byte skbs weigh 3 * 1832 = 5496: below a buffer of 5500 the write begins a fourth,
   * at 5480 it stops after three (Linux 6.18: SO_SNDBUF 2740 takes 3000, 2750 takes 4000).
   */
  @Test
  void aWriteAsksForRoomBeforeEachSkbAndCountsItsTruesize() {
    Harness below = established(5480, 2000);
    assertEquals(3000, write(below, 20_000));
    assertEquals(3, below.conn.sender.skbs.count());
    assertEquals(3000 + 3 * SendSkbs.SKB_TRUESIZE, below.conn.sendMemoryQueued());
    Harness above = established(5500, 2000);
    assertEquals(4000, write(above, 20_000), "the fourth skb begins below the limit and passes it");
    assertEquals(4000 + 4 * SendSkbs.SKB_TRUESIZE, above.conn.sendMemoryQueued());
  }

  /** The least buffer, 4608 (SOCK_MIN_SNDBUF): two skbs weigh 3664, three 5496, so three are taken. */
  @Test
  void theLeastBufferTakesThreeSegmentSizedSkbs() {
    Harness h = established(4608, 2000);
    assertEquals(3000, write(h, 10_000));
    assertEquals(0, write(h, 1000), "no new skb once the memory queued reached the buffer");
  }

  /**
   * An skb the windows sent part of is cut there (tso_fragment), and its unsent rest is topped up to
   * the size goal without asking: with a 50000-byte buffer and the peer's window 32000 (skbs of
   * 16000, cwnd 10), the first skb leaves 10000 and is refilled, so 58000 are taken in four skbs
   * plus the cut-off part where a payload count would stop at 50000.
   */
  @Test
  void aPartlySentSkbIsToppedUpWithoutAsking() {
    Harness h = established(50_000, 32_000);
    assertEquals(58_000, write(h, 59_000));
    assertEquals(5, h.conn.sender.skbs.count(), "1:10001 sent, 10001:26001, 26001:42001, 42001:58001, ...");
    assertTrue(h.conn.sendMemoryQueued() >= 50_000);
  }

  /**
   * What an ACK frees: a whole skb its truesize, a part of one only the payload (tcp_trim_head);
   * POLLOUT wants the free space at least half the memory queued (sk_stream_is_writeable).
   */
  @Test
  void anAckFreesWholeSkbsAndTrimsAPartlyAcknowledgedOne() {
    Harness h = established(5480, 2000);
    assertEquals(3000, write(h, 20_000));
    h.out();
    assertFalse(h.conn.pollWriteable());
    ack(h, 1000, 2000);
    assertEquals(2000 + 2 * SendSkbs.SKB_TRUESIZE, h.conn.sendMemoryQueued(), "one skb gone");
    assertFalse(h.conn.pollWriteable(), "free 1816 is less than half of 3664");
    ack(h, 1500, 2000);
    assertEquals(1500 + 2 * SendSkbs.SKB_TRUESIZE, h.conn.sendMemoryQueued(), "one skb trimmed");
    assertTrue(h.conn.pollWriteable(), "free 2316 is at least half of 3164");
  }

  /**
   * Linux __tcp_transmit_skb puts PSH on every skb of more than one segment, and tcp_cwnd_test gives
   * an skb at most half of cwnd: ten segments of an initial window leave as two bursts of five,
   * each ending in PSH, though more is written than they carry.
   */
  @Test
  void eachBurstOfMoreThanOneSegmentEndsInPsh() {
    Harness h = established(1 << 20, 65_535);
    write(h, 30_000);
    List<Segment> out = h.out();
    assertEquals(10, out.size(), "the initial window");
    for (int i = 0; i < out.size(); i++) assertEquals(i == 4 || i == 9, out.get(i).has(PSH), "segment " + i);
  }
}
