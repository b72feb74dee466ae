package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.TcpOption;

/**
 * The sender's RTT samples without timestamps, as Linux's tcp_ack_update_rtt takes them: every ACK
 * of new data is one, measured from the oldest segment it acknowledges (tcp_clean_rtx_queue's
 * first_ackt), and none when it acknowledges a retransmitted segment (Karn). On the manual clock:
 * the handshake takes 10 ms, so SRTT starts at 10 ms.
 */
class RttSampleTest {
  private static final long MS = 1_000_000L;

  private static Harness established() {
    Harness h = new Harness();
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, h.stack.defaultOptions()).orElseThrow();
    h.expectOne(SYN);
    h.advanceMillis(10);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1000)));
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    return h;
  }

  private static void ack(Harness h, int bytes) {
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1 + bytes));
    h.out();
  }

  @Test
  void everyAckOfNewDataIsASampleFromTheOldestSegmentItAcknowledges() {
    Harness h = established();
    assertEquals(10 * MS, h.conn.tcb().rtt.srttNanos());
    h.stack.write(h.conn, new byte[4000], 0, 4000);
    h.out();
    h.advanceMillis(10);
    ack(h, 1000); // 10 ms
    assertEquals(10 * MS, h.conn.tcb().rtt.srttNanos());
    h.advanceMillis(10);
    ack(h, 3000); // from the second segment, sent 20 ms ago: (7 * 10 + 20) / 8
    assertEquals(11_250_000L, h.conn.tcb().rtt.srttNanos());
  }

  @Test
  void anAckOfARetransmittedSegmentIsNoSample() {
    Harness h = established();
    h.stack.write(h.conn, new byte[1000], 0, 1000);
    h.out();
    h.advanceMillis(1000); // the RTO (200 ms + SRTT) fires: the segment goes again
    h.out();
    h.advanceMillis(5);
    ack(h, 1000);
    assertEquals(10 * MS, h.conn.tcb().rtt.srttNanos(), "Karn: no sample");
  }
}
