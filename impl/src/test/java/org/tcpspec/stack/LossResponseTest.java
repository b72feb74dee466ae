package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.PEER_ISS;
import static org.tcpspec.stack.Harness.bytes;
import static org.tcpspec.stack.Harness.peer;
import static org.tcpspec.wire.TcpFlags.ACK;
import static org.tcpspec.wire.TcpFlags.PSH;
import static org.tcpspec.wire.TcpFlags.SYN;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.cc.CongestionControl;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * The sender's loss response as Linux runs it by default, on the manual clock: RACK's time-based
 * loss detection with its reordering window (RFC 8985 §6), tail loss probes (§7), PRR (RFC 6937),
 * DSACK undo (RFC 2883, RFC 3708), and the knobs that turn them off. The peer negotiated SACK and
 * an MSS of 1000 and answers the handshake after 100 ms (so SRTT = min_rtt = 100 ms, RTO 300 ms);
 * ten segments fill the initial window. Congestion control is Reno, so a loss halves cwnd.
 */
class LossResponseTest {
  static final int MSS = 1000;

  /** ESTABLISHED with SACK, MSS 1000, RTT 100 ms, under the config {@code config} makes. */
  static Harness sackConnection(UnaryOperator<StackConfig> config) {
    Harness h = Harness.synSent(c -> config.apply(c.withSysctl("tcp_congestion_control", "reno").orElseThrow()));
    h.advanceMillis(100);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(MSS), new TcpOption.SackPermitted()));
    h.expectOne(ACK);
    h.conn.options.noDelay = true;
    return h;
  }

  static Harness sackConnection() {
    return sackConnection(UnaryOperator.identity());
  }

  /** Writes {@code n} full segments; returns what went out at once. */
  static List<Segment> write(Harness h, int n) {
    h.stack.write(h.conn, bytes(n * MSS, 0), 0, n * MSS);
    return h.out();
  }

  /** An ACK of {@code ack} SACKing the given [left, right) pairs. */
  static Segment ack(int ack, int... sacks) {
    if (sacks.length == 0) return peer(ACK, PEER_ISS + 1, ack);
    List<TcpOption.SackBlock> blocks = new ArrayList<>();
    for (int i = 0; i < sacks.length; i += 2) blocks.add(new TcpOption.SackBlock(sacks[i], sacks[i + 1]));
    return peer(ACK, PEER_ISS + 1, ack, new byte[0], new TcpOption.Sack(blocks));
  }

  static CaStateMachine ca(Harness h) {
    return h.conn.sender.lossResponse();
  }

  static CongestionControl cc(Harness h) {
    return h.conn.sender.congestionControl();
  }

  /** Sequence number of the start of segment {@code i} (1-based) of the first write. */
  static int seg(List<Segment> out, int i) {
    return out.getFirst().seq() + (i - 1) * MSS;
  }

  @Test
  void rackWaitsTheReorderingWindowBeforeCallingTheHeadLost() {
    // RFC 8985 §6.2: one segment SACKed is not DupThresh, so the window is min_rtt / 4 = 25 ms;
    // the head has waited RACK.rtt (100 ms) when the SACK arrives, so it is lost 25 ms later,
    // found by the reorder timer (plus Linux's 2 ms TCP_TIMEOUT_MIN).
    Harness h = sackConnection();
    List<Segment> out = write(h, 10);
    assertEquals(10, out.size());
    h.advanceMillis(100);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 3)));
    h.expectNothing();
    assertEquals(CaState.DISORDER, ca(h).state());
    h.advanceMillis(26);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(seg(out, 1), h.expectOne(ACK).seq(), "the head, once the reordering window passed");
    assertEquals(CaState.RECOVERY, ca(h).state());
    assertEquals(5, cc(h).ssthresh(), "Reno halves cwnd");
  }

  @Test
  void rackCallsTheHeadLostAtOnceWhenDupThreshSegmentsAreSacked() {
    // Linux tcp_rack_reo_wnd: without reordering seen, DupThresh SACKed segments close the window.
    Harness h = sackConnection();
    List<Segment> out = write(h, 10);
    h.advanceMillis(100);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 5)));
    assertEquals(seg(out, 1), h.expectOne(ACK).seq(), "fast retransmit of the head");
    assertEquals(CaState.RECOVERY, ca(h).state());
  }

  @Test
  void rackFindsALostRetransmissionWithoutWaitingForTheRto() {
    // The retransmission of segment 1 is lost too. New data sent with it is SACKed a round trip
    // later, which shows the retransmission overdue: it goes again at once (RFC 8985 §6, "loss
    // detection of retransmissions"), 200 ms before the RTO would have fired.
    Harness h = sackConnection();
    List<Segment> out = write(h, 20);
    assertEquals(10, out.size());
    h.advanceMillis(100);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 5)));
    List<Segment> first = h.out();
    assertEquals(seg(out, 1), first.getFirst().seq(), "fast retransmit of the head, then new data by PRR");
    int newest = first.getLast().seq() + MSS;
    h.advanceMillis(100);
    h.send(ack(seg(out, 1), seg(out, 2), newest));
    List<Segment> again = h.out();
    assertTrue(again.stream().anyMatch(s -> s.seq() == seg(out, 1)), "segment 1 again: " + again);
    assertEquals(CaState.RECOVERY, ca(h).state());
    assertEquals(0, h.conn.retransmits(), "no RTO fired");
  }

  @Test
  void aTailLossProbeRepairsTwoLostLastSegmentsWithoutTheRto() {
    // RFC 8985 §7: segments 9 and 10 are lost. The probe timeout, 2 SRTT + 2 ms = 202 ms after the
    // ACK of 8, resends segment 10; its SACK lets RACK find 9 lost, and recovery resends it.
    Harness h = sackConnection();
    List<Segment> out = write(h, 10);
    h.advanceMillis(100);
    h.send(ack(seg(out, 9)));
    h.expectNothing();
    h.advanceMillis(201);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(seg(out, 10), h.expectOne(ACK | PSH).seq(), "the probe repeats the last segment");
    assertEquals(CaState.OPEN, ca(h).state(), "a probe is no timeout");
    h.advanceMillis(100);
    h.send(ack(seg(out, 9), seg(out, 10), seg(out, 11)));
    assertEquals(seg(out, 9), h.expectOne(ACK).seq());
    assertEquals(CaState.RECOVERY, ca(h).state());
    assertEquals(0, h.conn.retransmits(), "no RTO fired");
  }

  @Test
  void withoutTailLossProbesTheTailWaitsForTheRto() {
    Harness h = sackConnection(c -> c.withSysctl("tcp_early_retrans", "0").orElseThrow());
    List<Segment> out = write(h, 10);
    h.advanceMillis(100);
    h.send(ack(seg(out, 9)));
    h.advanceMillis(299);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(seg(out, 9), h.expectOne(ACK).seq(), "the RTO resends the head");
    assertEquals(CaState.LOSS, ca(h).state());
  }

  @Test
  void prrSendsInProportionToDeliveryWhileTheFlightIsAboveSsthresh() {
    // RFC 6937 with RecoverFS = 10, ssthresh = 5: recovery starts on three SACKed segments with
    // six in flight, so ceil(5 * 3 / 10) = 2 go (the head and one new segment). While the flight is
    // above ssthresh each further SACKed segment lets out ceil(5 * delivered / 10) - prr_out more
    // (0, 1, 0); once it is at ssthresh nothing (0), below it the slow start back (1).
    Harness h = sackConnection();
    List<Segment> out = write(h, 20);
    h.advanceMillis(100);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 5)));
    assertEquals(2, h.out().size(), "the fast retransmit and one new segment");
    int[] expected = {0, 1, 0, 0, 1};
    for (int i = 0; i < expected.length; i++) {
      h.advanceMillis(1);
      h.send(ack(seg(out, 1), seg(out, 2), seg(out, 6 + i)));
      assertEquals(expected[i], h.out().size(), "after SACK of segment " + (5 + i));
    }
  }

  @Test
  void aDsackOfTheRetransmissionUndoesTheReduction() {
    // The head was only delayed: the peer ACKs everything, then reports the retransmission as a
    // duplicate (RFC 2883). Recovery ended with cwnd = ssthresh; the DSACK shows it needless and
    // restores cwnd and ssthresh (Linux tcp_try_undo_dsack, RFC 3708).
    Harness h = sackConnection();
    List<Segment> out = write(h, 10);
    h.advanceMillis(100);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 5)));
    assertEquals(seg(out, 1), h.expectOne(ACK).seq());
    h.advanceMillis(1);
    h.send(ack(seg(out, 11)));
    assertEquals(CaState.OPEN, ca(h).state());
    assertEquals(5, cc(h).ssthresh());
    // cwnd = ssthresh at the end of recovery, then avoidance for the seven segments this ACK delivered.
    assertEquals(6, cc(h).cwnd());
    h.send(ack(seg(out, 11), seg(out, 1), seg(out, 2)));
    assertEquals(10, cc(h).cwnd(), "undone by the DSACK");
    assertEquals(CongestionControl.INFINITE_SSTHRESH, cc(h).ssthresh());
  }

  @Test
  void withTcpRecoveryZeroTheCountDecides() {
    // RFC 6675 (Linux tcp_recovery=0): two SACKed segments start nothing, even after the 27 ms
    // in which RACK would have called the head lost.
    Harness h = sackConnection(c -> c.withSysctl("tcp_recovery", "0").orElseThrow());
    List<Segment> out = write(h, 10);
    h.advanceMillis(100);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 4)));
    h.advanceMillis(50);
    h.expectNothing();
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 5)));
    assertEquals(seg(out, 1), h.expectOne(ACK).seq(), "the third SACKed segment makes the head lost");
  }

  @Test
  void aDuplicateSegmentIsReportedInADsackBlock() {
    // RFC 2883 §4, as the receiver: data already acknowledged arrives again.
    Harness h = sackConnection();
    int rcv = h.rcvNxt();
    h.send(peer(ACK, rcv, h.sndNxt(), bytes(500, 0)));
    h.advanceMillis(200);
    h.out();
    h.send(peer(ACK, rcv, h.sndNxt(), bytes(500, 0)));
    Segment answer = h.expectOne(ACK);
    TcpOption.Sack sack = answer.option(TcpOption.Sack.class).orElseThrow();
    assertEquals(List.of(new TcpOption.SackBlock(rcv, rcv + 500)), sack.blocks());
  }

  @Test
  void withTcpDsackZeroNoDuplicateIsReported() {
    Harness h = sackConnection(c -> c.withSysctl("tcp_dsack", "0").orElseThrow());
    int rcv = h.rcvNxt();
    h.send(peer(ACK, rcv, h.sndNxt(), bytes(500, 0)));
    h.advanceMillis(200);
    h.out();
    h.send(peer(ACK, rcv, h.sndNxt(), bytes(500, 0)));
    assertTrue(h.expectOne(ACK).option(TcpOption.Sack.class).isEmpty());
  }

  @Test
  void rfc6675RescuesTheLastSegmentWhenNothingElseMayGo() {
    // RFC 6675 §4 NextSeg rule 4 with tcp_recovery=0: segments 1 and 10 are lost. Nothing is SACKed
    // above 10, so it is never IsLost; once the head is resent and no new data waits, the rescue
    // retransmission sends it instead of waiting for the RTO.
    Harness h = sackConnection(c -> c.withSysctl("tcp_recovery", "0").orElseThrow());
    List<Segment> out = write(h, 10);
    h.advanceMillis(100);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 5)));
    assertEquals(seg(out, 1), h.expectOne(ACK).seq());
    h.advanceMillis(1);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 10)));
    assertEquals(seg(out, 10), h.expectOne(ACK | PSH).seq(), "the rescue retransmission");
    assertEquals(0, h.conn.retransmits(), "no RTO fired");
  }

  @Test
  void withCubicByDefaultRecoveryStartsAtSevenTenths() {
    // google/packetdrill fast_recovery/prr-ss-10pkt-lost-1.pkt: with cubic (Linux's default)
    // ssthresh is 10 * 717 / 1024 = 7, and PRR's first ACK (three delivered, six in flight, below
    // ssthresh) leaves cwnd at 7 too.
    Harness h = sackConnection(c -> c.withSysctl("tcp_congestion_control", "cubic").orElseThrow());
    List<Segment> out = write(h, 10);
    h.advanceMillis(110);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 5)));
    assertEquals(seg(out, 1), h.expectOne(ACK).seq());
    assertEquals(CaState.RECOVERY, ca(h).state());
    assertEquals(7, cc(h).ssthresh());
    assertEquals(7, cc(h).cwnd());
  }

  @Test
  void tcpInfoCountsTheScoreboardAsLinuxDoes() {
    // tcpi_unacked, tcpi_sacked, tcpi_lost, tcpi_retrans and tcpi_total_retrans in packets, as
    // Linux's tcp_get_info reports packets_out, sacked_out, lost_out and retrans_out.
    Harness h = sackConnection();
    List<Segment> out = write(h, 10);
    h.advanceMillis(100);
    h.send(ack(seg(out, 1), seg(out, 2), seg(out, 5)));
    h.expectOne(ACK);
    TcpInfo info = ConnectionInfo.of(h.conn);
    assertEquals(CaState.RECOVERY.linuxValue(), info.get(TcpInfo.Field.CA_STATE));
    assertEquals(10, info.get(TcpInfo.Field.UNACKED));
    assertEquals(3, info.get(TcpInfo.Field.SACKED));
    assertEquals(1, info.get(TcpInfo.Field.LOST));
    assertEquals(1, info.get(TcpInfo.Field.RETRANS));
    assertEquals(1, info.get(TcpInfo.Field.TOTAL_RETRANS));
    assertEquals(3, info.get(TcpInfo.Field.REORDERING));
    // The three SACKed segments and our SYN: Linux counts the acknowledged SYN as one delivered.
    assertEquals(4, info.get(TcpInfo.Field.DELIVERED));
    assertEquals(100_000, info.get(TcpInfo.Field.MIN_RTT), "microseconds");
  }

  @Test
  void tcpiLastDataRecvCountsFromTheSynAckThenFromData() {
    // google/packetdrill tcp_info/tcp-info-last_data_recv.pkt: 1 s after the SYN-ACK, about 1000 ms.
    Harness h = sackConnection();
    h.advanceMillis(1000);
    assertEquals(1000, ConnectionInfo.of(h.conn).get(TcpInfo.Field.LAST_DATA_RECV));
    h.send(peer(ACK, h.rcvNxt(), h.sndNxt(), bytes(1000, 0)));
    assertEquals(0, ConnectionInfo.of(h.conn).get(TcpInfo.Field.LAST_DATA_RECV));
  }

  @Test
  void rackMeasuresTheMinimumRttFinerThanTimestampsCount() {
    // Our timestamps count milliseconds, so on a 300 us path every echo says 0 ms. RACK's minimum
    // RTT (its reordering window is a quarter of it) comes from the timed segment instead: with
    // 0 the window would be 0 and every reordering a loss.
    Harness h = Harness.synSent(c -> c.withSysctl("tcp_congestion_control", "reno").orElseThrow());
    h.advanceMillis(1);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(MSS), new TcpOption.SackPermitted(),
        new TcpOption.Timestamp(1, (int) h.clock.nowMillis() - 1)));
    h.expectOne(ACK);
    List<Segment> out = write(h, 1);
    h.clock.advanceNanos(300_000);
    h.send(peer(ACK, PEER_ISS + 1, out.getFirst().seq() + MSS, new byte[0],
        new TcpOption.Timestamp(2, out.getFirst().tsVal())));
    assertEquals(300, ConnectionInfo.of(h.conn).get(TcpInfo.Field.MIN_RTT), "microseconds");
  }

  @Test
  void fRtoUndoesATimeoutWhenAnOriginalIsAcknowledged() {
    // F-RTO with SACK (RFC 5682 §3, Linux tcp_process_loss): after a timeout, an ACK of data never
    // retransmitted (segment 2, beside the resent head) shows the timeout spurious: cwnd and
    // ssthresh are restored, the state is Open again, nothing is resent. No tail loss probe
    // (tcp_early_retrans 0), so the RTO fires; the ACK comes 50 ms after the retransmission, too
    // soon to be its own (under min_rtt), so RACK does not take it as a newer delivery.
    Harness h = sackConnection(c -> c.withSysctl("tcp_early_retrans", "0").orElseThrow());
    List<Segment> out = write(h, 4);
    h.advanceMillis(300);
    assertEquals(seg(out, 1), h.expectOne(ACK).seq(), "the timeout resends the head");
    assertEquals(CaState.LOSS, ca(h).state());
    h.advanceMillis(50);
    h.send(ack(seg(out, 3)));
    h.expectNothing();
    assertEquals(CaState.OPEN, ca(h).state());
    assertEquals(CongestionControl.INFINITE_SSTHRESH, cc(h).ssthresh(), "ssthresh restored");
    assertEquals(10, cc(h).cwnd(), "cwnd restored");
  }

  @Test
  void withoutSackTheSameAckProvesNothingAndTheLostSegmentsGoAgain() {
    Harness h = Harness.established(c -> c.withSysctl("tcp_congestion_control", "reno").orElseThrow());
    h.conn.options.noDelay = true;
    h.stack.write(h.conn, bytes(536 * 4, 0), 0, 536 * 4);
    List<Segment> out = h.out();
    h.advanceMillis(1000);
    h.expectOne(ACK);
    h.send(peer(ACK, PEER_ISS + 1, out.get(2).seq()));
    assertEquals(2, h.out().size(), "segments 3 and 4, still marked lost");
    assertEquals(CaState.LOSS, ca(h).state());
  }
}
