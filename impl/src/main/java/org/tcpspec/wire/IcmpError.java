package org.tcpspec.wire;

import java.util.Optional;

/**
 * An ICMP (RFC 792) or ICMPv6 (RFC 4443) error message about a TCP segment: its type and code and
 * what it quotes of the offending packet, the IP header and the first 8 bytes of the TCP header
 * (ports and sequence number), which is all RFC 792 promises. The quoted packet is one we sent, so
 * its source is our address and port, its destination the peer's (RFC 9293 §3.9.2.2: TCP directs
 * the error to the connection it concerns, MUST-54).
 *
 * <p>{@link #parse} takes a whole IPv4 packet carrying ICMP or IPv6 packet carrying ICMPv6 and
 * returns empty for anything that is not a well-formed error quoting TCP: an informational message
 * (echo), a wrong checksum, a quote too short for the sequence number. It never throws on bytes.
 *
 * @param ipv6 whether the message is ICMPv6 (its type and code are RFC 4443's)
 * @param mtu the next-hop MTU of a "fragmentation needed" (its last 16 bits of the ICMP header,
 *     RFC 1191 §4) or of an ICMPv6 Packet Too Big (32 bits, RFC 4443 §3.2); 0 in every other message
 */
public record IcmpError(boolean ipv6, int type, int code, IpAddress localAddr, int localPort,
    IpAddress remoteAddr, int remotePort, int seq, long mtu) {

  /** An error that carries no MTU. */
  public IcmpError(boolean ipv6, int type, int code, IpAddress localAddr, int localPort, IpAddress remoteAddr,
      int remotePort, int seq) {
    this(ipv6, type, code, localAddr, localPort, remoteAddr, remotePort, seq, 0);
  }

  /** ICMP types (RFC 792) Linux's tcp_v4_err looks at. */
  public static final int V4_DEST_UNREACH = 3;
  public static final int V4_SOURCE_QUENCH = 4;
  public static final int V4_TIME_EXCEEDED = 11;
  public static final int V4_PARAMETER_PROBLEM = 12;
  /** ICMPv6 error types (RFC 4443 §3): every type below 128 is an error. */
  public static final int V6_DEST_UNREACH = 1;
  public static final int V6_PACKET_TOO_BIG = 2;
  public static final int V6_TIME_EXCEEDED = 3;
  public static final int V6_PARAMETER_PROBLEM = 4;
  /** Destination Unreachable's "fragmentation needed and DF set" (RFC 792, RFC 1191 §4). */
  public static final int V4_FRAG_NEEDED = 4;

  private static final int IPV4_HEADER_MIN = 20;
  private static final int IPV6_HEADER = 40;
  private static final int ICMP_HEADER = 8;
  /** Ports and sequence number: what every error quotes of the TCP header (RFC 792). */
  private static final int QUOTED_TCP = 8;
  private static final int PROTOCOL_ICMP = 1;
  private static final int PROTOCOL_ICMPV6 = 58;

  /** The error in {@code packet[off, off + len)}, or empty (see the class comment). */
  public static Optional<IcmpError> parse(byte[] packet, int off, int len) {
    if (off < 0 || len < 1 || off + len > packet.length) return Optional.empty();
    return switch ((packet[off] & 0xFF) >>> 4) {
      case 4 -> parse4(packet, off, len);
      case 6 -> parse6(packet, off, len);
      default -> Optional.empty();
    };
  }

  private static Optional<IcmpError> parse4(byte[] p, int off, int len) {
    if (len < IPV4_HEADER_MIN) return Optional.empty();
    int ihl = (p[off] & 0x0F) * 4;
    int total = u16(p, off + 2);
    if (ihl < IPV4_HEADER_MIN || total > len || total < ihl + ICMP_HEADER) return Optional.empty();
    if ((p[off + 9] & 0xFF) != PROTOCOL_ICMP) return Optional.empty();
    int icmp = off + ihl;
    int icmpLength = total - ihl;
    if (InternetChecksum.compute(p, icmp, icmpLength) != 0) return Optional.empty();
    int type = p[icmp] & 0xFF;
    if (type != V4_DEST_UNREACH && type != V4_SOURCE_QUENCH && type != V4_TIME_EXCEEDED
        && type != V4_PARAMETER_PROBLEM) {
      return Optional.empty();
    }
    int quoted = icmp + ICMP_HEADER;
    int end = off + total;
    if (end - quoted < IPV4_HEADER_MIN || (p[quoted] & 0xFF) >>> 4 != 4) return Optional.empty();
    int quotedIhl = (p[quoted] & 0x0F) * 4;
    if (quotedIhl < IPV4_HEADER_MIN || (p[quoted + 9] & 0xFF) != InternetChecksum.PROTOCOL_TCP) return Optional.empty();
    int tcp = quoted + quotedIhl;
    if (end - tcp < QUOTED_TCP) return Optional.empty();
    int code = p[icmp + 1] & 0xFF;
    int mtu = type == V4_DEST_UNREACH && code == V4_FRAG_NEEDED ? u16(p, icmp + 6) : 0;
    return Optional.of(new IcmpError(false, type, code,
        IpAddress.ipv4(i32(p, quoted + 12)), u16(p, tcp), IpAddress.ipv4(i32(p, quoted + 16)), u16(p, tcp + 2),
        i32(p, tcp + 4), mtu));
  }

  private static Optional<IcmpError> parse6(byte[] p, int off, int len) {
    if (len < IPV6_HEADER + ICMP_HEADER) return Optional.empty();
    int payload = u16(p, off + 4);
    if (IPV6_HEADER + payload > len || payload < ICMP_HEADER) return Optional.empty();
    // SPEC-GAP: no extension headers between IPv6 and ICMPv6, as the stack takes none before TCP.
    if ((p[off + 6] & 0xFF) != PROTOCOL_ICMPV6) return Optional.empty();
    IpAddress src = address(p, off + 8);
    IpAddress dst = address(p, off + 24);
    int icmp = off + IPV6_HEADER;
    int pseudo = InternetChecksum.pseudoHeaderSum(src.high(), src.low(), dst.high(), dst.low(), PROTOCOL_ICMPV6,
        payload);
    if (InternetChecksum.checksum(InternetChecksum.add(pseudo, InternetChecksum.sum(p, icmp, payload))) != 0) {
      return Optional.empty();
    }
    int type = p[icmp] & 0xFF;
    if (type < V6_DEST_UNREACH || type > V6_PARAMETER_PROBLEM) return Optional.empty();
    int quoted = icmp + ICMP_HEADER;
    int end = icmp + payload;
    if (end - quoted < IPV6_HEADER + QUOTED_TCP || (p[quoted] & 0xFF) >>> 4 != 6) return Optional.empty();
    if ((p[quoted + 6] & 0xFF) != InternetChecksum.PROTOCOL_TCP) return Optional.empty();
    int tcp = quoted + IPV6_HEADER;
    long mtu = type == V6_PACKET_TOO_BIG ? i32(p, icmp + 4) & 0xFFFF_FFFFL : 0;
    return Optional.of(new IcmpError(true, type, p[icmp + 1] & 0xFF, address(p, quoted + 8), u16(p, tcp),
        address(p, quoted + 24), u16(p, tcp + 2), i32(p, tcp + 4), mtu));
  }

  private static IpAddress address(byte[] p, int at) {
    long h = 0;
    long l = 0;
    for (int i = 0; i < 8; i++) h = (h << 8) | (p[at + i] & 0xFF);
    for (int i = 8; i < 16; i++) l = (l << 8) | (p[at + i] & 0xFF);
    return new IpAddress(h, l);
  }

  private static int u16(byte[] p, int at) {
    return ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
  }

  private static int i32(byte[] p, int at) {
    return (u16(p, at) << 16) | u16(p, at + 2);
  }
}
