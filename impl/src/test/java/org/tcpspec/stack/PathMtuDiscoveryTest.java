package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.FastOpenOption;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/**
 * Path MTU discovery (RFC 1191, RFC 8201; RFC 9293 §3.7.2 and MUST-16): a fragmentation-needed
 * about data in flight lowers the MSS and sends again what no longer fits, as Linux's
 * tcp_v4_mtu_reduced with tcp_sync_mss and tcp_simple_retransmit.
 */
class PathMtuDiscoveryTest {

  private static IcmpError fragNeeded(int quotedSeq, int mtu) {
    return new IcmpError(false, IcmpError.V4_DEST_UNREACH, IcmpError.V4_FRAG_NEEDED, IpAddress.ipv4(LOCAL),
        LOCAL_PORT, IpAddress.ipv4(REMOTE), REMOTE_PORT, quotedSeq, mtu);
  }

  /** ESTABLISHED with a peer that offered MSS 1460 (no timestamps): SND.MSS 1460 at path MTU 1500. */
  private static Harness establishedMss1460() {
    Harness h = synSent();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(1460)));
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    assertEquals(1460, h.conn.tcb().sndMss);
    assertEquals(1500, h.conn.tcb().pmtu);
    return h;
  }

  private static Harness oneFullSegmentInFlight() {
    Harness h = establishedMss1460();
    h.stack.write(h.conn, bytes(1460, 1), 0, 1460);
    assertEquals(1460, h.expectOne(ACK | PSH).payloadLength());
    return h;
  }

  @Test
  void fragmentationNeededResendsTheSegmentCutToTheNewMss() {
    Harness h = oneFullSegmentInFlight();
    int una = h.sndUna();
    h.stack.icmpInput(fragNeeded(una, 1000));
    List<Segment> out = h.out();
    assertEquals(2, out.size(), "the segment again in two: " + out);
    assertEquals(una, out.get(0).seq());
    assertEquals(960, out.get(0).payloadLength());
    assertEquals(ACK, out.get(0).flags(), "PSH stays on the last piece");
    assertEquals(una + 960, out.get(1).seq());
    assertEquals(500, out.get(1).payloadLength());
    assertEquals(ACK | PSH, out.get(1).flags());
    assertEquals(960, h.conn.tcb().sndMss);
    assertEquals(1000, h.conn.tcb().pmtu);
    // tcp_simple_retransmit: Loss, without an undo and without cutting cwnd.
    assertEquals(CaState.LOSS, h.conn.sender.lossResponse().state());
    assertEquals(10, h.conn.sender.lossResponse().congestionControl().cwnd());
    h.expectState(State.ESTABLISHED);
    assertEquals(Optional.empty(), h.conn.takeSoftError(), "no error for the application");
  }

  @Test
  void aReportBelowMinPmtuStopsAt552() {
    Harness h = oneFullSegmentInFlight();
    h.stack.icmpInput(fragNeeded(h.sndUna(), 300));
    assertEquals(552, h.conn.tcb().pmtu);
    assertEquals(512, h.conn.tcb().sndMss);
    assertEquals(List.of(512, 512, 436), h.out().stream().map(Segment::payloadLength).toList());
  }

  @Test
  void aQuotedSequenceNumberOutsideSndUnaToSndNxtChangesNothing() {
    Harness h = oneFullSegmentInFlight();
    h.stack.icmpInput(fragNeeded(h.sndNxt() + 1, 1000));
    h.stack.icmpInput(fragNeeded(h.sndUna() - 1, 1000));
    h.expectNothing();
    assertEquals(1460, h.conn.tcb().sndMss);
    assertEquals(1500, h.stack.pathMtu(IpAddress.ipv4(REMOTE)));
  }

  @Test
  void aReportAboveThePathMtuChangesNothing() {
    Harness h = oneFullSegmentInFlight();
    h.stack.icmpInput(fragNeeded(h.sndUna(), 1400));
    h.out();
    h.stack.icmpInput(fragNeeded(h.sndUna(), 1450));
    h.expectNothing();
    assertEquals(1360, h.conn.tcb().sndMss);
  }

  @Test
  void theLearnedPathMtuLowersTheMssANewConnectionAdvertises() {
    Harness h = oneFullSegmentInFlight();
    h.stack.icmpInput(fragNeeded(h.sndUna(), 1200));
    h.out();
    // Linux 6.18's ipv4_default_advmss reads the route's MTU: the next SYN offers 1160.
    h.stack.connect(LOCAL_PORT + 1, IpAddress.ipv4(REMOTE), REMOTE_PORT, new SocketOptions()).orElseThrow();
    Segment syn = h.expectOne(SYN);
    assertEquals(Optional.of(new TcpOption.Mss(1160)), syn.option(TcpOption.Mss.class));
  }

  @Test
  void theLearnedPathMtuExpiresAfterTenMinutes() {
    Harness h = oneFullSegmentInFlight();
    h.stack.icmpInput(fragNeeded(h.sndUna(), 1200));
    h.clock.advanceNanos(PathMtuCache.EXPIRES_NANOS - 1);
    assertEquals(1200, h.stack.pathMtu(IpAddress.ipv4(REMOTE)));
    h.clock.advanceNanos(1);
    assertEquals(1500, h.stack.pathMtu(IpAddress.ipv4(REMOTE)));
  }

  @Test
  void aFastOpenSynWithDataGoesAgainAtOnceWithoutDataOrCookie() {
    Harness h = new Harness();
    h.stack.config(h.stack.config().withSysctl("tcp_fastopen", "0x5").orElseThrow());
    h.conn = h.stack.connectFastOpen(LOCAL_PORT, IpAddress.ipv4(REMOTE), REMOTE_PORT, new SocketOptions(),
        bytes(1000, 2)).orElseThrow();
    Segment syn = h.expectOne(SYN);
    assertEquals(1000, syn.payloadLength());
    h.stack.icmpInput(fragNeeded(h.iss(), 800));
    Segment again = h.expectOne(SYN);
    assertEquals(h.iss(), again.seq());
    assertEquals(0, again.payloadLength());
    assertEquals(Optional.of(new TcpOption.Mss(760)), again.option(TcpOption.Mss.class));
    assertTrue(FastOpenOption.find(again.options()).isEmpty(), "no Fast Open option");
    h.expectState(State.SYN_SENT);
  }

  /**
   * IPv6 drops a Packet Too Big that would not lower SND.MSS (tcp_v6_mtu_reduced). A Fast Open SYN
   * with data has its MSS from its own offer (tcp_send_syn_data raises mss_clamp to advmss and syncs
   * mss_cache, Linux commit ed0c99dc0f49), not from the 1220 tcp_v6_connect assumes of the peer,
   * so a report of 1400 lowers 1440 to 1340 and the SYN goes again without data.
   */
  @Test
  void anIpv6FastOpenSynWithDataGoesAgainAtTheReportedMtu() {
    IpAddress local6 = IpAddress.parse("2001:db8::2");
    IpAddress remote6 = IpAddress.parse("2001:db8::1");
    Harness h = new Harness();
    h.stack.ipv6Address(local6);
    h.stack.config(h.stack.config().withSysctl("tcp_fastopen", "0x5").orElseThrow());
    h.conn = h.stack.connectFastOpen(LOCAL_PORT, remote6, REMOTE_PORT, new SocketOptions(),
        bytes(2000, 2)).orElseThrow();
    Segment syn = h.expectOne(SYN);
    assertEquals(Optional.of(new TcpOption.Mss(1440)), syn.option(TcpOption.Mss.class));
    assertEquals(1400, syn.payloadLength(), "1440 less MAX_TCP_OPTION_SPACE");
    h.stack.icmpInput(new IcmpError(true, IcmpError.V6_PACKET_TOO_BIG, 0, local6, LOCAL_PORT, remote6,
        REMOTE_PORT, h.iss(), 1400));
    Segment again = h.expectOne(SYN);
    assertEquals(0, again.payloadLength());
    assertEquals(Optional.of(new TcpOption.Mss(1340)), again.option(TcpOption.Mss.class));
    assertEquals(1400, h.stack.pathMtu(remote6));
    h.expectState(State.SYN_SENT);
  }

  @Test
  void aSynWithoutDataIsNotSentAgain() {
    Harness h = synSent();
    h.stack.icmpInput(fragNeeded(h.iss(), 800));
    h.expectNothing();
    h.expectState(State.SYN_SENT);
    assertEquals(800, h.stack.pathMtu(IpAddress.ipv4(REMOTE)));
  }
}
