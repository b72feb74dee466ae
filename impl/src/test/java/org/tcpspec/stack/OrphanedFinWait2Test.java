package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * An orphaned FIN-WAIT-2 connection as Linux holds it: close() (or the ACK of the FIN of a closed
 * socket) hands it to a timewait socket of substate FIN_WAIT2 (tcp_time_wait), which answers
 * segments as tcp_timewait_state_process does and lives tcp_fin_timeout, at least 3.5 RTO.
 */
class OrphanedFinWait2Test {

  /** close() of an established connection, then the peer's ACK of our FIN. */
  private static Harness orphanedFinWait2(Harness h) {
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectNothing();
    h.expectState(State.FIN_WAIT_2);
    return h;
  }

  private static Harness orphanedFinWait2() {
    return orphanedFinWait2(established());
  }

  /** A RST in the window, not at RCV.NXT, kills it in silence: no RFC 5961 challenge ACK. */
  @Test
  void aRstInTheWindowKillsItInSilence() {
    Harness h = orphanedFinWait2();
    h.send(peer(RST | ACK, PEER_ISS + 11, h.sndNxt()));
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait2RcvRstExact, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
  }

  /** A RST outside the window is answered with an ACK, as any segment outside it. */
  @Test
  void aRstOutsideTheWindowIsAnsweredWithAnAck() {
    Harness h = orphanedFinWait2();
    h.send(peer(RST | ACK, PEER_ISS + 1_000_001, h.sndNxt()));
    assertEquals(Action.FinWait2RcvUnacceptable, h.lastAction());
    assertEquals(PEER_ISS + 1, h.expectOne(ACK).ack());
    h.expectState(State.FIN_WAIT_2);
  }

  /** A SYN at RCV.NXT gets <SEQ=SEG.ACK><CTL=RST> and ends the connection (TCP_TW_RST). */
  @Test
  void aSynAtRcvNxtIsResetAndEndsIt() {
    Harness h = orphanedFinWait2();
    h.send(peer(SYN | ACK, PEER_ISS + 1, h.sndNxt()));
    assertEquals(h.sndNxt(), h.expectOne(RST).seq());
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait2RcvDataAfterClose, h.lastAction());
  }

  /** The ACK field is not read: an ACK of data never sent, or a too old one, gets nothing. */
  @Test
  void anAckAheadOrTooOldGetsNothing() {
    Harness h = orphanedFinWait2();
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt() + 100));
    h.expectNothing();
    h.advanceMillis(600);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt() - 1_000_000_000));
    h.expectNothing();
    h.expectState(State.FIN_WAIT_2);
  }

  /** Old text is outside tcp_in_window: a plain ACK, without the DSACK a full socket sends. */
  @Test
  void oldTextIsAnsweredWithoutDsack() {
    Harness h = activeUnderSysctl("tcp_dsack", "1", 10, true);
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(10, 0)));
    h.out();
    h.stack.read(h.conn, new byte[10], 0, 10);
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    h.send(peer(ACK, PEER_ISS + 11, h.sndNxt()));
    h.expectNothing();
    h.expectState(State.FIN_WAIT_2);
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(10, 0)));
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 11, ack.ack());
    assertTrue(ack.option(TcpOption.Sack.class).isEmpty());
    assertEquals(Action.FinWait2RcvUnacceptable, h.lastAction());
  }

  /**
   * tcp_paws_reject: a TSval one below TS.Recent fails (no TCP_PAWS_WINDOW, no disordered ACK),
   * and so does a RST's while TS.Recent is younger than 60 s; each is answered with an ACK.
   */
  @Test
  void pawsHasNoWindowAndHoldsARstToo() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.Timestamp(200, h.synTsVal())));
    h.expectOne(ACK);
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(210, 1)));
    h.expectState(State.FIN_WAIT_2);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(209, 1)));
    assertEquals(Action.FinWait2RcvUnacceptable, h.lastAction());
    assertEquals(PEER_ISS + 1, h.expectOne(ACK).ack());
    h.advanceMillis(600);
    h.send(peer(RST | ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(209, 1)));
    assertEquals(Action.FinWait2RcvUnacceptable, h.lastAction());
    h.expectOne(ACK);
    h.expectState(State.FIN_WAIT_2);
  }

  /** Only the FIN that leads to TIME-WAIT moves TS.Recent, not a duplicate ACK before it. */
  @Test
  void aDuplicateAckLeavesTsRecent() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.Timestamp(200, h.synTsVal())));
    h.expectOne(ACK);
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(210, 1)));
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(300, 1)));
    h.expectNothing();
    assertEquals(210, h.conn.tcb().tsRecent);
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(250, 1)));
    h.expectOne(ACK);
    h.expectState(State.TIME_WAIT);
    assertEquals(250, h.conn.tcb().tsRecent);
  }

  /** tcp_fin_time: tcp_fin_timeout 1 s is raised to 3.5 RTO. */
  @Test
  void itLivesAtLeastThreeAndAHalfRto() {
    Harness h = orphanedFinWait2(activeUnderSysctl("tcp_fin_timeout", "1", 500, false));
    long rto = h.conn.tcb().rtt.rtoNanos();
    long lifeMillis = ((rto << 2) - (rto >> 1) + 999_999) / 1_000_000;
    assertTrue(lifeMillis > 1000, "3.5 RTO after a 500 ms round trip: " + lifeMillis + " ms");
    h.advanceMillis(lifeMillis - 1);
    h.expectState(State.FIN_WAIT_2);
    h.advanceMillis(1);
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait2Timeout, h.lastAction());
  }

  /**
   * tcp_fin_timeout above TCP_TIMEWAIT_LEN: the full socket waits the difference, then the
   * timewait socket the difference again, at least 3.5 RTO (tcp_keepalive_timer).
   */
  @Test
  void aFinTimeoutAboveSixtySecondsWaitsTheExcessTwice() {
    Harness h = orphanedFinWait2(activeUnderSysctl("tcp_fin_timeout", "70", 10, false));
    h.advanceMillis(9_999);
    assertFalse(h.conn.finWait2TimeWait);
    h.advanceMillis(1);
    assertTrue(h.conn.finWait2TimeWait);
    h.advanceMillis(9_999);
    h.expectState(State.FIN_WAIT_2);
    h.advanceMillis(1);
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait2Timeout, h.lastAction());
  }

  /** After shutdown(SHUT_WR) the socket is not orphaned: a full socket, RFC 5961's challenge ACK. */
  @Test
  void notOrphanedItStaysAFullSocket() {
    Harness h = finWait2();
    assertFalse(h.conn.finWait2TimeWait);
    h.send(peer(RST | ACK, PEER_ISS + 11, h.sndNxt()));
    assertEquals(Action.FinWait2RcvRstInWindow, h.lastAction());
    h.expectOne(ACK);
  }
}
