package org.tcpspec.conformance.run;

import java.nio.ByteBuffer;
import org.tcpspec.conformance.script.IcmpPacket;
import org.tcpspec.wire.InternetChecksum;
import org.tcpspec.wire.IpAddress;

/**
 * Builds an inbound ICMP message as packetdrill's icmp_packet.c does. ICMPv4: an IPv4 header from the
 * remote side (TOS of the line, TTL 255 unless given, ID 0, no DF), the ICMP header (type, code,
 * the next-hop MTU of "fragmentation needed" in its last two bytes, RFC 1191 §4, or the echo
 * identifier), and the quoted packet: the IPv4 header of a packet from the system under test to
 * the remote side (TOS 0, TTL 255, total length as if the quoted TCP segment or UDP datagram were
 * whole) and its first 8 bytes, ports and TCP sequence number (RFC 792). Checksums are correct for
 * the outer IPv4 header and the ICMP message; the quoted header's is 0, as packetdrill leaves it.
 *
 * <p>ICMPv6 (RFC 4443), under {@code --ip_version=ipv6}: an IPv6 header from the remote side
 * (traffic class and flow label of the line, hop limit 255 unless given, next header 58), the
 * ICMPv6 header (type, code, Packet Too Big's MTU as 32 bits, RFC 4443 §3.2, or the echo
 * identifier), and the quoted IPv6 header of a packet from the system under test (payload length as
 * if the quoted segment were whole) with its first 8 bytes. The ICMPv6 checksum covers the IPv6
 * pseudo-header (RFC 4443 §2.3, RFC 8200 §8.1).
 */
final class IcmpMessage {
  private IcmpMessage() {}

  private static final int IPV4_HEADER = 20;
  /** Offset of the header checksum in an IPv4 header (RFC 791 §3.1). */
  private static final int IPV4_CHECKSUM = 10;
  private static final int ICMP_HEADER = 8;
  /** The bytes of the offending packet's transport header an ICMP error quotes (RFC 792). */
  private static final int QUOTED_TRANSPORT_BYTES = 8;
  private static final int PROTOCOL_ICMP = 1;
  private static final int PROTOCOL_UDP = 17;
  private static final int TCP_HEADER = 20;
  private static final int UDP_HEADER = 8;
  private static final int IPV6_HEADER = 40;
  /** IPv6's next-header value for ICMPv6 (RFC 4443 §1). */
  private static final int PROTOCOL_ICMPV6 = 58;

  /**
   * The whole IPv6 packet of an ICMPv6 message.
   *
   * @param liveLocalSeq the quoted TCP sequence number in the system under test's live space
   */
  static byte[] build6(IcmpPacket p, int trafficClass, int flowLabel, int hopLimit, IpAddress remote,
      IpAddress local, int remotePort, int localPort, int liveLocalSeq) {
    int icmpBytes = icmpBytes(p.quoted(), IPV6_HEADER);
    ByteBuffer b = ByteBuffer.allocate(IPV6_HEADER + icmpBytes);
    ipv6Header(b, trafficClass, flowLabel, icmpBytes, hopLimit, PROTOCOL_ICMPV6, remote, local);

    int icmp = IPV6_HEADER;
    b.put(icmp, (byte) p.type());
    b.put(icmp + 1, (byte) p.code());
    if (p.mtu().isPresent()) b.putInt(icmp + 4, p.mtu().getAsInt());
    if (p.echoId() > 0) b.putShort(icmp + 4, (short) p.echoId());
    int quoted = icmp + ICMP_HEADER;
    switch (p.quoted()) {
      case IcmpPacket.Quoted.Raw r -> { }
      case IcmpPacket.Quoted.Tcp t -> {
        b.position(quoted);
        ipv6Header(b, 0, 0, TCP_HEADER + t.payloadLength(), 0, InternetChecksum.PROTOCOL_TCP, local, remote);
        b.putShort(quoted + IPV6_HEADER, (short) localPort);
        b.putShort(quoted + IPV6_HEADER + 2, (short) remotePort);
        b.putInt(quoted + IPV6_HEADER + 4, liveLocalSeq);
      }
      case IcmpPacket.Quoted.Udp u -> {
        b.position(quoted);
        ipv6Header(b, 0, 0, UDP_HEADER + u.payloadLength(), 0, PROTOCOL_UDP, local, remote);
        b.putShort(quoted + IPV6_HEADER, (short) localPort);
        b.putShort(quoted + IPV6_HEADER + 2, (short) remotePort);
      }
    }
    int pseudo = InternetChecksum.pseudoHeaderSum(remote.high(), remote.low(), local.high(), local.low(),
        PROTOCOL_ICMPV6, icmpBytes);
    int sum = InternetChecksum.add(pseudo, InternetChecksum.sum(b.array(), icmp, icmpBytes));
    b.putShort(icmp + 2, (short) InternetChecksum.checksum(sum));
    return b.array();
  }

  /**
   * The ICMP message's length: a raw quote's as written, else the header, the quoted IP header of
   * {@code ipHeader} bytes and the first bytes of its transport header; never less than the header.
   */
  private static int icmpBytes(IcmpPacket.Quoted quoted, int ipHeader) {
    int n = switch (quoted) {
      case IcmpPacket.Quoted.Raw r -> r.length();
      case IcmpPacket.Quoted.Tcp t -> ICMP_HEADER + ipHeader + QUOTED_TRANSPORT_BYTES;
      case IcmpPacket.Quoted.Udp u -> ICMP_HEADER + ipHeader + QUOTED_TRANSPORT_BYTES;
    };
    return Math.max(n, ICMP_HEADER);
  }

  /** An IPv6 header at the buffer's position (RFC 8200 §3); hop limit 0 means packetdrill's 255. */
  private static void ipv6Header(ByteBuffer b, int trafficClass, int flowLabel, int payloadLength, int hopLimit,
      int nextHeader, IpAddress src, IpAddress dst) {
    int at = b.position();
    b.putInt(at, (6 << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0xF_FFFF));
    b.putShort(at + 4, (short) payloadLength);
    b.put(at + 6, (byte) nextHeader);
    b.put(at + 7, (byte) (hopLimit == 0 ? ScriptSocket.INBOUND_TTL : hopLimit));
    b.put(at + 8, src.bytes());
    b.put(at + 24, dst.bytes());
  }

  /**
   * The whole IPv4 packet.
   *
   * @param liveLocalSeq the quoted TCP sequence number in the system under test's live space
   */
  static byte[] build(IcmpPacket p, int tos, int ttl, int remoteAddr, int localAddr,
      int remotePort, int localPort, int liveLocalSeq) {
    int icmpBytes = icmpBytes(p.quoted(), IPV4_HEADER);
    ByteBuffer b = ByteBuffer.allocate(IPV4_HEADER + icmpBytes);
    ipv4Header(b, tos, IPV4_HEADER + icmpBytes, ttl, PROTOCOL_ICMP, remoteAddr, localAddr);
    b.putShort(IPV4_CHECKSUM, (short) InternetChecksum.compute(b.array(), 0, IPV4_HEADER));

    int icmp = IPV4_HEADER;
    b.put(icmp, (byte) p.type());
    b.put(icmp + 1, (byte) p.code());
    if (p.mtu().isPresent()) b.putShort(icmp + 6, (short) p.mtu().getAsInt());
    if (p.echoId() > 0) b.putShort(icmp + 4, (short) p.echoId());
    int quoted = icmp + ICMP_HEADER;
    switch (p.quoted()) {
      case IcmpPacket.Quoted.Raw r -> { }
      case IcmpPacket.Quoted.Tcp t -> {
        b.position(quoted);
        ipv4Header(b, 0, IPV4_HEADER + TCP_HEADER + t.payloadLength(), 0, InternetChecksum.PROTOCOL_TCP,
            localAddr, remoteAddr);
        b.putShort(quoted + IPV4_HEADER, (short) localPort);
        b.putShort(quoted + IPV4_HEADER + 2, (short) remotePort);
        b.putInt(quoted + IPV4_HEADER + 4, liveLocalSeq);
      }
      case IcmpPacket.Quoted.Udp u -> {
        b.position(quoted);
        ipv4Header(b, 0, IPV4_HEADER + UDP_HEADER + u.payloadLength(), 0, PROTOCOL_UDP, localAddr, remoteAddr);
        b.putShort(quoted + IPV4_HEADER, (short) localPort);
        b.putShort(quoted + IPV4_HEADER + 2, (short) remotePort);
      }
    }
    b.putShort(icmp + 2, (short) InternetChecksum.compute(b.array(), icmp, icmpBytes));
    return b.array();
  }

  /** An IPv4 header at the buffer's position, checksum 0; TTL 0 means packetdrill's 255. */
  private static void ipv4Header(ByteBuffer b, int tos, int totalLength, int ttl, int protocol,
      int src, int dst) {
    int at = b.position();
    b.put(at, (byte) 0x45);
    b.put(at + 1, (byte) tos);
    b.putShort(at + 2, (short) totalLength);
    b.put(at + 8, (byte) (ttl == 0 ? ScriptSocket.INBOUND_TTL : ttl));
    b.put(at + 9, (byte) protocol);
    b.putInt(at + 12, src);
    b.putInt(at + 16, dst);
  }
}
