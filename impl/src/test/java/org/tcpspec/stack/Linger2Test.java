package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;

/**
 * TCP_LINGER2 (Linux tp->linger2) on an orphaned connection: a positive value replaces
 * tcp_fin_timeout in tcp_fin_time; a negative one lets no orphan wait in FIN-WAIT-2 (tcp_close
 * resets it, tcp_rcv_state_process drops it when its FIN is acknowledged).
 */
class Linger2Test {

  /** An established connection with TCP_LINGER2 {@code seconds}, closed: an orphan whose FIN is out. */
  private static Harness orphanWithFinOut(int seconds) {
    Harness h = established();
    h.conn.options.linger2Seconds = seconds;
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    return h;
  }

  /** TCP_LINGER2 5 under tcp_fin_timeout 60: the orphan's FIN-WAIT-2 ends after 5 s. */
  @Test
  void aPositiveValueReplacesTcpFinTimeout() {
    Harness h = orphanWithFinOut(5);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectState(State.FIN_WAIT_2);
    h.advanceMillis(4_999);
    h.expectState(State.FIN_WAIT_2);
    h.advanceMillis(1);
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait2Timeout, h.lastAction());
  }

  /** TCP_LINGER2 90: the full socket waits 30 s beyond TCP_TIMEWAIT_LEN, then the timewait socket 30 s. */
  @Test
  void aValueAboveSixtySecondsWaitsTheExcessTwice() {
    Harness h = orphanWithFinOut(90);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    h.advanceMillis(30_000);
    assertTrue(h.conn.finWait2TimeWait);
    h.advanceMillis(29_999);
    h.expectState(State.FIN_WAIT_2);
    h.advanceMillis(1);
    h.expectState(State.CLOSED);
  }

  /**
   * tcp_close: a negative TCP_LINGER2 and close() in FIN-WAIT-2 (after shutdown(SHUT_WR)) sends
   * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> and the connection is gone (TCPAbortOnLinger).
   */
  @Test
  void aNegativeValueResetsOnCloseInFinWait2() {
    Harness h = finWait2();
    h.conn.options.linger2Seconds = -1;
    h.stack.close(h.conn);
    Segment rst = h.expectOne(RST | ACK);
    assertEquals(h.sndNxt(), rst.seq());
    assertEquals(PEER_ISS + 1, rst.ack());
    h.expectState(State.CLOSED);
    assertEquals(Action.ABORT, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
  }

  /**
   * tcp_rcv_state_process: an orphan with a negative TCP_LINGER2 whose FIN is acknowledged in
   * FIN-WAIT-1 is dropped and the ACK answered with <SEQ=SEG.ACK><CTL=RST>; a later segment finds
   * no connection and gets the CLOSED endpoint's RST.
   */
  @Test
  void aNegativeValueDropsTheOrphanWhenItsFinIsAcknowledged() {
    Harness h = orphanWithFinOut(-1);
    int finEnd = h.sndNxt();
    h.send(peer(ACK, PEER_ISS + 1, finEnd));
    assertEquals(finEnd, h.expectOne(RST).seq());
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait1RcvDataAfterClose, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
    h.send(peer(FIN | ACK, PEER_ISS + 1, finEnd));
    assertEquals(finEnd, h.expectOne(RST).seq());
  }

  /** The same for a FIN that acknowledges ours: the FIN_WAIT1 case runs before the FIN is taken. */
  @Test
  void aNegativeValueDropsTheOrphanOnAFinAcknowledgingOurs() {
    Harness h = orphanWithFinOut(-1);
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectOne(RST);
    assertEquals(Action.FinWait1RcvDataAfterClose, h.lastAction());
  }

  /** Not orphaned (shutdown(SHUT_WR) only), a negative value changes nothing until close(). */
  @Test
  void aNegativeValueLeavesASocketTheApplicationHolds() {
    Harness h = established();
    h.conn.options.linger2Seconds = -1;
    h.stack.shutdownWrite(h.conn);
    h.expectOne(FIN | ACK);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectNothing();
    h.expectState(State.FIN_WAIT_2);
    assertEquals(Action.FinWait1RcvAckOfFin, h.lastAction());
  }
}
