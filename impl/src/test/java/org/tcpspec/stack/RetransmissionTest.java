package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;

/** The retransmission timer (RFC 6298) and when retransmission gives up (Linux's time budgets). */
class RetransmissionTest {

  /** Active open whose SYN-ACK arrives {@code rttMillis} after the SYN; no options, so no timestamps. */
  static Harness establishedAfter(long rttMillis) {
    Harness h = synSent();
    h.advanceMillis(rttMillis);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1));
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    return h;
  }

  @Test
  void handshakeRttSetsTheRtoAndTimeoutsDoubleIt() {
    // RFC 6298 §2.2: first sample R = 100 ms gives SRTT 100, RTTVAR 50; Linux floors K*RTTVAR at
    // 200 ms, so RTO = 300 ms (retransmission/data-rto-backoff.pkt), then 600 ms (§5.5).
    Harness h = establishedAfter(100);
    h.stack.send(h.conn, bytes(100, 0), 0, 100);
    int seq = h.expectOne(ACK | PSH).seq();
    h.advanceMillis(299);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(seq, h.expectOne(ACK | PSH).seq());
    h.advanceMillis(599);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(seq, h.expectOne(ACK | PSH).seq());
  }

  @Test
  void aRetransmittedSynGivesNoSampleAndDataStartsWithThreeSeconds() {
    // Karn (RFC 6298 §3): the SYN-ACK may answer either SYN; §5.7: RTO 3 s once data flows.
    Harness h = synSent();
    h.advanceMillis(1000);
    h.expectOne(SYN);
    h.advanceMillis(10);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1));
    h.expectOne(ACK);
    h.stack.send(h.conn, bytes(100, 0), 0, 100);
    h.expectOne(ACK | PSH);
    h.advanceMillis(2999);
    h.expectNothing();
    h.advanceMillis(1);
    h.expectOne(ACK | PSH);
  }

  @Test
  void rtoNeverGoesBelowTwoHundredMilliseconds() {
    Harness h = establishedAfter(0);
    h.stack.send(h.conn, bytes(100, 0), 0, 100);
    Segment first = h.expectOne(ACK | PSH);
    h.advanceMillis(199);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(first.seq(), h.expectOne(ACK | PSH).seq());
  }
}
