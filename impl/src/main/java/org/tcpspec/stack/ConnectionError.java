package org.tcpspec.stack;

/**
 * Why a connection ended abnormally, or what an ICMP error reported about it (RFC 9293 §3.9.2.2);
 * the socket layer turns these into errno values.
 */
public enum ConnectionError {
  /** RST in answer to our SYN (§3.10.7.3), or an ICMP port unreachable. */
  REFUSED,
  /** RST on a synchronized connection (§3.10.7.4), or reset by ABORT of a peer. */
  RESET,
  /** Retransmissions or keep-alive probes gave up (§3.8.3 R2) with no soft error reported before. */
  TIMED_OUT,
  /** ICMP net unreachable (and its unknown, prohibited and TOS variants), ICMPv6 no route. */
  NET_UNREACHABLE,
  /** ICMP host unreachable (and its variants), time exceeded; ICMPv6 address unreachable. */
  HOST_UNREACHABLE,
  /** ICMP protocol unreachable. */
  PROTOCOL_UNREACHABLE,
  /** ICMP source route failed. */
  SOURCE_ROUTE_FAILED,
  /** ICMP destination host unknown. */
  HOST_DOWN,
  /** ICMP source host isolated. */
  HOST_ISOLATED,
  /** ICMPv6 communication administratively prohibited, source address policy, reject route. */
  PROHIBITED,
  /** ICMP or ICMPv6 parameter problem. */
  PROTOCOL_ERROR
}
