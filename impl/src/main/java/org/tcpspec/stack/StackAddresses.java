package org.tcpspec.stack;

import java.util.Optional;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.time.Clock;
import org.tcpspec.wire.IpAddress;

/**
 * A {@link Stack}'s addresses (one IPv4, at most one IPv6) and what the path from them to a remote
 * address allows: the MSS the device's MTU gives, the MSS a SYN advertises, the path MTU ICMP taught
 * (RFC 1191, RFC 8201, in {@link PathMtuCache}) and the MSS assumed of a peer without the option.
 * Linux reads these from the route (ipv4_default_advmss, ip6_default_advmss, ipv4_mtu, ip6_mtu).
 * Split from Stack so that the MSS and MTU choice reads apart from the demultiplexing and the user
 * calls; the config it reads is the stack's current one. One per stack.
 */
final class StackAddresses {
  /** IPv6's fixed header is 20 bytes longer than IPv4's: the MSS is MTU - 60 (Linux tcp_v6_connect). */
  static final int IPV6_EXTRA_HEADER = 20;
  /** IPv6's minimum MTU 1280 less its 40-byte header and TCP's 20 (RFC 8200 §5). */
  static final int IPV6_MIN_MSS = 1220;
  private final Stack stack;
  private final IpAddress ipv4Address;
  /** The IPv6 address, or null while the stack has none (IPv6 segments then meet nothing). */
  private IpAddress ipv6Address;
  private final Clock clock;
  private final PathMtuCache pathMtus = new PathMtuCache();

  StackAddresses(Stack stack, IpAddress ipv4Address, Clock clock) {
    this.stack = stack;
    this.ipv4Address = ipv4Address;
    this.clock = clock;
  }

  IpAddress ipv4Address() {
    return ipv4Address;
  }

  /** See {@link Stack#ipv6Address(IpAddress)}. */
  void ipv6Address(IpAddress address) {
    if (address.isIpv4()) throw new IllegalArgumentException("not an IPv6 address: " + address);
    this.ipv6Address = address;
  }

  Optional<IpAddress> ipv6Address() {
    return Optional.ofNullable(ipv6Address);
  }

  /** Whether (high, low) is one of this stack's addresses (allocation-free: every received segment). */
  boolean isLocal(long high, long low) {
    if (high == ipv4Address.high() && low == ipv4Address.low()) return true;
    return ipv6Address != null && high == ipv6Address.high() && low == ipv6Address.low();
  }

  /** Our address of {@code remote}'s family; the IPv4 one when the stack has no IPv6 address. */
  IpAddress localAddress(IpAddress remote) {
    return remote.isIpv4() || ipv6Address == null ? ipv4Address : ipv6Address;
  }

  /**
   * The MSS the device takes from {@code remote}: the config's MTU - 40 for IPv4; for IPv6 MTU - 60
   * (its header is 20 bytes longer) and never below 1220, the MSS of IPv6's minimum link MTU of 1280
   * (RFC 8200 §5; Linux ip6_default_advmss with ip6_rt_min_advmss). What a receiver measures
   * segments against (Linux tp->advmss stays as the handshake set it).
   */
  int localMss(IpAddress remote) {
    return mssOf(stack.config().mtu(), remote);
  }

  /**
   * The MSS a SYN or SYN-ACK to {@code remote} advertises: {@link #localMss}'s rule for the path MTU
   * to it ({@link #pathMtu}). Linux 6.18's ipv4_default_advmss reads the route's MTU, a learned path
   * MTU included, so after path MTU discovery the smaller MSS is offered (Linux's selftest
   * tcp_advmss_pmtu_ipv4 expects the device's; 6.18 fails it).
   */
  int advertisedMss(IpAddress remote) {
    return mssOf(pathMtu(remote), remote);
  }

  private static int mssOf(int mtu, IpAddress remote) {
    return remote.isIpv4() ? mtu - IPV4_HEADERS : Math.max(IPV6_MIN_MSS, mtu - IPV4_HEADERS - IPV6_EXTRA_HEADER);
  }

  /** The IPv4 and TCP headers without options: MSS = MTU - 40 (RFC 879, RFC 9293 §3.7.1). */
  static final int IPV4_HEADERS = 40;

  /** The path MTU to {@code remote} now: the device's, or less when ICMP taught us (RFC 1191, RFC 8201). */
  int pathMtu(IpAddress remote) {
    return pathMtus.mtu(remote, stack.config().mtu(), clock);
  }

  /** A Packet Too Big report of {@code mtu} bytes about {@code remote} (see {@link PathMtuCache#update}). */
  void pathMtuReported(IpAddress remote, long mtu) {
    pathMtus.update(remote, mtu, stack.config().mtu(), clock);
  }

  /**
   * The MSS assumed of a peer that sends no MSS option (RFC 9293 MUST-15 and §3.7.1): 536 for IPv4,
   * 1220 for IPv6 (Linux's mss_clamp of tcp_request_sock_ipv6_ops and tcp_v6_connect).
   */
  static int defaultPeerMss(IpAddress remote) {
    return remote.isIpv4() ? Tcb.DEFAULT_MSS : IPV6_MIN_MSS;
  }
}
