package org.tcpspec.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.stack.Stack;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.TcpFlags;

/**
 * TCP_KEEPIDLE/KEEPINTVL/KEEPCNT, TCP_QUICKACK and SO_RCVTIMEO with Linux's values and errno. A
 * blocking read that SO_RCVTIMEO ends is the runtime's ({@code BlockingSocketsTest}).
 */
class SocketOptionsTest {

  private static int[] connected(TwoStacks n) {
    int[] c = n.connectToListener();
    assertEquals(0, n.apiA.connect(c[0], TwoStacks.B, 80).value());
    return new int[] {c[0], (int) n.apiB.accept(c[1]).value()};
  }

  /**
   * TCP_NOTSENT_LOWAT (Linux tcp_stream_memory_free): kept as an unsigned value; a write stops at
   * the skb where the unsent bytes reach it, and POLLOUT waits until fewer than half of it wait.
   */
  @Test
  void notsentLowatStopsWritesAndHoldsPollOut() {
    TwoStacks n = new TwoStacks(1);
    int[] pair = connected(n);
    int client = pair[0];
    assertEquals(0, n.apiA.getsockopt(client, Symbol.TCP_NOTSENT_LOWAT).out().orElseThrow());
    assertEquals(0, n.apiA.setsockopt(client, Symbol.TCP_NOTSENT_LOWAT, -1).value());
    assertEquals(-1, n.apiA.getsockopt(client, Symbol.TCP_NOTSENT_LOWAT).out().orElseThrow(), "0xffffffff");
    assertEquals(0, n.apiA.setsockopt(client, Symbol.TCP_NOTSENT_LOWAT, 3000).value());
    long limited = n.apiA.write(client, new byte[100_000]).value();
    var connection = n.a.connections().get(0);
    int room = connection.tcb().sendBuffer.capacity();
    assertTrue(limited > 0 && limited < room, limited + " written with the mark, the buffer takes " + room);
    assertTrue(connection.tcb().sendBuffer.size() - connection.tcb().inFlight() >= 1500, "unsent: at least half the mark");
    assertEquals(0, n.apiA.poll(client, Symbol.POLLOUT.value()), "unsent bytes at or above half the mark");
    for (int i = 0; i < 100 && connection.tcb().sendBuffer.size() > 0; i++) {
      n.settle();
      n.apiB.read(pair[1], new byte[1 << 20], 0, 1 << 20);
      n.tick(10);
    }
    assertEquals(Symbol.POLLOUT.value(), n.apiA.poll(client, Symbol.POLLOUT.value()), "all sent and acknowledged");
  }

  /**
   * TCP_RTO_MAX_MS (Linux 6.15+): a new socket takes net.ipv4.tcp_rto_max_ms (tcp_init_sock), the
   * option takes 1000..120000 ms on a socket in any state (EINVAL outside), and an accepted child
   * has its listener's value, not the sysctl's of the moment.
   */
  @Test
  void rtoMaxMsComesFromTheSysctlAndTheListener() {
    TwoStacks n = new TwoStacks(1);
    assertEquals(120_000, n.apiB.getsockopt(n.apiB.socket(), Symbol.TCP_RTO_MAX_MS).out().orElseThrow());
    n.b.config(n.b.config().withSysctl("net.ipv4.tcp_rto_max_ms", "5000").orElseThrow());
    int server = n.apiB.socket();
    assertEquals(5000, n.apiB.getsockopt(server, Symbol.TCP_RTO_MAX_MS).out().orElseThrow());
    assertEquals(Errno.EINVAL, n.apiB.setsockopt(server, Symbol.TCP_RTO_MAX_MS, 999).errno());
    assertEquals(Errno.EINVAL, n.apiB.setsockopt(server, Symbol.TCP_RTO_MAX_MS, 120_001).errno());
    n.apiB.bind(server, 0, 80);
    n.apiB.listen(server, 5);
    assertEquals(0, n.apiB.setsockopt(server, Symbol.TCP_RTO_MAX_MS, 2000).value());
    n.b.config(n.b.config().withSysctl("net.ipv4.tcp_rto_max_ms", "3000").orElseThrow());
    int client = n.apiA.socket();
    n.apiA.setNonBlocking(client, true);
    n.apiA.connect(client, TwoStacks.B, 80);
    n.settle();
    int child = (int) n.apiB.accept(server).value();
    assertEquals(2000, n.apiB.getsockopt(child, Symbol.TCP_RTO_MAX_MS).out().orElseThrow());
    assertEquals(2_000_000_000L, n.b.connections().get(0).tcb().rtt.maxRtoNanos());
    assertEquals(0, n.apiB.setsockopt(child, Symbol.TCP_RTO_MAX_MS, 1000).value());
    assertEquals(1_000_000_000L, n.b.connections().get(0).tcb().rtt.maxRtoNanos());
  }

  /**
   * TCP_RTO_MIN_US (Linux 6.15+ do_tcp_setsockopt, do_tcp_getsockopt): from 2 jiffies to 200 ms,
   * EINVAL otherwise, read back in whole jiffies (milliseconds here); a new socket takes
   * net.ipv4.tcp_rto_min_us (rounded up to a jiffy, below 2 jiffies too), a child its listener's.
   */
  @Test
  void rtoMinUsComesFromTheSysctlAndTheListener() {
    TwoStacks n = new TwoStacks(1);
    assertEquals(200_000, n.apiB.getsockopt(n.apiB.socket(), Symbol.TCP_RTO_MIN_US).out().orElseThrow());
    n.b.config(n.b.config().withSysctl("net.ipv4.tcp_rto_min_us", "1").orElseThrow());
    assertEquals(1000, n.apiB.getsockopt(n.apiB.socket(), Symbol.TCP_RTO_MIN_US).out().orElseThrow());
    n.b.config(n.b.config().withSysctl("net.ipv4.tcp_rto_min_us", "100000").orElseThrow());
    int server = n.apiB.socket();
    assertEquals(100_000, n.apiB.getsockopt(server, Symbol.TCP_RTO_MIN_US).out().orElseThrow());
    for (int bad : new int[] {0, 1000, 200_001, -1}) {
      assertEquals(Errno.EINVAL, n.apiB.setsockopt(server, Symbol.TCP_RTO_MIN_US, bad).errno(), "value " + bad);
    }
    assertEquals(0, n.apiB.setsockopt(server, Symbol.TCP_RTO_MIN_US, 1001).value());
    assertEquals(2000, n.apiB.getsockopt(server, Symbol.TCP_RTO_MIN_US).out().orElseThrow());
    n.apiB.bind(server, 0, 80);
    n.apiB.listen(server, 5);
    assertEquals(0, n.apiB.setsockopt(server, Symbol.TCP_RTO_MIN_US, 40_000).value());
    n.b.config(n.b.config().withSysctl("net.ipv4.tcp_rto_min_us", "200000").orElseThrow());
    int client = n.apiA.socket();
    n.apiA.setNonBlocking(client, true);
    n.apiA.connect(client, TwoStacks.B, 80);
    n.settle();
    int child = (int) n.apiB.accept(server).value();
    assertEquals(40_000, n.apiB.getsockopt(child, Symbol.TCP_RTO_MIN_US).out().orElseThrow());
    assertEquals(40_000_000L, n.b.connections().get(0).tcb().rtt.minRtoNanos());
    assertEquals(0, n.apiB.setsockopt(child, Symbol.TCP_RTO_MIN_US, 200_000).value());
    assertEquals(200_000_000L, n.b.connections().get(0).tcb().rtt.minRtoNanos());
    // tcp_disconnect puts TCP_RTO_MIN back, not the sysctl's value.
    n.b.config(n.b.config().withSysctl("net.ipv4.tcp_rto_min_us", "100000").orElseThrow());
    int other = n.apiB.socket();
    assertEquals(0, n.apiB.setsockopt(other, Symbol.TCP_RTO_MIN_US, 40_000).value());
    assertEquals(0, n.apiB.disconnect(other).value());
    assertEquals(200_000, n.apiB.getsockopt(other, Symbol.TCP_RTO_MIN_US).out().orElseThrow());
  }

  /**
   * TCP_FASTOPEN_KEY (Linux do_tcp_setsockopt, do_tcp_getsockopt): 16 or 32 bytes set, anything
   * else EINVAL; read back as set, primary first, cut to the buffer, and nothing while only the
   * stack's key applies.
   */
  @Test
  void fastOpenKeyIsReadBackAsSetAndCutToTheBuffer() {
    TwoStacks n = new TwoStacks(1);
    int fd = n.apiB.socket();
    assertEquals(0, n.apiB.getFastOpenKey(fd, 32).out().orElseThrow().length, "no key of its own");
    byte[] keys = new byte[32];
    for (int i = 0; i < keys.length; i++) keys[i] = (byte) (0xa0 + i);
    assertEquals(Errno.EINVAL, n.apiB.setFastOpenKey(fd, new byte[3]).errno());
    assertEquals(0, n.apiB.setFastOpenKey(fd, keys).value());
    assertArrayEquals(keys, n.apiB.getFastOpenKey(fd, 40).out().orElseThrow());
    assertArrayEquals(Arrays.copyOf(keys, 16), n.apiB.getFastOpenKey(fd, 16).out().orElseThrow());
    assertEquals(0, n.apiB.setFastOpenKey(fd, Arrays.copyOf(keys, 16)).value());
    assertArrayEquals(Arrays.copyOf(keys, 16), n.apiB.getFastOpenKey(fd, 32).out().orElseThrow(), "the backup is gone");
  }

  @Test
  void ipTosAndIpTtlGoIntoTheIpHeaderOfTheNextSegments() {
    // RFC 9293 §3.9.1.9 MUST-48, SHLD-21, SHLD-22 and §3.9.2 MUST-49.
    TwoStacks n = new TwoStacks(1);
    int client = connected(n)[0];
    assertEquals(64, n.apiA.getsockopt(client, Symbol.IP_TTL).out().orElseThrow());
    assertEquals(0, n.apiA.setsockopt(client, Symbol.IP_TOS, 0x4B).value());
    // Linux __ip_sock_set_tos: the ECN bits of a stream socket stay TCP's.
    assertEquals(0x48, n.apiA.getsockopt(client, Symbol.IP_TOS).out().orElseThrow());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(client, Symbol.IP_TTL, 0).errno());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(client, Symbol.IP_TTL, 256).errno());
    assertEquals(0, n.apiA.setsockopt(client, Symbol.IP_TTL, 7).value());
    n.apiA.send(client, new byte[10], 0);
    Stack.Sent sent = n.a.drainSent().getFirst();
    assertEquals(10, sent.segment().payloadLength());
    assertEquals(0x48, sent.ip().tos());
    assertEquals(7, sent.ip().ttl());
    // The emitted packet carries them: TOS at byte 1, TTL at byte 8 of the IPv4 header.
    byte[] packet = SegmentEmitter.emit(sent.segment(), sent.ip());
    assertEquals(0x48, packet[1] & 0xFF);
    assertEquals(7, packet[8] & 0xFF);
    assertEquals(0, n.apiA.setsockopt(client, Symbol.IP_TTL, -1).value());
    assertEquals(64, n.apiA.getsockopt(client, Symbol.IP_TTL).out().orElseThrow());
  }

  @Test
  void ipv6TrafficClassAndHopLimitTakeLinuxsRanges() {
    TwoStacks n = new TwoStacks(1);
    int fd = n.apiA.socket();
    assertEquals(64, n.apiA.getsockopt(fd, Symbol.IPV6_UNICAST_HOPS).out().orElseThrow());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fd, Symbol.IPV6_TCLASS, 256).errno());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fd, Symbol.IPV6_UNICAST_HOPS, -2).errno());
    assertEquals(0, n.apiA.setsockopt(fd, Symbol.IPV6_TCLASS, 0x21).value());
    assertEquals(0x20, n.apiA.getsockopt(fd, Symbol.IPV6_TCLASS).out().orElseThrow());
    assertEquals(0, n.apiA.setsockopt(fd, Symbol.IPV6_TCLASS, -1).value());
    assertEquals(0, n.apiA.getsockopt(fd, Symbol.IPV6_TCLASS).out().orElseThrow());
    assertEquals(0, n.apiA.setsockopt(fd, Symbol.IPV6_UNICAST_HOPS, 0).value());
    assertEquals(0, n.apiA.getsockopt(fd, Symbol.IPV6_UNICAST_HOPS).out().orElseThrow());
  }

  @Test
  void keepaliveTimingOptionsTakeLinuxsRangesAndReadBack() {
    TwoStacks n = new TwoStacks(1);
    int fd = n.apiA.socket();
    // Linux defaults read back in seconds: tcp_keepalive_time 7200, intvl 75, probes 9.
    assertEquals(7200, n.apiA.getsockopt(fd, Symbol.TCP_KEEPIDLE).out().orElseThrow());
    assertEquals(75, n.apiA.getsockopt(fd, Symbol.TCP_KEEPINTVL).out().orElseThrow());
    assertEquals(9, n.apiA.getsockopt(fd, Symbol.TCP_KEEPCNT).out().orElseThrow());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fd, Symbol.TCP_KEEPIDLE, 0).errno());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fd, Symbol.TCP_KEEPIDLE, 32768).errno());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fd, Symbol.TCP_KEEPINTVL, 32768).errno());
    assertEquals(Errno.EINVAL, n.apiA.setsockopt(fd, Symbol.TCP_KEEPCNT, 128).errno());
    assertEquals(0, n.apiA.setsockopt(fd, Symbol.TCP_KEEPIDLE, 32767).value());
    assertEquals(0, n.apiA.setsockopt(fd, Symbol.TCP_KEEPCNT, 127).value());
    assertEquals(32767, n.apiA.getsockopt(fd, Symbol.TCP_KEEPIDLE).out().orElseThrow());
    assertEquals(127, n.apiA.getsockopt(fd, Symbol.TCP_KEEPCNT).out().orElseThrow());
  }

  /**
   * TCP_LINGER2 (Linux do_tcp_setsockopt, tcp_getsockopt): any negative value reads back -1, a
   * value above TCP_FIN_TIMEOUT_MAX 120, and 0, the default, reads as net.ipv4.tcp_fin_timeout.
   */
  @Test
  void linger2KeepsLinuxsRangeAndReadsTheSysctlForZero() {
    TwoStacks n = new TwoStacks(1);
    int fd = n.apiA.socket();
    assertEquals(60, n.apiA.getsockopt(fd, Symbol.TCP_LINGER2).out().orElseThrow());
    n.a.config(n.a.config().withSysctl("net.ipv4.tcp_fin_timeout", "33").orElseThrow());
    assertEquals(33, n.apiA.getsockopt(fd, Symbol.TCP_LINGER2).out().orElseThrow());
    assertEquals(0, n.apiA.setsockopt(fd, Symbol.TCP_LINGER2, -7).value());
    assertEquals(-1, n.apiA.getsockopt(fd, Symbol.TCP_LINGER2).out().orElseThrow());
    assertEquals(0, n.apiA.setsockopt(fd, Symbol.TCP_LINGER2, 121).value());
    assertEquals(120, n.apiA.getsockopt(fd, Symbol.TCP_LINGER2).out().orElseThrow());
    assertEquals(0, n.apiA.setsockopt(fd, Symbol.TCP_LINGER2, 5).value());
    assertEquals(5, n.apiA.getsockopt(fd, Symbol.TCP_LINGER2).out().orElseThrow());
    assertEquals(0, n.apiA.setsockopt(fd, Symbol.TCP_LINGER2, 0).value());
    assertEquals(33, n.apiA.getsockopt(fd, Symbol.TCP_LINGER2).out().orElseThrow());
  }

  @Test
  void keepaliveOnAnEstablishedSocketProbesThenTimesOut() {
    // Idle 1 s, then TCP_KEEPCNT 2 unanswered probes 1 s apart: ETIMEDOUT 3 s after the options.
    TwoStacks n = new TwoStacks(2);
    int client = connected(n)[0];
    long start = n.clock.nowNanos();
    assertEquals(0, n.apiA.setsockopt(client, Symbol.SO_KEEPALIVE, 1).value());
    assertEquals(0, n.apiA.setsockopt(client, Symbol.TCP_KEEPIDLE, 1).value());
    assertEquals(0, n.apiA.setsockopt(client, Symbol.TCP_KEEPINTVL, 1).value());
    assertEquals(0, n.apiA.setsockopt(client, Symbol.TCP_KEEPCNT, 2).value());
    int probes = 0;
    while (n.a.connections().stream().anyMatch(c -> c.error().isEmpty()) && probes < 10) {
      n.tick(10_000);
      for (Segment s : n.inFlight) if (s.srcAddr() == TwoStacks.A && s.flags() == TcpFlags.ACK) probes++;
      n.inFlight.clear(); // the peer is gone
    }
    assertEquals(2, probes);
    assertEquals(3_000_000_000L, n.clock.nowNanos() - start);
    assertEquals(Errno.ETIMEDOUT, n.apiA.read(client, 10).errno());
  }

  @Test
  void quickackZeroDelaysTheAckUntilTheDelayedAckTimer() {
    TwoStacks n = new TwoStacks(3);
    int[] fds = connected(n);
    assertEquals(1, n.apiB.getsockopt(fds[1], Symbol.TCP_QUICKACK).out().orElseThrow());
    assertEquals(0, n.apiB.setsockopt(fds[1], Symbol.TCP_QUICKACK, 0).value());
    assertEquals(0, n.apiB.getsockopt(fds[1], Symbol.TCP_QUICKACK).out().orElseThrow());
    n.apiA.write(fds[0], new byte[100]);
    n.collect();
    Segment data = n.inFlight.removeFirst();
    n.b.input(data);
    assertTrue(n.b.drainOutput().isEmpty(), "pingpong mode: no immediate ACK");
    n.tick(1000);
    assertEquals(1, n.inFlight.size(), "the delayed ACK");
    // Linux: the delayed ACK firing ends pingpong mode.
    assertEquals(1, n.apiB.getsockopt(fds[1], Symbol.TCP_QUICKACK).out().orElseThrow());
  }

  @Test
  void quickackOneSendsAScheduledAckOnceAllIsRead() {
    TwoStacks n = new TwoStacks(4);
    int[] fds = connected(n);
    n.apiB.setsockopt(fds[1], Symbol.TCP_QUICKACK, 0);
    n.apiA.write(fds[0], new byte[100]);
    n.collect();
    n.b.input(n.inFlight.removeFirst());
    assertTrue(n.b.drainOutput().isEmpty());
    assertEquals(100, n.apiB.read(fds[1], 100).value());
    assertEquals(0, n.apiB.setsockopt(fds[1], Symbol.TCP_QUICKACK, 1).value());
    assertEquals(1, n.b.drainOutput().size());
  }

  @Test
  void receiveTimeoutRejectsBadMicroseconds() {
    TwoStacks n = new TwoStacks(5);
    int fd = n.apiA.socket();
    assertEquals(Errno.EDOM, n.apiA.setReceiveTimeout(fd, 1, 1_000_000).errno());
    assertEquals(0, n.apiA.setReceiveTimeout(fd, -1, 0).value());
    assertEquals(0, n.apiA.receiveTimeoutNanos(fd));
    assertEquals(0, n.apiA.setReceiveTimeout(fd, 1, 500_000).value());
    assertEquals(1_500_000_000L, n.apiA.receiveTimeoutNanos(fd));
  }
}
