package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * RFC 7323 §4.3: which segments move TS.Recent, the TSval our segments echo and PAWS holds the
 * peer's segments to. Linux (tcp_replace_ts_recent, called from tcp_ack) takes a TSval only from a
 * segment at or before Last.ACK.sent (rcv_wup, the RCV.NXT our last ACK told) whose ACK is not
 * older than SND.UNA.
 */
class TsRecentTest {

  /** Established by an active open whose SYN-ACK carried TSval 200. */
  private static Harness establishedWithTimestamps() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.Timestamp(200, h.synTsVal())));
    h.expectOne(ACK);
    return h;
  }

  private static int tsEcr(Segment s) {
    return s.option(TcpOption.Timestamp.class).orElseThrow().tsEcr();
  }

  /**
   * RFC 7323 §4.3 (2): "If SEG.TSval >= TS.Recent and SEG.SEQ <= Last.ACK.sent then SEG.TSval is
   * copied to TS.Recent". With the ACK of the first segment delayed, the second starts after
   * Last.ACK.sent though at RCV.NXT: the delayed ACK echoes the first segment's TSval.
   */
  @Test
  void aSegmentAfterLastAckSentLeavesTsRecent() {
    Harness h = establishedWithTimestamps();
    h.conn.options.pingpong = true;
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(100, 0), new TcpOption.Timestamp(300, 1)));
    h.expectNothing();
    h.send(peer(ACK | PSH, PEER_ISS + 101, h.sndNxt(), bytes(100, 0), new TcpOption.Timestamp(400, 1)));
    h.expectNothing();
    assertEquals(300, h.conn.tcb().tsRecent);
    h.advanceMillis(200);
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 201, ack.ack());
    assertEquals(300, tsEcr(ack));
    // The next segment starts at Last.ACK.sent again; TSval 350 passes PAWS and becomes TS.Recent.
    h.send(peer(ACK | PSH, PEER_ISS + 201, h.sndNxt(), bytes(100, 0), new TcpOption.Timestamp(350, 1)));
    assertEquals(350, h.conn.tcb().tsRecent);
    assertEquals(Action.EstablishedRcvData, h.lastAction());
  }

  /**
   * Linux tcp_ack: an ACK below SND.UNA but not too old (RFC 5961 §5.2) goes to old_ack before
   * tcp_replace_ts_recent; its text is still taken. So its TSval does not become TS.Recent, and
   * the peer's next segment with a lower TSval passes PAWS.
   */
  @Test
  void anOldAckWithTextLeavesTsRecent() {
    Harness h = establishedWithTimestamps();
    h.stack.write(h.conn, bytes(600, 0), 0, 600);
    h.expectOne(ACK | PSH);
    int una = h.iss() + 1;
    h.send(peer(ACK, PEER_ISS + 1, una + 300, new byte[0], new TcpOption.Timestamp(210, 1)));
    h.send(peer(ACK, PEER_ISS + 1, una + 600, new byte[0], new TcpOption.Timestamp(220, 1)));
    h.expectNothing();
    h.send(peer(ACK | PSH, PEER_ISS + 1, una + 300, bytes(10, 0), new TcpOption.Timestamp(900, 1)));
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 11, ack.ack());
    assertEquals(220, tsEcr(ack));
    assertEquals(Action.EstablishedRcvData, h.lastAction());
    h.send(peer(ACK | PSH, PEER_ISS + 11, una + 600, bytes(10, 0), new TcpOption.Timestamp(230, 1)));
    assertEquals(PEER_ISS + 21, h.expectOne(ACK).ack());
    assertEquals(230, h.conn.tcb().tsRecent);
  }

  /** A TSval more than 2^31 ahead of 0, so "older" than a TS.Recent of 0 in sequence-space order. */
  private static final int FAR_TSVAL = (int) 3_000_000_000L;

  /**
   * Linux tcp_paws_check: while TS.Recent is 0 (a peer that sent TSval 0 in its SYN-ACK) PAWS
   * lets any TSval through and tcp_replace_ts_recent takes it; from then on PAWS holds the peer to
   * it. Before, the java stack dropped the text as a PAWS failure with a duplicate ACK.
   */
  @Test
  void aTsRecentOfZeroLetsAnyTsValPassAndBecomeTsRecent() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.Timestamp(0, h.synTsVal())));
    h.expectOne(ACK);
    assertEquals(0, h.conn.tcb().tsRecent);
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(10, 0), new TcpOption.Timestamp(FAR_TSVAL, 1)));
    assertEquals(Action.EstablishedRcvData, h.lastAction());
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 11, ack.ack());
    assertEquals(FAR_TSVAL, tsEcr(ack));
    assertEquals(FAR_TSVAL, h.conn.tcb().tsRecent);
    // Now TS.Recent is valid: an older TSval fails PAWS, answered by a duplicate ACK.
    h.send(peer(ACK | PSH, PEER_ISS + 11, h.sndNxt(), bytes(10, 0), new TcpOption.Timestamp(FAR_TSVAL - 1000, 1)));
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
    assertEquals(PEER_ISS + 11, h.expectOne(ACK).ack());
  }

  /**
   * The same in SYN-RECEIVED (Linux tcp_check_req's tcp_paws_reject): a SYN with TSval 0 leaves
   * TS.Recent 0, and the handshake's ACK with any TSval completes the handshake.
   */
  @Test
  void aSynWithTsValZeroLetsTheHandshakeAckPass() {
    Harness h = listening();
    h.send(peer(SYN, PEER_ISS, 0, new byte[0], new TcpOption.Mss(1460), new TcpOption.Timestamp(0, 0)));
    Segment synAck = h.expectOne(SYN | ACK);
    int ourTsVal = synAck.option(TcpOption.Timestamp.class).orElseThrow().tsVal();
    h.send(peer(ACK, PEER_ISS + 1, synAck.seq() + 1, new byte[0], new TcpOption.Timestamp(FAR_TSVAL, ourTsVal)));
    h.expectNothing();
    h.conn = h.listener.accept().orElseThrow();
    assertEquals(Action.SynReceivedRcvAck, h.lastAction());
    assertEquals(FAR_TSVAL, h.conn.tcb().tsRecent);
  }

  /**
   * Linux tcp_validate_incoming: PAWS on a full socket is tcp_paws_check(&tp->rx_opt,
   * TCP_PAWS_WINDOW), so a TSval one tick below TS.Recent passes (RFC 7323 §5.3 R1 would drop it)
   * and two below fail. TS.Recent does not go back for it: tcp_replace_ts_recent tests with a
   * window of 0. Before, the java stack dropped the text with a duplicate ACK.
   */
  @Test
  void aTsValOneBelowTsRecentPassesPawsWithoutBecomingTsRecent() {
    Harness h = establishedWithTimestamps();
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(10, 0), new TcpOption.Timestamp(199, 1)));
    assertEquals(Action.EstablishedRcvData, h.lastAction());
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 11, ack.ack());
    assertEquals(200, tsEcr(ack));
    assertEquals(200, h.conn.tcb().tsRecent);
    h.send(peer(ACK | PSH, PEER_ISS + 11, h.sndNxt(), bytes(10, 0), new TcpOption.Timestamp(198, 1)));
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
    assertEquals(PEER_ISS + 11, h.expectOne(ACK).ack());
  }

  /**
   * Linux tcp_validate_incoming, since 6.14: a pure ACK below RCV.NXT that fails PAWS is an old ACK
   * (tcp_disordered_ack_check's SKB_DROP_REASON_TCP_RFC7323_PAWS_ACK), dropped in silence; text at
   * RCV.NXT, or a pure ACK above it, failing PAWS still gets a duplicate ACK, and the old ACK with
   * a TSval that passes fails the sequence test and gets one too. Before, the java stack answered
   * the old ACK failing PAWS with a duplicate ACK.
   */
  @Test
  void anOldPureAckFailingPawsIsDroppedInSilence() {
    Harness h = establishedWithTimestamps();
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(10, 0), new TcpOption.Timestamp(210, 1)));
    assertEquals(PEER_ISS + 11, h.expectOne(ACK).ack());
    h.send(peer(ACK | PSH, PEER_ISS + 11, h.sndNxt(), bytes(10, 0), new TcpOption.Timestamp(100, 1)));
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
    assertEquals(PEER_ISS + 11, h.expectOne(ACK).ack());
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(100, 1)));
    assertEquals(Action.EstablishedRcvNoAck, h.lastAction());
    h.expectNothing();
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(210, 1)));
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
    assertEquals(PEER_ISS + 11, h.expectOne(ACK).ack());
    h.advanceMillis(600);
    h.send(peer(ACK, PEER_ISS + 21, h.sndNxt(), new byte[0], new TcpOption.Timestamp(100, 1)));
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
    assertEquals(PEER_ISS + 11, h.expectOne(ACK).ack());
    assertEquals(210, h.conn.tcb().tsRecent);
  }

  /**
   * Linux tcp_timewait_state_process tests PAWS with tcp_paws_reject: a window of 0 and no
   * disordered-ACK exception (tcp_disordered_ack_check is tcp_validate_incoming's). In TIME-WAIT a
   * bare ACK at RCV.NXT with a TSval one below TS.Recent fails PAWS and is answered with an ACK;
   * with TS.Recent itself it is taken in silence (TCP_TW_SUCCESS). Before, the java stack took the
   * first as a disordered ACK, in silence.
   */
  @Test
  void inTimeWaitATsValOneBelowTsRecentFailsPaws() {
    Harness h = establishedWithTimestamps();
    h.stack.shutdownWrite(h.conn);
    h.expectOne(FIN | ACK);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(210, 1)));
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(220, 1)));
    h.expectOne(ACK);
    h.expectState(State.TIME_WAIT);
    assertEquals(220, h.conn.tcb().tsRecent);
    h.send(peer(ACK, PEER_ISS + 2, h.sndNxt(), new byte[0], new TcpOption.Timestamp(220, 1)));
    h.expectNothing();
    h.send(peer(ACK, PEER_ISS + 2, h.sndNxt(), new byte[0], new TcpOption.Timestamp(219, 1)));
    assertEquals(Action.TimeWaitRcvUnacceptable, h.lastAction());
    assertEquals(PEER_ISS + 2, h.expectOne(ACK).ack());
  }

  /**
   * Linux tcp_timewait_state_process holds a RST to PAWS too (tcp_paws_reject, until TS.Recent is
   * TCP_PAWS_MSL old): in TIME-WAIT a RST at RCV.NXT with a TSval below TS.Recent is dropped in
   * silence and the connection stays, still answering a segment that fails PAWS; one with
   * TS.Recent itself kills it. Before, the java stack exempted every RST from PAWS and closed.
   */
  @Test
  void inTimeWaitARstFailingPawsIsDropped() {
    Harness h = establishedWithTimestamps();
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt(), new byte[0], new TcpOption.Timestamp(220, 1)));
    h.expectOne(ACK);
    h.expectState(State.TIME_WAIT);
    h.advanceMillis(100);
    h.send(peer(RST | ACK, PEER_ISS + 2, h.sndNxt(), new byte[0], new TcpOption.Timestamp(219, 1)));
    h.expectNothing();
    assertEquals(Action.TimeWaitRcvRstOutOfWindow, h.lastAction());
    h.expectState(State.TIME_WAIT);
    h.send(peer(ACK, PEER_ISS + 2, h.sndNxt(), new byte[0], new TcpOption.Timestamp(219, 1)));
    assertEquals(220, tsEcr(h.expectOne(ACK)));
    h.send(peer(RST | ACK, PEER_ISS + 2, h.sndNxt(), new byte[0], new TcpOption.Timestamp(220, 1)));
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(Action.TimeWaitRcvRstExact, h.lastAction());
  }
}
