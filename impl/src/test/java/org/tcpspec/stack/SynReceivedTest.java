package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;

/** RFC 9293 §3.10.7.4 in SYN-RECEIVED, RFC 5961 §3 and §4. */
class SynReceivedTest {

  @Test
  void synReceivedRcvAckEstablishesAndQueuesForAccept() {
    Harness h = synReceived();
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1));
    h.expectNothing();
    h.expectState(State.ESTABLISHED);
    assertEquals("SynReceivedRcvAck", h.lastAction());
    assertEquals(h.conn, h.listener.accept().orElseThrow());
  }

  @Test
  void synReceivedRcvBadAckGetsRst() {
    // "If the segment acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>"
    Harness h = synReceived();
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 7));
    assertEquals(h.iss() + 7, h.expectOne(RST).seq());
    h.expectState(State.SYN_RECEIVED);
    assertEquals("SynReceivedRcvBadAck", h.lastAction());
  }

  @Test
  void synReceivedRcvFinGoesToCloseWait() {
    Harness h = synReceived();
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.iss() + 1));
    assertEquals(PEER_ISS + 2, h.expectOne(ACK).ack());
    h.expectState(State.CLOSE_WAIT);
    assertEquals("SynReceivedRcvFin", h.lastAction());
  }

  @Test
  void rstAtRcvNxtReturnsAPassiveConnectionToListen() {
    Harness h = synReceived();
    h.send(peer(RST, PEER_ISS + 1, 0));
    h.expectNothing();
    h.expectState(State.LISTEN);
    assertEquals("SynReceivedRcvRstExact", h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
  }

  @Test
  void rstInWindowIsChallengedWithTheSynAck() {
    Harness h = synReceived();
    h.send(peer(RST, PEER_ISS + 10, 0));
    h.expectOne(SYN | ACK); // Linux: SYN-RECEIVED answers with its SYN-ACK.
    h.expectState(State.SYN_RECEIVED);
    assertEquals("SynReceivedRcvRstInWindow", h.lastAction());
  }

  @Test
  void rstOutOfWindowIsDropped() {
    Harness h = synReceived();
    h.send(peer(RST, PEER_ISS + 1_000_000, 0));
    h.expectNothing();
    assertEquals("SynReceivedRcvRstOutOfWindow", h.lastAction());
  }

  @Test
  void synInWindowReturnsPassiveToListen() {
    Harness h = synReceived();
    h.send(peer(SYN, PEER_ISS + 1, 0));
    h.expectState(State.LISTEN);
    assertEquals("SynReceivedRcvSyn", h.lastAction());
  }

  @Test
  void retransmittedSynIsUnacceptableAndAnsweredWithTheSynAck() {
    Harness h = synReceived();
    h.send(peer(SYN, PEER_ISS, 0));
    h.expectOne(SYN | ACK);
    assertEquals("SynReceivedRcvUnacceptable", h.lastAction());
  }

  @Test
  void segmentWithoutAckIsDropped() {
    Harness h = synReceived();
    h.send(peer(PSH, PEER_ISS + 1, 0, bytes(5, 0)));
    h.expectNothing();
    assertEquals("SynReceivedRcvNoAck", h.lastAction());
  }

  @Test
  void synAckRetransmissionGivesUpBackToListen() {
    Harness h = synReceived();
    for (int i = 0; i < 10 && h.conn.state() == State.SYN_RECEIVED; i++) {
      h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
      h.stack.runTimers();
      h.out();
    }
    h.expectState(State.LISTEN);
    assertEquals("SynReceivedTimeout", h.lastAction());
  }

  @Test
  void closeInSynReceivedSendsFinOnceTheSynIsAcked() {
    Harness h = synReceived();
    h.stack.shutdownWrite(h.conn);
    h.expectNothing();
    h.expectState(State.FIN_WAIT_1);
    assertEquals("CLOSE_SYN_RECEIVED", h.lastAction());
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1));
    h.expectOne(FIN | ACK);
  }

  @Test
  void sendInSynReceivedIsQueuedUntilEstablished() {
    Harness h = synReceived();
    assertEquals(4, h.conn.send(bytes(4, 0), 0, 4).value());
    assertEquals("SEND", h.lastAction());
    h.expectNothing();
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1));
    assertEquals(4, h.expectOne(ACK | PSH).payloadLength());
  }
}
