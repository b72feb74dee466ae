package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * The window offered from receive memory (ReceiveWindow) on the manual clock: the truesize model of
 * a TUN-read packet, and a bulk transfer whose window starts at the SYN's and must still grow to
 * the whole (autotuned) buffer within a few round trips, as Linux's rcv_ssthresh does.
 */
class ReceiveWindowTest {
  @Test
  void tunTruesizeIsWhatTheSelftestsWindowsPin() {
    // Linear skbs: kmalloc'd heads (the small-head cache, else a power of two) plus the sk_buff.
    assertEquals(896, ReceiveWindow.tunTruesize(100));
    assertEquals(2304, ReceiveWindow.tunTruesize(1063));
    assertEquals(4352, ReceiveWindow.tunTruesize(3040));
    // Paged: a 4 KB head with 3712 bytes, the rest in page runs of at most 32 KB.
    assertEquals(8448, ReceiveWindow.tunTruesize(4040));
    assertEquals(12544, ReceiveWindow.tunTruesize(9040));
    assertEquals(12544, ReceiveWindow.tunTruesize(10040));
    assertEquals(16640, ReceiveWindow.tunTruesize(15040));
    assertEquals(20736, ReceiveWindow.tunTruesize(20040));
    assertEquals(4352 + 32768 + 16384 + 8192 + 4096, ReceiveWindow.tunTruesize(65040));
  }

  /**
   * A bulk sender fills every window offered with 64000-byte packets (TUN super-packets), the
   * application reads all of it each millisecond: the window starts at the SYN's 64240 and must
   * reach the whole buffer's window (scaled by the learned ratio, 250/256 here) as autotuning grows
   * the buffer to tcp_rmem's max, within 40 round trips.
   */
  @Test
  void bulkTransferWindowGrowsToTheWholeBuffer() {
    Harness h = Harness.synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.WindowScale(7)));
    Segment ack = h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    int wscale = h.conn.tcb().rcvWscale;
    long edge = PEER_ISS + 1 + ((long) ack.window() << wscale);
    int first = ack.window() << wscale;
    long seq = PEER_ISS + 1;
    byte[] buf = new byte[1 << 20];
    int rmemMax = h.stack.config().rmemMax();
    int bestWindow = 0;
    int rounds = 0;
    for (; rounds < 40; rounds++) {
      while (edge - seq >= 64000) {
        h.send(peer(ACK, (int) seq, h.sndUna(), new byte[64000]));
        seq += 64000;
      }
      while (h.stack.read(h.conn, buf, 0, buf.length) > 0) {
        // all of it
      }
      h.advanceMillis(1);
      for (Segment s : h.out()) {
        int w = s.window() << wscale;
        bestWindow = Math.max(bestWindow, w);
        edge = Math.max(edge, (s.ack() & 0xFFFFFFFFL) + w);
      }
      if (h.conn.tcb().receiveBuffer.capacity() == rmemMax && bestWindow >= rmemMax * 0.95) break;
    }
    assertTrue(first <= 65535, "the first window is the SYN's: " + first);
    assertEquals(rmemMax, h.conn.tcb().receiveBuffer.capacity(), "autotuning grew the buffer to tcp_rmem's max");
    assertTrue(bestWindow >= rmemMax * 0.95, "window " + bestWindow + " of a " + rmemMax + "-byte buffer");
    assertTrue(rounds < 40, "rounds: " + rounds);
  }
}
