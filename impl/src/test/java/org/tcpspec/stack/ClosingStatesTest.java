package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/** RFC 9293 §3.10.7.4 after a CLOSE or the peer's FIN: FIN-WAIT-1/2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT. */
class ClosingStatesTest {

  @Test
  void finWait1RcvAckOfFinThenFinWait2RcvFinThenTimeWaitTimeout() {
    Harness h = timeWait();
    assertEquals(java.util.List.of(Action.ACTIVE_OPEN, Action.SynSentRcvSynAck, Action.CLOSE_ESTABLISHED, Action.FinWait1RcvAckOfFin,
        Action.FinWait2RcvFin), h.actions());
    h.advanceMillis(59_999);
    h.expectState(State.TIME_WAIT);
    h.advanceMillis(1);
    h.expectState(State.CLOSED);
    assertEquals(Action.TimeWaitTimeout, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
  }

  @Test
  void finWait1RcvFinAckOfFinGoesStraightToTimeWait() {
    Harness h = finWait1();
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectOne(ACK);
    h.expectState(State.TIME_WAIT);
    assertEquals(Action.FinWait1RcvFinAckOfFin, h.lastAction());
  }

  @Test
  void finWait1RcvDataIsAccepted() {
    Harness h = finWait1();
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt() - 1, bytes(5, 0)));
    assertEquals(PEER_ISS + 6, h.expectOne(ACK).ack());
    assertEquals(Action.FinWait1RcvData, h.lastAction());
  }

  @Test
  void finWait1RcvDataAfterCloseIsReset() {
    // §3.6.1 SHLD-3, Linux (tcp_rcv_state_process, TCPAbortOnData): after close() new text is
    // answered with <SEQ=SEG.ACK><CTL=RST> and the connection is gone.
    Harness h = finWait1();
    h.stack.close(h.conn);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt() - 1, bytes(5, 0)));
    Segment rst = h.expectOne(RST);
    assertEquals(h.sndNxt() - 1, rst.seq());
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait1RcvDataAfterClose, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
  }

  @Test
  void finWait2RcvDataAfterShutdownOfBothDirectionsIsResetAndTold() {
    Harness h = finWait2();
    h.stack.shutdownRead(h.conn);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), bytes(5, 0)));
    assertEquals(h.sndNxt(), h.expectOne(RST).seq());
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait2RcvDataAfterClose, h.lastAction());
    // The socket is still there (shutdown, not close): its next call reports the reset.
    assertEquals(ConnectionError.RESET, h.conn.error().orElseThrow());
  }

  /**
   * Linux tcp_cwnd_test: the final FIN is not held by a full congestion window (google/packetdrill's
   * shutdown/shutdown-rdwr-write-queue-close): it follows a full flight at once.
   */
  @Test
  void theFinGoesWhenTheFlightFillsCwnd() {
    Harness h = established();
    int mss = h.conn.tcb().sndMss;
    int cwnd = LossResponseTest.cc(h).cwnd();
    h.stack.write(h.conn, bytes(cwnd * mss, 0), 0, cwnd * mss);
    assertEquals(cwnd * mss, h.out().stream().mapToInt(Segment::payloadLength).sum());
    h.stack.shutdownWrite(h.conn);
    assertEquals(h.sndNxt() - 1, h.expectOne(FIN | ACK).seq());
    h.expectState(State.FIN_WAIT_1);
  }

  @Test
  void finWait1FinIsRetransmitted() {
    Harness h = finWait1();
    h.advanceMillis(1000);
    assertEquals(h.sndNxt() - 1, h.expectOne(FIN | ACK).seq());
  }

  @Test
  void finWait2RcvDataIsAccepted() {
    Harness h = finWait2();
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), bytes(5, 0)));
    h.expectOne(ACK);
    assertEquals(Action.FinWait2RcvData, h.lastAction());
  }

  @Test
  void finWait2AfterShutdownLastsUntilCloseThenSixtySeconds() {
    // Linux: only an orphaned FIN-WAIT-2 socket is bounded by tcp_fin_timeout; close() of one
    // already in FIN-WAIT-2 arms the timer from then on.
    Harness h = finWait2();
    h.advanceMillis(120_000);
    h.expectState(State.FIN_WAIT_2);
    h.stack.close(h.conn);
    h.advanceMillis(59_999);
    h.expectState(State.FIN_WAIT_2);
    h.advanceMillis(1);
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait2Timeout, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
  }

  @Test
  void orphanedFinWait2TimesOutAfterSixtySeconds() {
    Harness h = finWait1();
    h.stack.close(h.conn);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectState(State.FIN_WAIT_2);
    h.advanceMillis(60_000);
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait2Timeout, h.lastAction());
  }

  /**
   * Linux tcp_keepalive_timer: only an orphaned FIN-WAIT-2 socket (SOCK_DEAD) takes the
   * tcp_fin_timeout path; one the application still holds after shutdown(SHUT_WR) probes as in
   * ESTABLISHED and, giving up, sends a RST (tcp_send_active_reset) and fails with ETIMEDOUT
   * (tcp_write_err), as close/fin-wait-2-keepalive-timeout.pkt shows on Linux.
   */
  @Test
  void finWait2KeepaliveGivesUpWithRstAndTimedOut() {
    Harness h = finWait2();
    h.conn.options.keepAlive = true;
    h.conn.options.keepIdleNanos = 1_000_000_000L;
    h.conn.options.keepIntervalNanos = 1_000_000_000L;
    h.conn.options.keepProbes = 2;
    h.stack.keepaliveChanged(h.conn, false);
    for (int i = 0; i < 2; i++) {
      h.advanceMillis(1000);
      assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq());
    }
    h.expectState(State.FIN_WAIT_2);
    h.advanceMillis(1000);
    assertEquals(h.sndNxt(), h.expectOne(RST | ACK).seq());
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
    assertEquals(Action.FinWait2KeepaliveTimeout, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
  }

  /**
   * Linux: an orphan's FIN-WAIT-2 is bounded by tcp_fin_timeout alone; its keep-alive timer is
   * that timer (tcp_keepalive_timer's SOCK_DEAD path), so keep-alive sends no probe and no RST,
   * whether close() came in FIN-WAIT-1 or in FIN-WAIT-2, and the peer's FIN is still taken
   * (close/fin-wait-2-orphan-no-keepalive.pkt).
   */
  @Test
  void orphanedFinWait2SendsNoKeepalive() {
    for (boolean closeInFinWait2 : new boolean[] {false, true}) {
      Harness h = finWait1();
      keepaliveEverySecondOneProbe(h);
      if (!closeInFinWait2) h.stack.close(h.conn);
      h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
      h.expectState(State.FIN_WAIT_2);
      if (closeInFinWait2) h.stack.close(h.conn);
      for (int i = 0; i < 3; i++) {
        h.advanceMillis(1000);
        h.expectNothing();
      }
      h.expectState(State.FIN_WAIT_2);
      h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt()));
      assertEquals(PEER_ISS + 2, h.expectOne(ACK).ack());
      h.expectState(State.TIME_WAIT);
    }
  }

  /** Keep-alive on with TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s, TCP_KEEPCNT 1. */
  private static void keepaliveEverySecondOneProbe(Harness h) {
    h.conn.options.keepAlive = true;
    h.conn.options.keepIdleNanos = 1_000_000_000L;
    h.conn.options.keepIntervalNanos = 1_000_000_000L;
    h.conn.options.keepProbes = 1;
    h.stack.keepaliveChanged(h.conn, false);
  }

  @Test
  void closingRcvAckOfFinGoesToTimeWait() {
    Harness h = closing();
    assertEquals(Action.FinWait1RcvFin, h.lastAction());
    h.send(peer(ACK, PEER_ISS + 2, h.sndNxt()));
    h.expectNothing();
    h.expectState(State.TIME_WAIT);
    assertEquals(Action.ClosingRcvAckOfFin, h.lastAction());
  }

  @Test
  void closingRcvFinIsAcked() {
    Harness h = closing();
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt() - 1));
    h.expectOne(ACK);
    assertEquals(Action.ClosingRcvFin, h.lastAction());
  }

  @Test
  void closeWaitSendsDataThenLastAckRcvAckOfFinCloses() {
    Harness h = closeWait();
    h.stack.write(h.conn, bytes(5, 0), 0, 5);
    assertEquals(Action.SEND, h.lastAction());
    h.expectOne(ACK | PSH);
    h.stack.shutdownWrite(h.conn);
    h.expectOne(FIN | ACK);
    assertEquals(Action.CLOSE_CLOSE_WAIT, h.lastAction());
    h.send(peer(ACK, PEER_ISS + 2, h.sndNxt()));
    h.expectState(State.CLOSED);
    assertEquals(Action.LastAckRcvAckOfFin, h.lastAction());
    assertTrue(h.stack.connections().isEmpty());
  }

  @Test
  void closeWaitRcvFinRetransmissionIsAcked() {
    Harness h = closeWait();
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt()));
    assertEquals(PEER_ISS + 2, h.expectOne(ACK).ack());
    assertEquals(Action.CloseWaitRcvFin, h.lastAction());
  }

  @Test
  void closeWaitRcvDataIsIgnored() {
    Harness h = closeWait();
    h.send(peer(ACK, PEER_ISS + 2, h.sndNxt(), bytes(3, 0)));
    h.expectNothing();
    assertEquals(Action.CloseWaitRcvData, h.lastAction());
  }

  @Test
  void lastAckRcvFinRetransmissionIsAcked() {
    Harness h = lastAck();
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt() - 1));
    h.expectOne(ACK);
    assertEquals(Action.LastAckRcvFin, h.lastAction());
  }

  @Test
  void lastAckGivesUpAfterRetries() {
    Harness h = lastAck();
    for (int i = 0; i < 20 && h.conn.state() == State.LAST_ACK; i++) {
      h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
      h.stack.runTimers();
      h.out();
    }
    h.expectState(State.CLOSED);
    assertEquals(Action.LastAckTimeout, h.lastAction());
  }

  /** 2MSL (Linux's 60 s) began at the last segment: still TIME-WAIT 59 s on, CLOSED at 60 s. */
  private static void expect2MslFromNow(Harness h) {
    h.advanceMillis(59_000);
    h.expectState(State.TIME_WAIT);
    h.advanceMillis(1_000);
    h.expectState(State.CLOSED);
  }

  @Test
  void timeWaitRcvFinRestarts2Msl() {
    Harness h = timeWait();
    h.advanceMillis(30_000);
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectOne(ACK);
    assertEquals(Action.TimeWaitRcvFin, h.lastAction());
    expect2MslFromNow(h);
  }

  @Test
  void timeWaitBareAckAtRcvNxtRestarts2MslSilently() {
    // Linux tcp_timewait_state_process: a bare ACK at RCV.NXT is in its window; it restarts the
    // 60 s (inet_twsk_reschedule) and draws nothing; close/time-wait-ack-restarts-timer.pkt.
    Harness h = timeWait();
    h.advanceMillis(30_000);
    h.send(peer(ACK, PEER_ISS + 2, h.sndNxt()));
    h.expectNothing();
    expect2MslFromNow(h);
  }

  @Test
  void timeWaitOutOfWindowAckRestarts2MslAndIsAcked() {
    // Linux: a segment outside the window with ACK set restarts the 60 s before its rate-limited ACK.
    Harness h = timeWait();
    h.advanceMillis(30_000);
    h.send(peer(ACK, PEER_ISS + 1_000_000, h.sndNxt()));
    h.expectOne(ACK);
    assertEquals(Action.TimeWaitRcvUnacceptable, h.lastAction());
    expect2MslFromNow(h);
  }

  @Test
  void timeWaitAcklessSynOrRstLeaves2MslAlone() {
    // Linux: an ACK-less SYN inside the old space may be a new connection's; a RST outside the
    // window is dropped. Neither restarts the 60 s.
    Harness h = timeWait();
    h.advanceMillis(30_000);
    h.send(peer(SYN, PEER_ISS + 2, 0));
    h.expectOne(ACK);
    h.send(peer(RST, PEER_ISS + 1_000_000, 0));
    h.expectNothing();
    h.advanceMillis(30_000);
    h.expectState(State.CLOSED);
  }

  @Test
  void timeWaitRcvSynIsChallenged() {
    Harness h = timeWait();
    h.send(peer(SYN, PEER_ISS + 2, 0));
    h.expectOne(ACK);
    assertEquals(Action.TimeWaitRcvSyn, h.lastAction());
  }

  @Test
  void timeWaitRcvNewSynReopensForTheListener() {
    // RFC 9293 §3.6.1 MAY-2: a SYN beyond the old sequence space reopens; the new ISS lies above
    // the old SND.NXT (Linux: + 65537); close/time-wait-new-syn-reopens.pkt.
    Harness h = passiveTimeWait();
    int oldSndNxt = h.sndNxt();
    h.send(peer(SYN, PEER_ISS + 1000, 0, new byte[0], new TcpOption.Mss(1000)));
    Segment synAck = h.expectOne(SYN | ACK);
    assertEquals(Action.TimeWaitRcvNewSyn, h.lastAction());
    h.expectState(State.SYN_RECEIVED);
    assertEquals(oldSndNxt + 65537, synAck.seq());
    assertEquals(PEER_ISS + 1001, synAck.ack());
    assertTrue(h.conn.engine.passive());
    h.send(peer(ACK, PEER_ISS + 1001, synAck.seq() + 1));
    h.expectState(State.ESTABLISHED);
    assertEquals(h.conn, h.listener.accept().orElseThrow());
    assertTrue(h.stack.connections().contains(h.conn));
  }

  @Test
  void timeWaitRcvNewSynInsideTheOldSpaceOrWithoutListenerIsChallenged() {
    Harness h = passiveTimeWait();
    h.send(peer(SYN, PEER_ISS + 2, 0));
    h.expectOne(ACK);
    assertEquals(Action.TimeWaitRcvSyn, h.lastAction());
    h.stack.closeListener(h.listener);
    h.out();
    h.advanceMillis(600); // past the 500 ms challenge ACK rate limit
    h.send(peer(SYN, PEER_ISS + 1000, 0));
    h.expectOne(ACK);
    assertEquals(Action.TimeWaitRcvSyn, h.lastAction());
    h.expectState(State.TIME_WAIT);
  }

  @Test
  void writeAfterCloseIsRefused() {
    Harness h = finWait1();
    assertEquals(-1, h.stack.write(h.conn, bytes(1, 0), 0, 1));
    assertTrue(TransitionTable.instance().reaction(State.FIN_WAIT_1, Event.SEND).isPresent(),
        "the table documents the refusal");
  }
}
