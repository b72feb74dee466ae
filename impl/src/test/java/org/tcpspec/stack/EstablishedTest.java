package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.RttEstimator;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/** RFC 9293 §3.10.7.4 in ESTABLISHED: sequence check, RST, SYN, ACK, text, FIN. */
class EstablishedTest {

  @Test
  void unacceptableSegmentGetsAnAck() {
    Harness h = established();
    h.send(peer(ACK, PEER_ISS - 100, h.sndNxt(), bytes(10, 0)));
    assertEquals(PEER_ISS + 1, h.expectOne(ACK).ack());
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
  }

  @Test
  void rstExactResetsInWindowIsChallengedOutsideDropped() {
    Harness h = established();
    h.send(peer(RST, PEER_ISS + 2, 0));
    Segment challenge = h.expectOne(ACK);
    assertEquals(PEER_ISS + 1, challenge.ack());
    assertEquals(Action.EstablishedRcvRstInWindow, h.lastAction());
    h.send(peer(RST, PEER_ISS + 500_000, 0));
    h.expectNothing();
    assertEquals(Action.EstablishedRcvRstOutOfWindow, h.lastAction());
    h.send(peer(RST, PEER_ISS + 1, 0));
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.RESET, h.conn.error().orElseThrow());
    assertEquals(Action.EstablishedRcvRstExact, h.lastAction());
  }

  @Test
  void synIsChallenged() {
    // RFC 5961 §4.2: "send an ACK (challenge ACK) to the remote peer"
    Harness h = established();
    h.send(peer(SYN, PEER_ISS + 1, 0));
    assertEquals(h.sndNxt(), h.expectOne(ACK).seq());
    h.expectState(State.ESTABLISHED);
    assertEquals(Action.EstablishedRcvSyn, h.lastAction());
  }

  @Test
  void noAckIsDroppedAckAheadIsAcked() {
    Harness h = established();
    h.send(peer(PSH, PEER_ISS + 1, 0, bytes(3, 0)));
    h.expectNothing();
    assertEquals(Action.EstablishedRcvNoAck, h.lastAction());
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt() + 10));
    h.expectOne(ACK);
    assertEquals(Action.EstablishedRcvAckAhead, h.lastAction());
  }

  /**
   * Linux's tcp_ack returns before tcp_replace_ts_recent for an ACK of unsent data and for one too
   * old (RFC 5961 §5.2): their TSval does not become TS.Recent, so the challenge ACK echoes the last
   * good TSval and the peer's next segment, with a TSval below the forged one, passes PAWS.
   */
  @Test
  void anAckAheadOrTooOldLeavesTsRecent() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.Timestamp(200, h.synTsVal())));
    h.expectOne(ACK);
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt() + 9998, new byte[0], new TcpOption.Timestamp(200_000, 1)));
    assertEquals(200, h.expectOne(ACK).option(TcpOption.Timestamp.class).orElseThrow().tsEcr());
    assertEquals(Action.EstablishedRcvAckAhead, h.lastAction());
    h.advanceMillis(1000); // past the out-of-window ACKs' rate limit (tcp_invalid_ratelimit)
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt() - 100, new byte[0], new TcpOption.Timestamp(300_000, 1)));
    assertEquals(200, h.expectOne(ACK).option(TcpOption.Timestamp.class).orElseThrow().tsEcr());
    assertEquals(Action.EstablishedRcvAckTooOld, h.lastAction());
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), bytes(1000, 0), new TcpOption.Timestamp(201, 1)));
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 1001, ack.ack());
    assertEquals(201, ack.option(TcpOption.Timestamp.class).orElseThrow().tsEcr());
    assertEquals(Action.EstablishedRcvData, h.lastAction());
  }

  /**
   * Neither does a SYN (challenged, RFC 5961 §4), a segment without ACK, nor a RST below the window:
   * Linux discards them before tcp_ack (tcp_validate_incoming, tcp_rcv_established).
   */
  @Test
  void aSynNoAckOrOutOfWindowRstLeavesTsRecent() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.Timestamp(200, h.synTsVal())));
    h.expectOne(ACK);
    h.send(peer(SYN, PEER_ISS + 1, 0, new byte[0], new TcpOption.Timestamp(200_000, 1)));
    assertEquals(200, h.expectOne(ACK).option(TcpOption.Timestamp.class).orElseThrow().tsEcr());
    assertEquals(Action.EstablishedRcvSyn, h.lastAction());
    h.send(peer(PSH, PEER_ISS + 1, 0, bytes(10, 0), new TcpOption.Timestamp(300_000, 1)));
    assertEquals(Action.EstablishedRcvNoAck, h.lastAction());
    h.send(peer(RST | ACK, PEER_ISS, h.sndNxt(), new byte[0], new TcpOption.Timestamp(400_000, 1)));
    assertEquals(Action.EstablishedRcvRstOutOfWindow, h.lastAction());
    h.expectNothing();
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), bytes(10, 0), new TcpOption.Timestamp(201, 1)));
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 11, ack.ack());
    assertEquals(201, ack.option(TcpOption.Timestamp.class).orElseThrow().tsEcr());
  }

  /**
   * Linux (tcp_sequence, tcp_data_queue): with the window closed by text taken whole beyond it, a
   * FIN with text is still unacceptable, a bare FIN at RCV.NXT is taken. The receive memory is above
   * the buffer, so tcp_try_rmem_schedule fails for the FIN too: its ACK goes at once, offering
   * nothing, where tcp_fin's pingpong mode would otherwise delay it.
   */
  @Test
  void aBareFinIsTakenInAZeroWindowAndAckedAtOnce() {
    Harness h = Harness.activeWithWindowClosed();
    h.send(peer(FIN | ACK, PEER_ISS + 40001, h.sndNxt(), bytes(10, 0)));
    assertEquals(PEER_ISS + 40001, h.expectOne(ACK).ack());
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
    h.send(peer(FIN | ACK, PEER_ISS + 40001, h.sndNxt()));
    Segment finAck = h.expectOne(ACK);
    assertEquals(PEER_ISS + 40002, finAck.ack());
    assertEquals(0, finAck.window());
    assertEquals(Action.EstablishedRcvFin, h.lastAction());
    h.expectState(State.CLOSE_WAIT);
  }

  @Test
  void dataIsAcceptedReadAndQuickAcked() {
    Harness h = established();
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(100, 7)));
    assertEquals(PEER_ISS + 101, h.expectOne(ACK).ack());
    assertEquals(Action.EstablishedRcvData, h.lastAction());
    byte[] got = new byte[200];
    assertEquals(100, h.stack.read(h.conn, got, 0, 200));
    assertArrayEquals(bytes(100, 7), java.util.Arrays.copyOf(got, 100));
  }

  /**
   * Linux's tcp_fin: the FIN that moves ESTABLISHED to CLOSE-WAIT enters pingpong mode, so once
   * text has started the delayed-ACK engine its ACK waits for the timer; before any text it goes at
   * once (Harness.closeWait).
   */
  @Test
  void finAfterTextIsAckedByTheDelayedAckTimer() {
    Harness h = established();
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(100, 7)));
    assertEquals(PEER_ISS + 101, h.expectOne(ACK).ack());
    h.send(peer(ACK | FIN, PEER_ISS + 101, h.sndNxt()));
    h.expectState(State.CLOSE_WAIT);
    h.expectNothing();
    h.advanceMillis(Receiver.DELAYED_ACK_NANOS / 1_000_000 - 1);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(PEER_ISS + 102, h.expectOne(ACK).ack());
  }

  /** RFC 9293 §3.1: reserved bits are ignored; AE (RFC 9768) is one to a stack without AccECN. */
  @Test
  void theAeBitIsIgnoredOnSynAndOnData() {
    Harness listener = listening();
    listener.send(peer(SYN | AE, PEER_ISS, 0));
    assertEquals(PEER_ISS + 1, listener.expectOne(SYN | ACK).ack());
    Harness h = synReceived();
    h.send(peer(ACK | AE, PEER_ISS + 1, h.sndNxt()));
    h.expectNothing();
    h.expectState(State.ESTABLISHED);
    h.send(peer(ACK | PSH | AE, PEER_ISS + 1, h.sndNxt(), bytes(100, 7)));
    assertEquals(PEER_ISS + 101, h.expectOne(ACK).ack());
    assertEquals(Action.EstablishedRcvData, h.lastAction());
  }

  /**
   * The application reads each segment as it comes, so the window does not shrink: Linux's
   * __tcp_ack_snd_check then acknowledges more than one full segment at once (RFC 9293 SHLD-19).
   */
  @Test
  void afterQuickAcksAckIsDelayedUntilTheSecondFullSegment() {
    Harness h = established();
    byte[] sink = new byte[1000];
    int seq = PEER_ISS + 1;
    for (int i = 0; i < 16; i++) {
      h.send(peer(ACK, seq, h.sndNxt(), bytes(536, i)));
      h.expectOne(ACK);
      assertEquals(536, h.stack.read(h.conn, sink, 0, sink.length));
      seq += 536;
    }
    h.send(peer(ACK, seq, h.sndNxt(), bytes(536, 0)));
    assertEquals(536, h.stack.read(h.conn, sink, 0, sink.length));
    h.expectNothing();
    seq += 536;
    h.send(peer(ACK, seq, h.sndNxt(), bytes(536, 0)));
    assertEquals(seq + 536, h.expectOne(ACK).ack());
    h.send(peer(ACK, seq + 536, h.sndNxt(), bytes(10, 0)));
    h.expectNothing();
    h.advanceMillis(39);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(seq + 546, h.expectOne(ACK).ack());
  }

  @Test
  void outOfOrderTextIsReassembledAndAckedAtOnce() {
    Harness h = established();
    h.send(peer(ACK, PEER_ISS + 11, h.sndNxt(), bytes(10, 10)));
    assertEquals(PEER_ISS + 1, h.expectOne(ACK).ack());
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), bytes(10, 0)));
    assertEquals(PEER_ISS + 21, h.expectOne(ACK).ack());
    byte[] got = new byte[20];
    assertEquals(20, h.stack.read(h.conn, got, 0, 20));
    assertArrayEquals(bytes(20, 0), got);
  }

  /**
   * Data leaves in TSO bursts of tcp_tso_autosize segments, each ending in PSH, as on Linux 6.18
   * (a 12000-byte write at RTT 100 ms and cwnd 10 left as five 2200-byte P. bursts): at RTT
   * 100 ms the pacing rate makes bursts of two segments; at a sub-millisecond RTT a burst may be
   * 64 KB, but tcp_cwnd_test gives one skb at most half of cwnd, and each skb of more than one
   * segment carries PSH (__tcp_transmit_skb): the initial window leaves as two P. bursts of five.
   */
  @Test
  void dataLeavesInPshBurstsOfTsoAutosize() {
    Harness slow = RetransmissionTest.establishedAfter(100);
    byte[] data = bytes(536 * 12, 0);
    slow.stack.write(slow.conn, data, 0, data.length);
    List<Segment> out = slow.out();
    assertEquals(10, out.size(), "the initial window");
    for (int i = 0; i < out.size(); i++) assertEquals(i % 2 == 1, out.get(i).has(PSH), "segment " + i);
    Harness fast = established();
    fast.stack.write(fast.conn, data, 0, data.length);
    List<Segment> burst = fast.out();
    assertEquals(10, burst.size(), "the initial window");
    for (int i = 0; i < burst.size(); i++) assertEquals(i == 4 || i == 9, burst.get(i).has(PSH), "segment " + i);
  }

  /**
   * MSG_EOR: no segment crosses the end of a record, first sent or retransmitted, and each record
   * ends in PSH, as Linux keeps an eor skb from being appended to or collapsed (measured with
   * google/packetdrill's eor scripts on Linux 6.18).
   */
  @Test
  void recordsAreNeverCoalesced() {
    Harness h = established();
    h.conn.options.noDelay = true; // else Nagle holds the short tail behind the short records
    for (int i = 0; i < 3; i++) assertEquals(400, h.stack.send(h.conn, bytes(400, i), 0, 400, true, false));
    h.stack.write(h.conn, bytes(1000, 3), 0, 1000);
    List<Segment> out = h.out();
    assertEquals(List.of(400, 400, 400, 536, 464), out.stream().map(Segment::payloadLength).toList());
    assertEquals(List.of(true, true, true, false, true), out.stream().map(s -> s.has(PSH)).toList());
    h.advanceMillis(1000);
    Segment again = h.expectOne(ACK | PSH);
    assertEquals(out.getFirst().seq(), again.seq());
    assertEquals(400, again.payloadLength(), "a retransmission keeps the record's end");
  }

  /**
   * TCP_CORK holds a short tail until uncorked, whatever Nagle says; MSG_MORE holds its own write's
   * tail and leaves it without PSH; TCP_NODELAY turned on sends what waits (Linux tcp_push with
   * TCP_NAGLE_CORK, tcp_push_pending_frames with TCP_NAGLE_PUSH).
   */
  @Test
  void corkAndMsgMoreHoldAShortTail() {
    Harness h = established();
    h.conn.options.cork = true;
    h.stack.write(h.conn, bytes(40, 0), 0, 40);
    h.advanceMillis(50);
    h.stack.write(h.conn, bytes(40, 1), 0, 40);
    h.expectNothing();
    h.conn.options.cork = false;
    h.stack.pushPending(h.conn, false);
    Segment corked = h.expectOne(ACK | PSH);
    assertEquals(80, corked.payloadLength());
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    h.stack.send(h.conn, bytes(40, 2), 0, 40, false, true);
    h.stack.send(h.conn, bytes(40, 3), 0, 40, false, true);
    h.expectNothing();
    h.conn.options.noDelay = true;
    h.stack.pushPending(h.conn, true);
    assertEquals(80, h.expectOne(ACK).payloadLength(), "no PSH after MSG_MORE");
  }

  /**
   * Linux (tcp_check_probe_timer, tcp_probe_timer, tcp_write_wakeup): a tail that MSG_MORE or
   * TCP_CORK holds with nothing in flight waits for the probe timer, the RTO but at least 200 ms,
   * then goes with PSH (google/packetdrill's nagle/sendmsg_msg_more expects it 210 ms later).
   */
  @Test
  void aHeldTailWithNothingInFlightGoesWhenTheProbeTimerFires() {
    Harness h = established();
    long probeMillis = Math.max(h.conn.tcb().rtt.rtoNanos(), RttEstimator.MIN_RTO_NANOS) / 1_000_000;
    h.stack.send(h.conn, bytes(40, 0), 0, 40, false, true);
    h.advanceMillis(probeMillis - 1);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(40, h.expectOne(ACK | PSH).payloadLength());
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    h.conn.options.cork = true;
    h.stack.write(h.conn, bytes(40, 1), 0, 40);
    h.advanceMillis(probeMillis - 1);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(40, h.expectOne(ACK | PSH).payloadLength());
  }

  @Test
  void sendIsSegmentedByMssAndRetransmittedOnTimeout() {
    Harness h = established();
    h.conn.options.noDelay = true;
    assertEquals(1000, h.stack.write(h.conn, bytes(1000, 3), 0, 1000));
    List<Segment> out = h.out();
    assertEquals(2, out.size());
    assertEquals(536, out.get(0).payloadLength());
    assertEquals(464, out.get(1).payloadLength());
    h.advanceMillis(1000);
    Segment again = h.expectOne(ACK); // not the last segment sent: no PSH, as Linux
    assertEquals(out.get(0).seq(), again.seq());
    h.send(peer(ACK, PEER_ISS + 1, out.get(0).seq() + 1000));
    h.expectNothing();
    assertEquals(Action.EstablishedRcvAck, h.lastAction());
    assertEquals(0, h.conn.tcb().inFlight());
  }

  @Test
  void threeDuplicateAcksTriggerFastRetransmit() {
    Harness h = established();
    byte[] data = bytes(536 * 4, 0);
    h.stack.write(h.conn, data, 0, data.length);
    List<Segment> out = h.out();
    assertEquals(4, out.size());
    int una = out.getFirst().seq();
    for (int i = 0; i < 2; i++) {
      h.send(peer(ACK, PEER_ISS + 1, una));
      h.expectNothing();
      assertEquals(Action.EstablishedRcvDupAck, h.lastAction());
    }
    h.send(peer(ACK, PEER_ISS + 1, una));
    assertEquals(una, h.expectOne(ACK).seq());
  }

  /**
   * After a timeout every segment in flight is lost (Linux tcp_enter_loss) and, in the Loss state,
   * each ACK lets the lost ones out again as cwnd grows from one segment: segments 1 and 3 of a
   * flight are lost, the timeout resends segment 1, and the ACK for it (which also covers segment
   * 2) sends 3 and 4 at once, not after a second RTO (found by LossyTransferInNamespaceTest: 2 MB
   * under 5% loss took 111 s, one RTO per lost segment). Without SACK, F-RTO changes nothing here:
   * an ACK that covers the retransmission proves no original arrived (Linux clears
   * FLAG_ORIG_SACK_ACKED), and with no new data to send F-RTO gives up (RFC 5682 §2.1 step 2.b).
   */
  @Test
  void afterATimeoutTheAckOfTheHeadSendsTheOtherLostSegments() {
    Harness h = established(c -> c.withSysctl("tcp_frto", "0").orElseThrow());
    h.conn.options.noDelay = true;
    byte[] data = bytes(536 * 4, 0);
    h.stack.write(h.conn, data, 0, data.length);
    List<Segment> out = h.out();
    assertEquals(4, out.size());
    h.advanceMillis(1000);
    assertEquals(out.get(0).seq(), h.expectOne(ACK).seq(), "the timeout resends the head");
    h.send(peer(ACK, PEER_ISS + 1, out.get(2).seq()));
    List<Segment> again = h.out();
    assertEquals(List.of(out.get(2).seq(), out.get(3).seq()), again.stream().map(Segment::seq).toList(),
        "the segments still lost go out at once, as cwnd (1 + 2 acked) allows");
    h.send(peer(ACK, PEER_ISS + 1, out.get(3).seq() + 536));
    h.expectNothing();
    assertEquals(0, h.conn.tcb().inFlight());
  }

  /**
   * RFC 3042 Limited Transmit: the first two duplicate ACKs each send one new segment beyond
   * cwnd, the third retransmits (found by LossyTransferInNamespaceTest: with cwnd at 2-3
   * segments a loss produced too few duplicates and waited for a timeout).
   */
  @Test
  void firstTwoDuplicateAcksEachSendOneNewSegment() {
    Harness h = established();
    h.conn.options.noDelay = true;
    byte[] data = bytes(536 * 14, 0);
    h.stack.write(h.conn, data, 0, data.length);
    List<Segment> out = h.out();
    assertEquals(10, out.size(), "the initial window");
    int una = out.getFirst().seq();
    for (int i = 0; i < 2; i++) {
      h.send(peer(ACK, PEER_ISS + 1, una));
      Segment extra = h.expectOne(ACK);
      assertEquals(plus(una, 536 * (10 + i)), extra.seq(), "duplicate ACK " + (i + 1) + ": one new segment");
    }
    h.send(peer(ACK, PEER_ISS + 1, una));
    assertEquals(una, h.out().getFirst().seq(), "the third: fast retransmit");
  }

  @Test
  void nagleHoldsASmallSegmentWhileDataIsUnacknowledged() {
    Harness h = established();
    h.stack.write(h.conn, bytes(10, 0), 0, 10);
    Segment first = h.expectOne(ACK | PSH);
    h.stack.write(h.conn, bytes(10, 0), 0, 10);
    h.expectNothing();
    h.send(peer(ACK, PEER_ISS + 1, first.seq() + 10));
    assertEquals(first.seq() + 10, h.expectOne(ACK | PSH).seq());
  }

  @Test
  void zeroWindowIsProbed() {
    Harness h = established();
    Segment zero = new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK, 0, 0, List.of(), new byte[0]);
    h.send(zero);
    h.stack.write(h.conn, bytes(10, 0), 0, 10);
    h.expectNothing();
    h.advanceMillis(1000);
    Segment probe = h.expectOne(ACK);
    assertEquals(h.sndNxt() - 1, probe.seq());
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    assertEquals(10, h.expectOne(ACK | PSH).payloadLength());
  }

  @Test
  void finGoesToCloseWaitAndReadsEndOfStream() {
    Harness h = closeWait();
    assertEquals(Action.EstablishedRcvFin, h.lastAction());
    assertTrue(h.conn.peerFinished());
  }

  @Test
  void windowScaleAndTimestampsAreNegotiated() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.WindowScale(2), new TcpOption.Timestamp(777, h.synTsVal())));
    Segment ack = h.expectOne(ACK);
    assertEquals(777, ack.option(TcpOption.Timestamp.class).orElseThrow().tsEcr());
    assertEquals(1460 - 12, h.conn.tcb().sndMss);
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1, new byte[0], new TcpOption.Timestamp(778, 1)));
    assertEquals(PEER_WINDOW << 2, h.conn.tcb().sndWnd);
    // PAWS (RFC 7323 §5.3): an older TSval is unacceptable.
    h.send(peer(ACK, PEER_ISS + 1, h.iss() + 1, bytes(5, 0), new TcpOption.Timestamp(700, 1)));
    h.expectOne(ACK);
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
  }

  @Test
  void keepaliveProbesThenTimesOut() {
    Harness h = synSent();
    h.conn.options.keepAlive = true;
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1));
    h.expectOne(ACK);
    h.advanceMillis(7200_000);
    assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq());
    for (int i = 0; i < 8; i++) {
      h.advanceMillis(75_000);
      assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq());
    }
    h.expectState(State.ESTABLISHED);
    h.advanceMillis(75_000);
    // Linux tcp_keepalive_timer: giving up sends a RST (tcp_send_active_reset).
    assertEquals(h.sndNxt(), h.expectOne(RST | ACK).seq());
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
    assertEquals(Action.EstablishedTimeout, h.lastAction());
  }

  /**
   * Linux tcp_keepalive_timer: with TCP_USER_TIMEOUT set, keep-alive gives up once the time since
   * the last receive reaches it with a probe out, long before TCP_KEEPCNT probes.
   */
  @Test
  void userTimeoutEndsKeepaliveBeforeKeepcnt() {
    Harness h = establishedWithKeepalive(20, 2500);
    h.advanceMillis(1000);
    h.expectOne(ACK);
    h.advanceMillis(1000);
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    h.advanceMillis(1000);
    assertEquals(h.sndNxt(), h.expectOne(RST | ACK).seq());
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
  }

  /**
   * Linux tcp_keepalive_timer: with TCP_USER_TIMEOUT set, TCP_KEEPCNT is not counted, so probing
   * goes on past it until the user timeout.
   */
  @Test
  void userTimeoutLongerThanKeepcntKeepsProbing() {
    Harness h = establishedWithKeepalive(2, 4500);
    for (int i = 0; i < 4; i++) {
      h.advanceMillis(1000);
      h.expectOne(ACK);
    }
    h.expectState(State.ESTABLISHED);
    h.advanceMillis(1000);
    h.expectOne(RST | ACK);
    h.expectState(State.CLOSED);
  }

  /**
   * Linux moves a connection in TIME-WAIT to a timewait socket and leaves the full socket in CLOSE,
   * where tcp_keepalive_timer does nothing and tcp_set_keepalive arms nothing: no keep-alive
   * probe, RST or early end of TIME-WAIT.
   */
  @Test
  void noKeepaliveInTimeWait() {
    Harness h = establishedWithKeepalive(1, 0);
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt()));
    h.expectOne(ACK);
    h.expectState(State.TIME_WAIT);
    h.stack.keepaliveChanged(h.conn, false);
    for (int i = 0; i < 5; i++) {
      h.advanceMillis(1000);
      h.expectNothing();
    }
    h.expectState(State.TIME_WAIT);
  }

  /**
   * Linux keepalive_time_elapsed: the idle time runs from the last acceptable ACK (rcv_tstamp) or
   * data (icsk_ack.lrcvtime). A segment outside the window, answered with an ACK and dropped, is
   * neither and does not put the probe off; nor does an answer bring the next probe forward when
   * TCP_KEEPINTVL is longer than TCP_KEEPIDLE: tcp_keepalive_timer fires when it was set and only
   * then measures the idle time
   * (packetdrill-scripts/established/keepalive-idle-not-reset-by-out-of-window.pkt).
   */
  @Test
  void onlyAcceptableAcksAndDataPutKeepaliveOff() {
    Harness h = established();
    keepaliveEverySecond(h);
    h.conn.options.keepIntervalNanos = 3_000_000_000L;
    h.advanceMillis(600);
    h.send(peer(ACK, PEER_ISS + 1_000_000, h.sndNxt(), bytes(10, 0)));
    assertEquals(PEER_ISS + 1, h.expectOne(ACK).ack());
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
    h.advanceMillis(400);
    assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq(), "a keep-alive probe 1 s after the last ACK");
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    h.advanceMillis(2999);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq(), "the next one TCP_KEEPINTVL after the probe");
  }

  /** An established connection with keep-alive every second, TCP_KEEPCNT and TCP_USER_TIMEOUT (0: unset) as given. */
  private static Harness establishedWithKeepalive(int keepProbes, int userTimeoutMillis) {
    Harness h = established();
    h.conn.options.keepProbes = keepProbes;
    h.conn.options.userTimeoutMillis = userTimeoutMillis;
    keepaliveEverySecond(h);
    return h;
  }

  /** Keep-alive on with TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s, as the keepalive-*.pkt scripts set it. */
  private static void keepaliveEverySecond(Harness h) {
    h.conn.options.keepAlive = true;
    h.conn.options.keepIdleNanos = 1_000_000_000L;
    h.conn.options.keepIntervalNanos = 1_000_000_000L;
    h.stack.keepaliveChanged(h.conn, false);
  }

  /**
   * RFC 9293 §3.8.4 MUST-26, Linux tcp_keepalive_timer (tp->packets_out): while sent data is
   * unacknowledged only its retransmissions go, no keep-alive probe at SND.NXT-1; once it is
   * acknowledged, keep-alive probes again one TCP_KEEPIDLE after that ACK.
   */
  @Test
  void noKeepaliveWhileDataInFlight() {
    Harness h = established();
    keepaliveEverySecond(h);
    h.stack.write(h.conn, bytes(10, 0), 0, 10);
    int first = h.expectOne(ACK | PSH).seq();
    int retransmissions = 0;
    for (int ms = 0; ms < 5000; ms += 50) {
      h.advanceMillis(50);
      for (Segment s : h.out()) {
        assertEquals(first, s.seq(), "only the data goes again, no keep-alive: " + s);
        assertEquals(10, s.payloadLength(), "only the data goes again, no keep-alive: " + s);
        retransmissions++;
      }
    }
    assertTrue(retransmissions >= 2, "the RTO retransmitted the data: " + retransmissions);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    h.out();
    h.advanceMillis(1000);
    assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq());
  }

  /**
   * RFC 9293 §3.8.4 MUST-26, Linux tcp_keepalive_timer (!tcp_write_queue_empty): data queued
   * behind a zero window gets the zero-window probes alone; with keep-alive on, the segments and
   * their times are the same as with it off (packetdrill-scripts/established/
   * keepalive-not-while-data-queued.pkt).
   */
  @Test
  void noKeepaliveWhileDataQueued() {
    assertEquals(zeroWindowProbeTimes(false), zeroWindowProbeTimes(true));
  }

  private static List<Long> zeroWindowProbeTimes(boolean keepalive) {
    Harness h = established();
    if (keepalive) keepaliveEverySecond(h);
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK, 0, 0, List.of(),
        new byte[0]));
    h.stack.write(h.conn, bytes(10, 0), 0, 10);
    List<Long> times = new ArrayList<>();
    for (long ms = 50; ms <= 6000; ms += 50) {
      h.advanceMillis(50);
      for (Segment s : h.out()) {
        assertEquals(h.sndNxt() - 1, s.seq());
        assertEquals(0, s.payloadLength());
        times.add(ms);
      }
    }
    assertTrue(times.size() >= 2, "zero-window probes went: " + times);
    return times;
  }

  /**
   * Linux icsk_probes_out (tcpi_probes): one count of unanswered probes, keep-alive
   * (tcp_keepalive_timer) and zero-window (tcp_send_probe0) alike, cleared only by an ACK
   * (tcp_ack). Two keep-alive probes go unanswered, data written then waits for the closed window,
   * and its first zero-window probe makes three, tcp_retries2 here, so tcp_probe_timer gives up at
   * the next expiry instead of probing again
   * (packetdrill-scripts/flow/zero-window-probes-count-keepalive-probes.pkt).
   */
  @Test
  void keepaliveProbesCountTowardZeroWindowProbes() {
    Harness h = established(c -> c.withSysctl("tcp_retries2", "3").orElseThrow());
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK, 0, 0, List.of(),
        new byte[0]));
    keepaliveEverySecond(h);
    h.advanceMillis(1000);
    assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq());
    assertEquals(1, probesOut(h));
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK, 0, 0, List.of(),
        new byte[0]));
    assertEquals(0, probesOut(h), "an ACK answers the probes");
    for (int i = 0; i < 2; i++) {
      h.advanceMillis(1000);
      assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq());
    }
    assertEquals(2, probesOut(h));
    h.stack.write(h.conn, bytes(10, 0), 0, 10);
    int zeroWindowProbes = 0;
    for (int ms = 0; ms < 10_000 && h.conn.state() != State.CLOSED; ms += 50) {
      h.advanceMillis(50);
      for (Segment s : h.out()) {
        assertEquals(0, s.payloadLength(), "a zero-window probe: " + s);
        zeroWindowProbes++;
        assertEquals(3, probesOut(h));
      }
    }
    assertEquals(1, zeroWindowProbes);
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
  }

  private static long probesOut(Harness h) {
    return ConnectionInfo.of(h.conn).get(TcpInfo.Field.PROBES);
  }

  @Test
  void abortSendsRst() {
    Harness h = established();
    h.stack.abort(h.conn);
    assertEquals(h.sndNxt(), h.expectOne(RST | ACK).seq());
    h.expectState(State.CLOSED);
    assertEquals(Action.ABORT, h.lastAction());
  }

  /** Linux's active reset carries timestamps on a connection that uses them (tcp_send_active_reset). */
  @Test
  void anAbortResetCarriesTimestamps() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460),
        new TcpOption.Timestamp(777, h.synTsVal())));
    h.expectOne(ACK);
    h.stack.abort(h.conn);
    Segment rst = h.expectOne(RST | ACK);
    assertEquals(777, rst.option(TcpOption.Timestamp.class).orElseThrow().tsEcr());
  }

  @Test
  void closeWithUnreadDataResetsAsLinux() {
    Harness h = established();
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), bytes(10, 0)));
    h.out();
    h.stack.close(h.conn);
    h.expectOne(RST | ACK);
    h.expectState(State.CLOSED);
  }

  @Test
  void outOfWindowAcksAndChallengesAreRateLimitedAsLinux() {
    Harness h = established();
    h.send(peer(SYN, PEER_ISS + 1, 0));
    h.expectOne(ACK);
    h.send(peer(ACK, PEER_ISS - 100, h.sndNxt()));
    h.expectNothing(); // within 500 ms of the challenge ACK
    h.send(peer(ACK, PEER_ISS - 100, h.sndNxt(), bytes(10, 0)));
    h.expectOne(ACK); // segments with data are always answered
    h.advanceMillis(500);
    h.send(peer(RST, PEER_ISS + 5, 0));
    h.expectOne(ACK);
  }

  @Test
  void blindDataWithAnAckFarBelowSndUnaIsDroppedWithAChallengeAck() {
    // RFC 5961 §5.2: "All incoming segments whose ACK value doesn't satisfy the above condition
    // MUST be discarded and an ACK sent back." The issue's probe: SND.NXT - 10^7.
    Harness h = established();
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt() - 10_000_000, bytes(10, 9)));
    Segment challenge = h.expectOne(ACK);
    assertEquals(PEER_ISS + 1, challenge.ack(), "RCV.NXT did not move");
    assertEquals(h.sndNxt(), challenge.seq());
    assertEquals(Action.EstablishedRcvAckTooOld, h.lastAction());
    assertEquals(0, h.stack.read(h.conn, new byte[10], 0, 10), "nothing delivered");
    // The same limit as every challenge ACK: a second one within 500 ms is not answered.
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt() - (1 << 30), bytes(10, 9)));
    h.expectNothing();
    assertEquals(Action.EstablishedRcvAckTooOld, h.lastAction());
    h.advanceMillis(500);
    h.send(peer(ACK | FIN, PEER_ISS + 1, h.sndNxt() - (1 << 30)));
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
  }

  @Test
  void maxSndWndIsBoundedByTheBytesAcknowledgedAsLinux() {
    // Linux (tcp_ack): min(max_window, bytes_acked). The peer's window is 20000, but it has acked
    // our SYN and 100 bytes only: an ACK 101 below SND.UNA is old, 102 below is too old.
    Harness h = established();
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    h.expectOne(ACK | PSH);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt()));
    int sndUna = h.conn.tcb().sndUna;
    h.send(peer(ACK, PEER_ISS + 1, sndUna - 101, bytes(5, 1)));
    assertEquals(Action.EstablishedRcvData, h.lastAction());
    h.out();
    h.send(peer(ACK, PEER_ISS + 6, sndUna - 102, bytes(5, 2)));
    assertEquals(Action.EstablishedRcvAckTooOld, h.lastAction());
    assertEquals(5, h.stack.read(h.conn, new byte[10], 0, 10), "the first five bytes only");
  }

  @Test
  void theHostWideChallengeAckLimitCountsEveryChallenge() {
    // Linux tcp_challenge_ack_limit: with the limit at 1, the budget of a second is 1 (between
    // half of it and one and a half times it), whatever the per-connection limit allows.
    Harness h = established();
    h.stack.config(h.stack.config().withSysctl("tcp_challenge_ack_limit", "1").orElseThrow());
    h.send(peer(SYN, PEER_ISS + 1, 0));
    h.expectOne(ACK);
    h.advanceMillis(600);
    h.send(peer(RST, PEER_ISS + 5, 0));
    h.expectNothing(); // the per-connection limit allows it, the host-wide budget of this second does not
    h.advanceMillis(1000);
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt() - 10_000_000));
    h.expectOne(ACK);
  }

  // ------------------------------------------------------------ flow: Nagle, SWS, window updates

  @Test
  void shortTailOfAWriteFollowsItsFullSegmentAtOnce() {
    // packetdrill-scripts/options/default-mss-536-v4.pkt: Nagle in Minshall's form (Linux) holds a
    // small segment only while an earlier small one is unacknowledged.
    Harness h = established();
    h.stack.write(h.conn, bytes(1000, 0), 0, 1000);
    List<Segment> out = h.out();
    assertEquals(2, out.size(), out.toString());
    assertEquals(536, out.get(0).payloadLength());
    assertEquals(464, out.get(1).payloadLength());
    assertEquals(ACK | PSH, out.get(1).flags());
    h.stack.write(h.conn, bytes(10, 0), 0, 10);
    h.expectNothing(); // the 464-byte segment is small and unacknowledged
    h.send(peer(ACK, PEER_ISS + 1, out.get(0).seq() + 1000));
    assertEquals(10, h.expectOne(ACK | PSH).payloadLength());
  }

  @Test
  void windowOfAtLeastHalfTheLargestOfferedIsFilledAtOnce() {
    // packetdrill-scripts/flow/window-update-sends.pkt: §3.8.6.2.1 sender SWS avoidance measures
    // against the largest window; on a passive connection (Linux) that starts with the
    // handshake's ACK, not with the SYN.
    Harness h = synReceived();
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.iss() + 1, ACK, 500, 0, List.of(),
        new byte[0]));
    h.expectState(State.ESTABLISHED);
    h.stack.write(h.conn, bytes(1000, 0), 0, 1000);
    Segment first = h.expectOne(ACK | PSH); // Linux forced_push: half the largest window went out
    assertEquals(500, first.payloadLength());
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, first.seq() + 500, ACK, 1000, 0,
        List.of(), new byte[0]));
    Segment rest = h.expectOne(ACK | PSH);
    assertEquals(first.seq() + 500, rest.seq());
    assertEquals(500, rest.payloadLength());
  }

  @Test
  void windowBelowHalfTheLargestOfferedIsNotFilled() {
    Harness h = established(); // the SYN-ACK offered 20000
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK, 300, 0, List.of(),
        new byte[0]));
    h.stack.write(h.conn, bytes(1000, 0), 0, 1000);
    h.expectNothing();
  }

  @Test
  void readSendsNoWindowUpdateTheWindowFieldCouldNotShow() {
    // Without window scaling the 131072-byte buffer's window is 64240 at the SYN, and what is left
    // of it after 1000 bytes (the free memory offers less: (131072 - 2304) * 111 / 256); reading
    // them opens no window twice what is left, so Linux (__tcp_cleanup_rbuf) sends nothing, nor
    // do we.
    Harness h = established();
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(1000, 0)));
    assertEquals(64240 - 1000, h.expectOne(ACK).window());
    assertEquals(1000, h.stack.read(h.conn, new byte[2000], 0, 2000));
    h.expectNothing();
    h.send(peer(ACK | PSH, PEER_ISS + 1001, h.sndNxt(), bytes(500, 0)));
    assertEquals(PEER_ISS + 1501, h.expectOne(ACK).ack());
  }

  /**
   * A peer that fills the window the 4000-byte buffer offers: reading less than a segment sends
   * nothing (receiver SWS avoidance), reading all of it sends a window update at least twice what
   * was left of the window (Linux's __tcp_cleanup_rbuf).
   */
  @Test
  void readThatReopensAClosedWindowSendsAWindowUpdate() {
    Harness h = new Harness();
    SocketOptions small = new SocketOptions();
    small.rcvBuf = 4000;
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, small).orElseThrow();
    h.expectOne(SYN);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(500)));
    long edge = PEER_ISS + 1 + h.expectOne(ACK).window();
    int sent = 0;
    while (PEER_ISS + 1 + sent + 500 <= edge) {
      h.send(peer(ACK, PEER_ISS + 1 + sent, h.sndNxt(), bytes(500, sent)));
      sent += 500;
      for (Segment s : h.out()) edge = Math.max(edge, (s.ack() & 0xFFFFFFFFL) + s.window());
    }
    long left = edge - (PEER_ISS + 1 + sent);
    assertTrue(sent > 0 && left < 500, "filled: " + sent + " bytes, " + left + " left");
    byte[] got = new byte[4000];
    assertEquals(100, h.stack.read(h.conn, got, 0, 100));
    h.expectNothing(); // 100 bytes: less than a segment opened (receiver SWS avoidance)
    assertEquals(sent - 100, h.stack.read(h.conn, got, 0, 4000));
    Segment update = h.expectOne(ACK);
    assertEquals(PEER_ISS + 1 + sent, update.ack());
    assertTrue(update.window() >= 2 * left && update.window() >= 500, "window update " + update.window());
  }
}
