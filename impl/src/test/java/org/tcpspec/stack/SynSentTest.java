package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/** RFC 9293 §3.10.7.3 and the SYN retransmission of §3.8.1 / RFC 6298. */
class SynSentTest {

  @Test
  void activeOpenSendsSynWithLinuxOptions() {
    Harness h = new Harness();
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, new SocketOptions()).orElseThrow();
    Segment syn = h.expectOne(SYN);
    assertEquals(h.iss(), syn.seq());
    assertEquals(1460, syn.option(TcpOption.Mss.class).orElseThrow().mss());
    assertEquals(7, syn.option(TcpOption.WindowScale.class).orElseThrow().shift());
    assertTrue(syn.option(TcpOption.SackPermitted.class).isPresent());
    assertTrue(syn.option(TcpOption.Timestamp.class).isPresent());
    assertEquals(Action.ACTIVE_OPEN, h.lastAction());
  }

  @Test
  void synSentRcvSynAckEstablishes() {
    Harness h = established();
    assertEquals(Action.SynSentRcvSynAck, h.lastAction());
    // MUST-15: no MSS option means 536.
    assertEquals(536, h.conn.tcb().sndMss);
    assertTrue(h.conn.established());
  }

  @Test
  void synAckWithTextAndFinGoesToCloseWait() {
    // §3.10.7.3 fourth: ESTABLISHED, then the sixth step on: the text is taken, the FIN enters CLOSE-WAIT.
    Harness h = synSent();
    h.send(peer(SYN | ACK | FIN, PEER_ISS, h.iss() + 1, bytes(5, 0)));
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 1 + 5 + 1, ack.ack(), "the ACK covers the text and the FIN");
    h.expectState(State.CLOSE_WAIT);
    assertEquals(Action.SynSentRcvSynAckFin, h.lastAction());
    assertTrue(h.conn.peerFinished());
    assertEquals(5, h.stack.read(h.conn, new byte[10], 0, 10));
    assertEquals(0, h.stack.read(h.conn, new byte[10], 0, 10), "end of stream after the text");
  }

  @Test
  void bareSynAckWithFinGoesToCloseWait() {
    Harness h = synSent();
    h.send(peer(SYN | ACK | FIN, PEER_ISS, h.iss() + 1));
    assertEquals(PEER_ISS + 2, h.expectOne(ACK).ack());
    h.expectState(State.CLOSE_WAIT);
    assertEquals(Action.SynSentRcvSynAckFin, h.lastAction());
  }

  @Test
  void synSentRcvBadAckGetsRstAndStays() {
    Harness h = synSent();
    h.send(peer(ACK, 1, h.iss() + 5));
    assertEquals(h.iss() + 5, h.expectOne(RST).seq());
    h.expectState(State.SYN_SENT);
    assertEquals(Action.SynSentRcvBadAck, h.lastAction());
    // ... but never a RST for a RST.
    h.send(peer(RST | ACK, 1, h.iss() + 5));
    h.expectNothing();
  }

  @Test
  void synSentRcvRstWithAcceptableAckRefuses() {
    Harness h = synSent();
    h.send(peer(RST | ACK, 0, h.iss() + 1));
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.REFUSED, h.conn.error().orElseThrow());
    assertEquals(Action.SynSentRcvRst, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
  }

  @Test
  void synSentRcvRstWithoutAckIsDropped() {
    Harness h = synSent();
    h.send(peer(RST, 0, 0));
    h.expectNothing();
    h.expectState(State.SYN_SENT);
    assertEquals(Action.SynSentRcvRstNoAck, h.lastAction());
  }

  @Test
  void simultaneousOpenGoesThroughSynReceived() {
    Harness h = synSent();
    h.send(peer(SYN, PEER_ISS, 0));
    Segment synAck = h.expectOne(SYN | ACK);
    assertEquals(h.iss(), synAck.seq());
    assertEquals(PEER_ISS + 1, synAck.ack());
    h.expectState(State.SYN_RECEIVED);
    assertEquals(Action.SynSentRcvSyn, h.lastAction());
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1));
    h.expectState(State.ESTABLISHED);
    assertEquals(Action.SynReceivedRcvAck, h.lastAction());
  }

  @Test
  void synSentRcvOtherIsDropped() {
    Harness h = synSent();
    h.send(peer(ACK, 0, h.iss() + 1));
    h.expectNothing();
    assertEquals(Action.SynSentRcvOther, h.lastAction());
  }

  @Test
  void synIsRetransmittedWithBackoffThenGivesUp() {
    Harness h = synSent();
    // RFC 6298 §5.5 from the first retransmission (recent Linux delays it: RetransmissionTest).
    h.stack.config(h.stack.config().withSysctl("tcp_syn_linear_timeouts", "0").orElseThrow());
    h.advanceMillis(999);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(h.iss(), h.expectOne(SYN).seq()); // RFC 6298 §2.1: initial RTO 1 s
    h.advanceMillis(1999);
    h.expectNothing();
    h.advanceMillis(1);
    h.expectOne(SYN); // backed off to 2 s
    for (int i = 0; i < 6 && h.conn.state() == State.SYN_SENT; i++) {
      h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
      h.stack.runTimers();
      h.out();
    }
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
    assertEquals(Action.SynSentTimeout, h.lastAction());
  }

  @Test
  void closeInSynSentDeletesTheTcb() {
    Harness h = synSent();
    h.stack.close(h.conn);
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(Action.CLOSE_SYN_SENT, h.lastAction());
  }

  @Test
  void dataWrittenInSynSentGoesOutAfterTheHandshake() {
    Harness h = synSent();
    assertEquals(3, h.conn.write(bytes(3, 1), 0, 3, 0));
    assertEquals(Action.SEND, h.lastAction());
    h.expectNothing();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1));
    Segment data = h.expectOne(ACK | PSH);
    assertEquals(3, data.payloadLength());
    assertEquals(PEER_ISS + 1, data.ack());
  }

  @Test
  void abortInSynSentSendsNothing() {
    // RFC 9293 §3.10.5 SYN-SENT STATE: "All queued SENDs and RECEIVEs should be given "reset" notification, delete the TCB"
    Harness h = synSent();
    h.stack.abort(h.conn);
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(Action.ABORT, h.lastAction());
  }
}
