package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * ECN (RFC 3168, RFC 9293 §3.8.2 SHLD-8) as Linux negotiates it: tcp_ecn 2 answers an ECN-setup
 * SYN, tcp_ecn 1 also sends one; an ECN receiver echoes a CE mark with ECE until the peer's CWR;
 * an ECN sender marks its new data ECT(0) and nothing else (RFC 3168 §6.1.2, §6.1.4, §6.1.5;
 * Linux tcp_ecn_send); an ECN sender takes ECE as congestion, once per window (the CWR state,
 * Linux tcp_enter_cwr), and every window reduction (ECE, a fast retransmit, an RTO) puts CWR on
 * the next new data (RFC 3168 §6.1.2; TCP_ECN_QUEUE_CWR).
 */
class EcnTest {

  /** ESTABLISHED from a passive open whose SYN asked for ECN. */
  private static Harness passiveEcn() {
    Harness h = listening();
    h.send(peer(SYN | ECE | CWR, PEER_ISS, 0));
    Segment synAck = h.expectOne(SYN | ACK | ECE);
    h.half = h.listener.synQueue.get(0, IpAddress.lowOfIpv4(REMOTE), REMOTE_PORT);
    h.send(peer(ACK, PEER_ISS + 1, synAck.seq() + 1));
    assertTrue(h.conn.tcb().ecnOk);
    return h;
  }

  /** The peer's segment as a packet whose IP header carries {@code ecn} (RFC 3168 §5). */
  private static void sendMarked(Harness h, Segment s, int ecn) {
    byte[] packet = SegmentEmitter.emit(s, new Ipv4Params(ecn, 0, true, 64));
    SegmentReader r = new SegmentReader();
    assertTrue(r.wrap(packet, 0, packet.length));
    h.stack.input(r);
  }

  @Test
  void aListenerAnswersAnEcnSetupSynWithEce() {
    Harness h = passiveEcn();
    assertFalse(h.conn.tcb().ecnDemandCwr);
  }

  @Test
  void noEcnWithoutTheSynsAskingOrWithTcpEcnZero() {
    Harness plain = listening();
    plain.send(peer(SYN, PEER_ISS, 0));
    assertFalse(plain.expectOne(SYN | ACK).has(ECE));
    Harness off = listening();
    off.stack.config(off.stack.config().withSysctl("net.ipv4.tcp_ecn", "0").orElseThrow());
    off.send(peer(SYN | ECE | CWR, PEER_ISS, 0));
    assertFalse(off.expectOne(SYN | ACK).has(ECE));
  }

  @Test
  void withTcpEcnOneTheFirstSynAsksAndASynAckWithEceAgrees() {
    Harness h = new Harness();
    h.stack.config(h.stack.config().withSysctl("tcp_ecn", "1").orElseThrow());
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, new SocketOptions()).orElseThrow();
    h.expectOne(SYN | ECE | CWR);
    h.advanceMillis(1000);
    assertEquals(SYN, h.expectOne(SYN).flags(), "a SYN sent again does not ask (tcp_ecn_fallback)");
    h.send(peer(SYN | ACK | ECE, PEER_ISS, h.iss() + 1));
    assertTrue(h.conn.tcb().ecnOk);
  }

  @Test
  void tcpEcnTwoNeverAsks() {
    Harness h = new Harness();
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, new SocketOptions()).orElseThrow();
    assertEquals(SYN, h.expectOne(SYN).flags());
    h.send(peer(SYN | ACK | ECE, PEER_ISS, h.iss() + 1));
    assertFalse(h.conn.tcb().ecnOk, "a SYN-ACK's ECE agrees only to an ECN-setup SYN");
  }

  @Test
  void aCeMarkIsEchoedWithEceUntilTheCwr() {
    Harness h = passiveEcn();
    int rcv = PEER_ISS + 1;
    sendMarked(h, peer(ACK | PSH, rcv, h.sndNxt(), new byte[10]), 0x3);
    assertTrue(h.expectOne(ACK | ECE).has(ECE), "CE: an immediate ACK with ECE");
    sendMarked(h, peer(ACK | PSH, rcv + 10, h.sndNxt(), new byte[10]), 0x2);
    h.advanceMillis(200);
    assertTrue(h.expectOne(ACK | ECE).has(ECE), "ECE until the CWR");
    sendMarked(h, peer(ACK | PSH | CWR, rcv + 20, h.sndNxt(), new byte[10]), 0x2);
    h.advanceMillis(200);
    assertFalse(h.expectOne(ACK).has(ECE));
  }

  // ------------------------------------------------------------ ECT on what we send

  /** The ECN bits of the one packet the stack sent with {@code flags}, checking it carried {@code payload} bytes. */
  private static int ecnOfOne(Harness h, int flags, int payload) {
    List<Stack.Sent> sent = h.stack.drainSent();
    assertEquals(1, sent.size(), "expected one segment, got " + sent);
    Segment s = sent.getFirst().segment();
    assertEquals(TcpFlags.toPacketdrill(flags), TcpFlags.toPacketdrill(s.flags()), "flags of " + s);
    assertEquals(payload, s.payloadLength(), "payload of " + s);
    return sent.getFirst().ip().tos() & SocketOptions.ECN_MASK;
  }

  @Test
  void theDecisionIsNewDataOnly() {
    assertTrue(SocketOptions.ect(1, true), "new data: ECT (§6.1.2)");
    assertFalse(SocketOptions.ect(0, true), "a pure ACK or a bare FIN at SND.NXT: Not-ECT (§6.1.4)");
    assertFalse(SocketOptions.ect(1000, false), "a retransmission: Not-ECT (§6.1.5)");
    assertFalse(SocketOptions.ect(0, false));
  }

  @Test
  void ecnTransmitSetsTheEcnBitsOfBothFamiliesAndKeepsTheDscp() {
    SocketOptions o = new SocketOptions();
    o.tos = 0x48;
    o.tclass = 0xB8;
    o.ecnTransmit(true);
    assertEquals(0x48 | SocketOptions.ECT_0, o.tos);
    assertEquals(0xB8 | SocketOptions.ECT_0, o.tclass);
    o.ecnTransmit(false);
    assertEquals(0x48, o.tos);
    assertEquals(0xB8, o.tclass);
  }

  @Test
  void newDataIsEct0ButARetransmissionAndPureAcksAreNot() {
    Harness h = passiveEcn();
    h.stack.drainSent();
    assertEquals(100, h.stack.send(h.conn, new byte[100], 0, 100, false, false));
    assertEquals(SocketOptions.ECT_0, ecnOfOne(h, ACK | PSH, 100), "new data");
    h.advanceMillis(3000);
    assertEquals(0, ecnOfOne(h, ACK | PSH, 100), "the retransmission after the RTO");
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), new byte[10]));
    h.advanceMillis(200);
    assertEquals(0, ecnOfOne(h, ACK, 0), "the delayed ACK");
    assertEquals(0, h.conn.options.tos & SocketOptions.ECN_MASK, "the socket's bits follow the last segment");
  }

  @Test
  void withoutEcnNewDataIsNotEct() {
    Harness h = established();
    h.stack.drainSent();
    assertFalse(h.conn.tcb().ecnOk);
    assertEquals(100, h.stack.send(h.conn, new byte[100], 0, 100, false, false));
    assertEquals(0, ecnOfOne(h, ACK | PSH, 100));
  }

  @Test
  void anApplicationsTosKeepsItsDscpNextToTheEct() {
    Harness h = passiveEcn();
    h.stack.drainSent();
    h.conn.options.tos = 0x48;
    assertEquals(100, h.stack.send(h.conn, new byte[100], 0, 100, false, false));
    List<Stack.Sent> sent = h.stack.drainSent();
    assertEquals(0x48 | SocketOptions.ECT_0, sent.getFirst().ip().tos());
  }

  // ------------------------------------------------------------ the sender's congestion response

  /**
   * ESTABLISHED by an active open with tcp_ecn 1 and Reno: the peer agreed to ECN and SACK, MSS
   * 1000, and answered after 100 ms (SRTT 100 ms, RTO 300 ms).
   */
  private static Harness activeEcn() {
    Harness h = new Harness();
    h.stack.config(h.stack.config().withSysctl("tcp_ecn", "1").orElseThrow()
        .withSysctl("tcp_congestion_control", "reno").orElseThrow());
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, new SocketOptions()).orElseThrow();
    h.expectOne(SYN | ECE | CWR);
    h.advanceMillis(100);
    h.send(peer(SYN | ACK | ECE, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1000),
        new TcpOption.SackPermitted()));
    h.expectOne(ACK);
    assertTrue(h.conn.tcb().ecnOk);
    h.conn.options.noDelay = true;
    return h;
  }

  private static List<Segment> write(Harness h, int segments) {
    h.stack.write(h.conn, bytes(segments * 1000, 0), 0, segments * 1000);
    return h.out();
  }

  private static Segment ackOf(int ack, int flags, int... sacks) {
    if (sacks.length == 0) return peer(ACK | flags, PEER_ISS + 1, ack);
    List<TcpOption.SackBlock> blocks = new ArrayList<>();
    for (int i = 0; i < sacks.length; i += 2) blocks.add(new TcpOption.SackBlock(sacks[i], sacks[i + 1]));
    return peer(ACK | flags, PEER_ISS + 1, ack, new byte[0], new TcpOption.Sack(blocks));
  }

  private static CaStateMachine ca(Harness h) {
    return h.conn.sender.lossResponse();
  }

  @Test
  void anEceReducesCwndOnceAWindowAndTheNextNewDataCarriesCwr() {
    Harness h = activeEcn();
    List<Segment> out = write(h, 20);
    assertEquals(10, out.size());
    assertTrue(out.stream().noneMatch(s -> s.has(CWR)));
    int first = out.getFirst().seq();
    h.advanceMillis(100);
    // Two segments delivered with ECE: CWR, ssthresh = cwnd / 2 = 5, and PRR lets
    // ceil(5 * 2 / 10) = 1 segment out for the eight in flight (cwnd 9); it carries CWR.
    h.send(ackOf(first + 2000, ECE));
    assertEquals(CaState.CWR, ca(h).state());
    assertEquals(5, ca(h).congestionControl().ssthresh());
    assertEquals(9, ca(h).congestionControl().cwnd());
    Segment cwr = h.out().getFirst();
    assertEquals(first + 10_000, cwr.seq());
    assertTrue(cwr.has(CWR), "the first new data after the reduction: " + cwr);
    // More ECE within the same window reduces nothing more: PRR goes on toward the same ssthresh
    // (ceil(5 * 3 / 10) - 1 = 1 more segment), without CWR.
    h.send(ackOf(first + 3000, ECE));
    assertEquals(CaState.CWR, ca(h).state());
    assertEquals(5, ca(h).congestionControl().ssthresh());
    List<Segment> next = h.out();
    assertEquals(1, next.size());
    assertFalse(next.getFirst().has(CWR));
    assertEquals(3, ConnectionInfo.of(h.conn).get(TcpInfo.Field.DELIVERED_CE), "tcpi_delivered_ce: the segments ECE acknowledged");
    // An ACK up to high_seq keeps CWR (the CWR bit must reach the peer); one beyond it ends it
    // with cwnd = ssthresh (Linux tcp_end_cwnd_reduction).
    h.send(ackOf(first + 10_000, 0));
    assertEquals(CaState.CWR, ca(h).state());
    h.out();
    h.send(ackOf(first + 11_000, 0));
    assertEquals(CaState.OPEN, ca(h).state());
    assertEquals(5, ca(h).congestionControl().cwnd());
  }

  @Test
  void aFastRetransmitPutsCwrOnTheNewDataNotOnTheRetransmission() {
    Harness h = activeEcn();
    List<Segment> out = write(h, 20);
    int first = out.getFirst().seq();
    h.advanceMillis(100);
    // Three segments SACKed: the head is lost (RACK at DupThresh), recovery starts; PRR lets out
    // ceil(5 * 3 / 10) = 2: the retransmission, Not-CWR, and one new segment with CWR.
    h.send(ackOf(first, 0, first + 1000, first + 4000));
    List<Segment> sent = h.out();
    assertEquals(CaState.RECOVERY, ca(h).state());
    assertEquals(2, sent.size(), "" + sent);
    assertEquals(first, sent.get(0).seq());
    assertFalse(sent.get(0).has(CWR), "a retransmission carries no CWR");
    assertEquals(first + 10_000, sent.get(1).seq());
    assertTrue(sent.get(1).has(CWR));
    assertFalse(h.conn.tcb().ecnQueueCwr);
  }

  @Test
  void anRtoPutsCwrOnTheNextNewDataAfterTheRetransmission() {
    Harness h = activeEcn();
    List<Segment> out = write(h, 20);
    int first = out.getFirst().seq();
    h.advanceMillis(300);
    // The tail loss probe first (2 SRTT + 2 ms after the last send): it is the last segment again.
    List<Segment> probe = h.out();
    h.advanceMillis(300);
    List<Segment> rto = h.out();
    assertEquals(CaState.LOSS, ca(h).state(), "probe " + probe + ", then " + rto);
    Segment head = rto.getFirst();
    assertEquals(first, head.seq());
    assertFalse(head.has(CWR));
    assertTrue(h.conn.tcb().ecnQueueCwr);
    // F-RTO: the head's ACK lets new data out instead of more retransmissions; the first carries CWR.
    h.send(ackOf(first + 1000, 0));
    List<Segment> after = h.out();
    assertTrue(after.getFirst().has(CWR), "" + after);
    assertTrue(after.stream().skip(1).noneMatch(s -> s.has(CWR)));
  }

  @Test
  void aCwrOnAPureAckEndsTheEceAndOneWithTextIsAcknowledgedAtOnce() {
    Harness h = passiveEcn();
    int rcv = PEER_ISS + 1;
    sendMarked(h, peer(ACK | PSH, rcv, h.sndNxt(), new byte[10]), 0x3);
    assertTrue(h.expectOne(ACK | ECE).has(ECE));
    // Linux tcp_ack's tcp_ecn_accept_cwr: a CWR on a pure ACK is taken too.
    h.send(peer(ACK | CWR, rcv + 10, h.sndNxt()));
    assertFalse(h.conn.tcb().ecnDemandCwr);
    h.expectNothing();
    // Out of quick-ack mode text waits for the delayed ACK, but text with CWR is acknowledged at once.
    h.conn.options.pingpong = true;
    sendMarked(h, peer(ACK | PSH, rcv + 10, h.sndNxt(), new byte[10]), 0x2);
    h.expectNothing();
    sendMarked(h, peer(ACK | PSH | CWR, rcv + 20, h.sndNxt(), new byte[10]), 0x2);
    assertEquals(rcv + 30, h.expectOne(ACK).ack());
  }
}
