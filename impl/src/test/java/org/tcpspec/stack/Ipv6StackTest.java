package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * The stack over IPv6: a dual-stack listener, replies in the family of the segment they answer,
 * and the MSS of RFC 8200 §5 (IPv6's header is 20 bytes longer; its minimum link MTU is 1280).
 */
class Ipv6StackTest {
  private static final int LOCAL4 = 0xC0000202;
  private static final IpAddress LOCAL6 = IpAddress.parse("2001:db8::2");
  private static final IpAddress PEER6 = IpAddress.parse("2001:db8::1");
  private static final IpAddress PEER4 = IpAddress.parse("192.168.0.1");

  private final ManualClock clock = new ManualClock(1_000_000_000L);

  private Stack stack(int mtu) {
    Stack s = new Stack(LOCAL4, clock, TraceSink.NONE, 7, StackConfig.linuxDefaults().withMtu(mtu));
    s.ipv6Address(LOCAL6);
    s.strict(true);
    return s;
  }

  private static Segment syn(IpAddress from, IpAddress to, List<TcpOption> options) {
    return new Segment(from, to, 40000, 80, 1000, 0, TcpFlags.SYN, 65535, 0, options, new byte[0]);
  }

  private static int mssOf(Segment s) {
    return s.option(TcpOption.Mss.class).orElseThrow().mss();
  }

  @Test
  void aListenerAnswersSynsOfBothFamiliesEachInItsOwn() {
    Stack s = stack(1500);
    s.listen(80, 8, s.defaultOptions()).orElseThrow();
    s.input(syn(PEER6, LOCAL6, List.of(new TcpOption.Mss(1440))));
    Segment synAck6 = s.drainOutput().getFirst();
    assertEquals(LOCAL6, synAck6.srcIp());
    assertEquals(PEER6, synAck6.dstIp());
    assertEquals(1440, mssOf(synAck6), "MTU 1500 - 40 - 20");
    s.input(syn(PEER4, IpAddress.ipv4(LOCAL4), List.of(new TcpOption.Mss(1460))));
    Segment synAck4 = s.drainOutput().getFirst();
    assertEquals(IpAddress.ipv4(LOCAL4), synAck4.srcIp());
    assertEquals(1460, mssOf(synAck4), "MTU 1500 - 20 - 20");
  }

  @Test
  void theIpv6MssIsNeverBelow1220AndAPeerWithoutTheOptionGets1220() {
    Stack s = stack(1280);
    Connection c = s.connect(0, PEER6, 80, s.defaultOptions()).orElseThrow();
    Segment syn = s.drainOutput().getFirst();
    assertEquals(1220, mssOf(syn));
    s.input(new Segment(PEER6, LOCAL6, 80, c.tuple().localPort(), 5000, syn.seq() + 1, TcpFlags.SYN | TcpFlags.ACK,
        65535, 0, List.of(), new byte[0]));
    assertEquals(State.ESTABLISHED, c.state());
    assertEquals(1220, c.tcb().sndMss, "RFC 9293 §3.7.1: 1220 when an IPv6 peer sends no MSS option");
    Stack small = stack(576);
    small.connect(0, PEER6, 80, small.defaultOptions()).orElseThrow();
    assertEquals(1220, mssOf(small.drainOutput().getFirst()), "ip6_rt_min_advmss");
  }

  @Test
  void aSegmentForNoConnectionIsResetInItsFamily() {
    Stack s = stack(1500);
    s.input(new Segment(PEER6, LOCAL6, 40000, 81, 1, 77, TcpFlags.ACK, 100, 0, List.of(), new byte[0]));
    Segment rst = s.drainOutput().getFirst();
    assertTrue(rst.isIpv6());
    assertEquals(PEER6, rst.dstIp());
    assertEquals(77, rst.seq());
  }

  @Test
  void connectionsOfTheTwoFamiliesWithTheSamePortsAreDistinct() {
    Stack s = stack(1500);
    Connection v6 = s.connect(50000, PEER6, 80, s.defaultOptions()).orElseThrow();
    Connection v4 = s.connect(50000, PEER4, 80, s.defaultOptions()).orElseThrow();
    assertTrue(v6 != v4);
    assertEquals("[2001:db8::2]:50000-[2001:db8::1]:80", v6.tuple().toString());
    assertEquals("192.0.2.2:50000-192.168.0.1:80", v4.tuple().toString());
  }
}
