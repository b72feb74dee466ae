package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;

/** RFC 9293 §3.10.7.4 in SYN-RECEIVED, RFC 5961 §3 and §4. */
class SynReceivedTest {

  @Test
  void synReceivedRcvAckEstablishesAndQueuesForAccept() {
    Harness h = synReceived();
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1));
    h.expectNothing();
    h.expectState(State.ESTABLISHED);
    assertEquals(Action.SynReceivedRcvAck, h.lastAction());
    assertEquals(h.conn, h.listener.accept().orElseThrow());
  }

  @Test
  void synReceivedRcvBadAckGetsRst() {
    // "If the segment acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>"
    Harness h = synReceived();
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 7));
    assertEquals(h.iss() + 7, h.expectOne(RST).seq());
    h.expectState(State.SYN_RECEIVED);
    assertEquals(Action.SynReceivedRcvBadAck, h.lastAction());
  }

  @Test
  void synReceivedRcvFinGoesToCloseWait() {
    Harness h = synReceived();
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.iss() + 1));
    assertEquals(PEER_ISS + 2, h.expectOne(ACK).ack());
    h.expectState(State.CLOSE_WAIT);
    assertEquals(Action.SynReceivedRcvFin, h.lastAction());
  }

  @Test
  void rstAtRcvNxtReturnsAPassiveConnectionToListen() {
    Harness h = synReceived();
    h.send(peer(RST, PEER_ISS + 1, 0));
    h.expectNothing();
    h.expectState(State.LISTEN);
    assertEquals(Action.SynReceivedRcvRstExact, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
    assertEquals(0, h.listener.halfOpen(), "the request record is gone");
  }

  @Test
  void rstInWindowIsChallengedWithAnAck() {
    Harness h = synReceived();
    h.send(peer(RST, PEER_ISS + 10, 0));
    assertEquals(h.iss() + 1, h.expectOne(ACK).seq());
    h.expectState(State.SYN_RECEIVED);
    assertEquals(Action.SynReceivedRcvRstInWindow, h.lastAction());
  }

  @Test
  void outOfWindowSegmentIsAnsweredWithAnAckNotTheSynAck() {
    // §3.10.7.4 first check: "send an acknowledgment in reply ... <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>".
    // packetdrill-scripts/syn-received/out-of-window-acked.pkt; Linux tcp_check_req does the same.
    Harness h = synReceived();
    h.send(peer(ACK, PEER_ISS + 1_000_000, h.iss() + 1));
    Segment a = h.expectOne(ACK);
    assertEquals(h.iss() + 1, a.seq());
    assertEquals(PEER_ISS + 1, a.ack());
    assertEquals(Action.SynReceivedRcvUnacceptable, h.lastAction());
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1));
    h.expectNothing();
    h.expectState(State.ESTABLISHED);
  }

  @Test
  void rstOutOfWindowIsDropped() {
    Harness h = synReceived();
    h.send(peer(RST, PEER_ISS + 1_000_000, 0));
    h.expectNothing();
    assertEquals(Action.SynReceivedRcvRstOutOfWindow, h.lastAction());
  }

  @Test
  void synInWindowReturnsPassiveToListen() {
    Harness h = synReceived();
    h.send(peer(SYN, PEER_ISS + 1, 0));
    h.expectState(State.LISTEN);
    assertEquals(Action.SynReceivedRcvSyn, h.lastAction());
  }

  @Test
  void retransmittedSynIsUnacceptableAndAnsweredWithTheSynAck() {
    Harness h = synReceived();
    h.send(peer(SYN, PEER_ISS, 0));
    h.expectOne(SYN | ACK);
    assertEquals(Action.SynReceivedRcvUnacceptable, h.lastAction());
  }

  @Test
  void segmentWithoutAckIsDropped() {
    Harness h = synReceived();
    h.send(peer(PSH, PEER_ISS + 1, 0, bytes(5, 0)));
    h.expectNothing();
    assertEquals(Action.SynReceivedRcvNoAck, h.lastAction());
  }

  @Test
  void synAckRetransmissionGivesUpBackToListen() {
    Harness h = synReceived();
    for (int i = 0; i < 10 && h.state() == State.SYN_RECEIVED; i++) {
      h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
      h.stack.runTimers();
      h.out();
    }
    h.expectState(State.LISTEN);
    assertEquals(Action.SynReceivedTimeout, h.lastAction());
  }

  // User calls in SYN-RECEIVED: a passive half-open connection has no socket yet (Linux: none
  // before accept()), so these run on the active SYN-RECEIVED of a simultaneous open.

  @Test
  void closeInSynReceivedSendsFinAtOnce() {
    // §3.10.4: "If no SENDs have been issued and there is no pending data to send, then form a
    // FIN segment and send it, and enter FIN-WAIT-1 state".
    Harness h = synReceivedBySimultaneousOpen();
    h.stack.shutdownWrite(h.conn);
    Segment fin = h.expectOne(FIN | ACK);
    assertEquals(h.iss() + 1, fin.seq());
    h.expectState(State.FIN_WAIT_1);
    assertEquals(Action.CLOSE_SYN_RECEIVED, h.lastAction());
    // An ACK of SYN and FIN with the peer's FIN: straight to TIME-WAIT.
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.iss() + 2));
    assertEquals(PEER_ISS + 2, h.expectOne(ACK).ack());
    h.expectState(State.TIME_WAIT);
    assertEquals(Action.FinWait1RcvFinAckOfFin, h.lastAction());
  }

  @Test
  void closeInSynReceivedAfterASendQueuesTheFinBehindTheData() {
    // §3.10.4: "otherwise, queue for processing after entering ESTABLISHED state".
    Harness h = synReceivedBySimultaneousOpen();
    h.conn.write(bytes(4, 0), 0, 4, 0);
    h.stack.shutdownWrite(h.conn);
    h.expectNothing();
    h.expectState(State.FIN_WAIT_1);
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1));
    Segment dataAndFin = h.expectOne(FIN | ACK | PSH);
    assertEquals(4, dataAndFin.payloadLength());
  }

  @Test
  void closeInSimultaneousOpenSendsFinAtOnce() {
    // packetdrill-scripts/syn-received/close-in-syn-received.pkt: SYN-RECEIVED by crossed SYNs.
    Harness h = synSent();
    h.send(peer(SYN, PEER_ISS, 0));
    h.expectOne(SYN | ACK);
    h.expectState(State.SYN_RECEIVED);
    h.stack.close(h.conn);
    assertEquals(h.iss() + 1, h.expectOne(FIN | ACK).seq());
    h.expectState(State.FIN_WAIT_1);
  }

  @Test
  void sendInSynReceivedIsQueuedUntilEstablished() {
    Harness h = synReceivedBySimultaneousOpen();
    assertEquals(4, h.conn.write(bytes(4, 0), 0, 4, 0));
    assertEquals(Action.SEND, h.lastAction());
    h.expectNothing();
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1));
    assertEquals(4, h.expectOne(ACK | PSH).payloadLength());
  }
}
