package org.tcpspec.stack;

import org.tcpspec.fsm.State;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.IpAddress;

/**
 * Path MTU discovery for a connection (RFC 1191 for IPv4, RFC 8201 for IPv6; RFC 9293 §3.7.2
 * MUST-14 and §3.9.2.2), as Linux 6.18 does it: a Packet Too Big about one of our segments (ICMP
 * "fragmentation needed", ICMPv6 Packet Too Big) whose quoted sequence number is acceptable (the
 * caller checks it, RFC 5927 §4.1) lowers the path MTU of the destination ({@link PathMtuCache});
 * when that is below the one the MSS was computed for, the MSS follows (tcp_sync_mss) and what no
 * longer fits goes again at once (tcp_simple_retransmit). The state does not change: the TLA+
 * model has nothing to add.
 */
final class PathMtuDiscovery {
  private PathMtuDiscovery() {}

  /** The TCP header without options. */
  private static final int TCP_HEADER = 20;
  /** The timestamp option in every segment once agreed (Linux tcp_header_len - sizeof(tcphdr)). */
  private static final int TIMESTAMP_BYTES = 12;
  /** The smallest SND.MSS the stack uses (as before path MTU discovery: Handshake's floor). */
  private static final int MIN_SND_MSS = 64;

  /**
   * Linux tcp_mtu_to_mss: the payload of a packet of {@code pmtu} bytes, the IP and TCP headers and
   * the timestamp option (when agreed) taken off, never more than the peer's MSS (mss_clamp, 536
   * or 1220 before the handshake, as tcp_v4_connect and tcp_v6_connect set it).
   */
  static int mtuToMss(Connection c, int pmtu) {
    IpAddress remote = c.tuple.remoteAddr();
    int netHeader = remote.isIpv4() ? StackAddresses.IPV4_HEADERS - TCP_HEADER
        : StackAddresses.IPV4_HEADERS - TCP_HEADER + StackAddresses.IPV6_EXTRA_HEADER;
    int clamp = c.tcb.mssClamp > 0 ? c.tcb.mssClamp : StackAddresses.defaultPeerMss(remote);
    int mss = Math.min(pmtu - netHeader - TCP_HEADER, clamp);
    return Math.max(MIN_SND_MSS, mss - (c.tcb.tsOk ? TIMESTAMP_BYTES : 0));
  }

  /** Linux tcp_sync_mss: SND.MSS for path MTU {@code pmtu}, which the connection remembers (icsk_pmtu_cookie). */
  static void syncMss(Connection c, int pmtu) {
    c.tcb.pmtu = pmtu;
    c.tcb.sndMss = mtuToMss(c, pmtu);
  }

  /**
   * A Packet Too Big of {@code reported} bytes (Linux tcp_v4_err's ICMP_FRAG_NEEDED case with
   * tcp_v4_mtu_reduced; tcp_v6_err's ICMPV6_PKT_TOOBIG with tcp_v6_mtu_reduced). Not in LISTEN or
   * CLOSED, nor in TIME-WAIT (tcp_v4_err takes no ICMP for a timewait socket). IPv6 drops a report
   * below 1280 bytes, and one that would not lower the MSS, before it reaches the route. The route learns the MTU; if that is
   * below the MTU the MSS was computed for, the MSS is computed again and the sender resends what
   * no longer fits. With no route to lower (a report above the path MTU), nothing happens: the
   * retransmission timer handles a loss, as Linux's comment says.
   */
  static void mtuReduced(Connection c, long reported) {
    State s = c.state();
    if (s == State.LISTEN || s == State.CLOSED || s == State.TIME_WAIT) return;
    Stack stack = c.stack();
    IpAddress remote = c.tuple.remoteAddr();
    Tcb tcb = c.tcb;
    // Before the handshake SND.MSS is not computed yet (the handshake computes it from the route):
    // the path MTU of the SYN is the route's.
    boolean synced = tcb.pmtu > 0;
    int cookie = synced ? tcb.pmtu : stack.pathMtu(remote);
    if (!remote.isIpv4()) {
      // tcp_v6_err: a Packet Too Big below IPv6's minimum MTU is dropped (RFC 8201 §4 lets a node
      // ignore it; Linux 6.18 keeps its path MTU and resends nothing).
      if (reported < PathMtuCache.IPV6_MIN_MTU) return;
      int mssCache = synced ? tcb.sndMss : mtuToMss(c, cookie);
      if (mtuToMss(c, (int) Math.min(reported, Integer.MAX_VALUE)) >= mssCache) return;
    }
    stack.pathMtuReported(remote, reported);
    int mtu = stack.pathMtu(remote);
    if (cookie <= mtu) return;
    if (synced) syncMss(c, mtu);
    c.sender.mtuReduced();
  }
}
