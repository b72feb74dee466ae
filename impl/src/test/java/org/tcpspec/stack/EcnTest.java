package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;

/**
 * ECN (RFC 3168, RFC 9293 §3.8.2 SHLD-8) as Linux negotiates it: tcp_ecn 2 answers an ECN-setup
 * SYN, tcp_ecn 1 also sends one; an ECN receiver echoes a CE mark with ECE until the peer's CWR.
 * The stack sends no ECT codepoint itself (RFC 3168 leaves that to the sender; Linux sets ECT(0)
 * on new data), so ECE never reports congestion of its own packets.
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
}
