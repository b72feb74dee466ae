package org.tcpspec.stack;

import static org.tcpspec.wire.IcmpError.*;

import org.tcpspec.wire.IcmpError;

/**
 * What an ICMP or ICMPv6 error means to the connection it concerns (RFC 9293 §3.9.2.2), in Linux's
 * terms (tcp_v4_err with icmp_err_convert, tcp_v6_err with icmpv6_err_convert): nothing, a soft
 * error or a hard error, with the error the application is told.
 *
 * <ul>
 *   <li>Source Quench is silently discarded (MUST-55; Linux: "just silently ignore").
 *   <li>Hard errors, which SHOULD abort the connection (SHLD-26): Destination Unreachable codes 2
 *       and 3 (protocol, port); ICMPv6's Destination Unreachable codes 1, 4, 5 and 6
 *       (administratively prohibited, port unreachable, source address policy, reject route), the
 *       ones icmpv6_err_convert calls fatal.
 *   <li>Code 4 of ICMP (fragmentation needed) and ICMPv6's Packet Too Big are path MTU discovery
 *       (RFC 1191, RFC 8201; RFC 9293 §3.7.2): no error for the application, a smaller path MTU
 *       ({@link PathMtuDiscovery}).
 *   <li>Every other Destination Unreachable code, Time Exceeded and Parameter Problem is a soft
 *       error: it MUST NOT abort the connection (MUST-56) and SHOULD reach the application
 *       (SHLD-25, MUST-47).
 * </ul>
 */
sealed interface IcmpInput {

  /** Nothing to do. */
  record Ignore() implements IcmpInput {}

  /**
   * Report {@code error} to the application; the connection goes on (Linux sk_err_soft). {@code
   * routeLost}: a net or host unreachable (ICMPv6: no route to destination), which RFC 6069 takes
   * as a sign that retransmissions are lost to a broken path ({@link SendTimeouts#revertBackoff}).
   */
  record Soft(ConnectionError error, boolean routeLost) implements IcmpInput {
    Soft(ConnectionError error) {
      this(error, false);
    }
  }

  /** The path to the peer takes packets of at most {@code mtu} bytes (Linux tp->mtu_info). */
  record PathMtu(long mtu) implements IcmpInput {}

  /** The connection attempt fails with {@code error} (Linux sk_err and tcp_done_with_error). */
  record Hard(ConnectionError error) implements IcmpInput {}

  static IcmpInput of(IcmpError e) {
    if (!e.ipv6() && e.type() == V4_DEST_UNREACH && e.code() == V4_FRAG_NEEDED) return new PathMtu(e.mtu());
    if (e.ipv6() && e.type() == V6_PACKET_TOO_BIG) return new PathMtu(e.mtu());
    return e.ipv6() ? ofV6(e.type(), e.code()) : ofV4(e.type(), e.code());
  }

  private static IcmpInput ofV4(int type, int code) {
    return switch (type) {
      case V4_DEST_UNREACH -> switch (code) {
        // tcp_v4_err: codes 0 and 1 allow the RTO revert of RFC 6069 (tcp_ld_RTO_revert).
        case 0 -> new Soft(ConnectionError.NET_UNREACHABLE, true);
        case 1 -> new Soft(ConnectionError.HOST_UNREACHABLE, true);
        case 6, 9, 11 -> new Soft(ConnectionError.NET_UNREACHABLE);
        case 10, 12, 13, 14, 15 -> new Soft(ConnectionError.HOST_UNREACHABLE);
        case 2 -> new Hard(ConnectionError.PROTOCOL_UNREACHABLE);
        case 3 -> new Hard(ConnectionError.REFUSED);
        case 5 -> new Soft(ConnectionError.SOURCE_ROUTE_FAILED);
        case 7 -> new Soft(ConnectionError.HOST_DOWN);
        case 8 -> new Soft(ConnectionError.HOST_ISOLATED);
        // 4 (fragmentation needed) is taken in of; above 15 (NR_ICMP_UNREACH): unknown.
        default -> new Ignore();
      };
      // Linux tcp_v4_err: a time exceeded is EHOSTUNREACH, a parameter problem EPROTO.
      case V4_TIME_EXCEEDED -> new Soft(ConnectionError.HOST_UNREACHABLE);
      case V4_PARAMETER_PROBLEM -> new Soft(ConnectionError.PROTOCOL_ERROR);
      default -> new Ignore();
    };
  }

  private static IcmpInput ofV6(int type, int code) {
    return switch (type) {
      case V6_DEST_UNREACH -> switch (code) {
        // tcp_v6_err: ICMPV6_NOROUTE allows the RTO revert of RFC 6069.
        case 0 -> new Soft(ConnectionError.NET_UNREACHABLE, true);
        case 2, 3 -> new Soft(ConnectionError.HOST_UNREACHABLE);
        case 1, 5, 6 -> new Hard(ConnectionError.PROHIBITED);
        case 4 -> new Hard(ConnectionError.REFUSED);
        default -> new Soft(ConnectionError.PROTOCOL_ERROR);
      };
      case V6_TIME_EXCEEDED -> new Soft(ConnectionError.HOST_UNREACHABLE);
      // RFC 9293 lists Parameter Problem codes 0 to 2 among the soft errors (MUST-56).
      case V6_PARAMETER_PROBLEM -> new Soft(ConnectionError.PROTOCOL_ERROR);
      default -> new Ignore();
    };
  }
}
