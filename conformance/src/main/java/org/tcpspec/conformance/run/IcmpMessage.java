package org.tcpspec.conformance.run;

import java.nio.ByteBuffer;
import org.tcpspec.conformance.script.IcmpPacket;
import org.tcpspec.wire.InternetChecksum;

/**
 * Builds an inbound ICMPv4 message as packetdrill's icmp_packet.c does: an IPv4 header from the
 * remote side (TOS of the line, TTL 255 unless given, ID 0, no DF), the ICMP header (type, code,
 * the next-hop MTU of "fragmentation needed" in its last two bytes, RFC 1191 §4, or the echo
 * identifier), and the quoted packet: the IPv4 header of a packet from the system under test to
 * the remote side (TOS 0, TTL 255, total length as if the quoted TCP segment or UDP datagram were
 * whole) and its first 8 bytes, ports and TCP sequence number (RFC 792). Checksums are correct for
 * the outer IPv4 header and the ICMP message; the quoted header's is 0, as packetdrill leaves it.
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

  /**
   * The whole IPv4 packet.
   *
   * @param liveLocalSeq the quoted TCP sequence number in the system under test's live space
   */
  static byte[] build(IcmpPacket p, int tos, int ttl, int remoteAddr, int localAddr,
      int remotePort, int localPort, int liveLocalSeq) {
    int icmpBytes = switch (p.quoted()) {
      case IcmpPacket.Quoted.Raw r -> r.length();
      case IcmpPacket.Quoted.Tcp t -> ICMP_HEADER + IPV4_HEADER + QUOTED_TRANSPORT_BYTES;
      case IcmpPacket.Quoted.Udp u -> ICMP_HEADER + IPV4_HEADER + QUOTED_TRANSPORT_BYTES;
    };
    icmpBytes = Math.max(icmpBytes, ICMP_HEADER);
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
