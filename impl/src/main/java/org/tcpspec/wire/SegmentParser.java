package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.tcpspec.wire.ParseResult.Malformed;
import org.tcpspec.wire.ParseResult.Parsed;

/**
 * Turns the bytes of one IPv4 packet into a {@link Segment}, or into the reason it is malformed.
 * It never throws, whatever the bytes, offset and length: every check comes before the access it
 * protects, in the order Linux applies them ({@code ip_rcv_core}, then {@code tcp_v4_rcv}).
 *
 * <p>Decisions, each where the RFCs leave room:
 *
 * <ul>
 *   <li>Total length shorter than the bytes given: the rest is trailing garbage (Ethernet pads
 *       frames to 60 bytes) and is ignored, as Linux trims it ({@code pskb_trim_rcsum}). Longer
 *       than the bytes given: malformed.
 *   <li>IP options (IHL > 5) are accepted, checksummed and skipped.
 *   <li>Fragments (MF set or a fragment offset) are malformed: the stack does not reassemble.
 *   <li>Checksums are always verified (the TUN device hands over complete checksums); the IPv4
 *       header's first, the TCP checksum before any option is looked at.
 *   <li>The reserved bits of the TCP header are ignored (RFC 9293 §3.1). Any combination of
 *       control bits is well-formed here: judging SYN+FIN or RST+SYN is the segment classifier's
 *       job (RFC 9293 §3.10.7), not the wire's.
 *   <li>Options (RFC 9293 §3.2): EOL ends the list and is not recorded; the bytes after it up to
 *       the data offset are padding and are not checked to be zero. An option length below 2, a
 *       missing length byte, or an option running past the data offset ends the list there, the
 *       options before it kept and the segment too (MUST-7: "be prepared to handle an illegal
 *       option length (e.g., zero)"; Linux's {@code tcp_parse_options} stops the same way and
 *       processes the segment). A known kind with a length
 *       that kind does not have (MSS not 4, window scale not 3, SACK-permitted not 2, SACK not 2
 *       + 8n with n in 1..4, timestamps not 10) is kept as {@link TcpOption.Unknown}, so the
 *       stack ignores it as MUST-6 asks for options it cannot use; Linux ignores these too
 *       ({@code tcp_parse_options} checks each {@code opsize}). Unknown kinds become {@link
 *       TcpOption.Unknown} with their bytes.
 * </ul>
 */
public final class SegmentParser {
  private SegmentParser() {}

  /** Parses the IPv4 packet in {@code packet[offset, offset + length)}. */
  public static ParseResult parse(byte[] packet, int offset, int length) {
    if (offset < 0 || length < 0 || offset > packet.length - length) {
      return outOfBounds(offset, length, packet.length);
    }
    if (length < Ipv4Header.MIN_LENGTH) return truncatedIpv4(length);
    return parse(new Ipv4Header().wrap(packet, offset, length));
  }

  /** Parses absolute indices {@code [offset, offset + length)} of the buffer. */
  public static ParseResult parse(ByteBuffer packet, int offset, int length) {
    if (offset < 0 || length < 0 || offset > packet.limit() - length) {
      return outOfBounds(offset, length, packet.limit());
    }
    if (length < Ipv4Header.MIN_LENGTH) return truncatedIpv4(length);
    return parse(new Ipv4Header().wrap(packet, offset, length));
  }

  public static ParseResult parse(MemorySegment packet, long offset, int length) {
    if (offset < 0 || length < 0 || offset > packet.byteSize() - length) {
      return outOfBounds(offset, length, packet.byteSize());
    }
    if (length < Ipv4Header.MIN_LENGTH) return truncatedIpv4(length);
    return parse(new Ipv4Header().wrap(packet, offset, length));
  }

  /** Parses the packet an already wrapped view spans. */
  public static ParseResult parse(Ipv4Header ip) {
    // RFC 791 §3.1 and Linux ip_rcv_core: version, IHL, header present, checksum, total length.
    if (ip.version() != 4) {
      return new Malformed("ipv4.version", "version " + ip.version() + ", expected 4");
    }
    if (ip.ihl() < 5) {
      return new Malformed("ipv4.ihl", "IHL " + ip.ihl() + " words is below the minimum of 5");
    }
    if (ip.headerLength() > ip.length()) {
      return new Malformed("ipv4.ihl", "truncated: IHL says " + ip.headerLength()
          + " header bytes but the packet has " + ip.length());
    }
    if (!ip.headerChecksumValid()) {
      return new Malformed("ipv4.headerChecksum", "checksum " + hex(ip.headerChecksum())
          + " does not verify (expected " + hex(ip.computeHeaderChecksum()) + ")");
    }
    int total = ip.totalLength();
    if (total > ip.length()) {
      return new Malformed("ipv4.totalLength", "total length " + total
          + " exceeds the " + ip.length() + " bytes present");
    }
    if (total < ip.headerLength()) {
      return new Malformed("ipv4.totalLength", "total length " + total
          + " is shorter than the header (" + ip.headerLength() + " bytes)");
    }
    if (ip.moreFragments()) {
      return new Malformed("ipv4.moreFragments", "MF set: fragments are not reassembled");
    }
    if (ip.fragmentOffset() != 0) {
      return new Malformed("ipv4.fragmentOffset", "fragment offset " + ip.fragmentOffset()
          + " (units of 8 bytes): fragments are not reassembled");
    }
    if (ip.protocol() != InternetChecksum.PROTOCOL_TCP) {
      return new Malformed("ipv4.protocol", "protocol " + ip.protocol() + ", expected 6 (TCP)");
    }
    int tcpLength = total - ip.headerLength();
    if (tcpLength < TcpHeader.MIN_LENGTH) {
      return new Malformed("tcp", "truncated: " + tcpLength
          + " bytes, the TCP header needs 20");
    }
    TcpHeader tcp = new TcpHeader().wrap(ip, ip.headerLength(), tcpLength);
    // RFC 9293 §3.1: data offset, then the checksum over pseudo-header, header and data.
    if (tcp.dataOffset() < 5) {
      return new Malformed("tcp.dataOffset", "data offset " + tcp.dataOffset()
          + " words is below the minimum of 5");
    }
    if (tcp.headerLength() > tcpLength) {
      return new Malformed("tcp.dataOffset", "truncated: data offset says " + tcp.headerLength()
          + " header bytes but the segment has " + tcpLength);
    }
    if (!tcp.checksumValid(ip.srcAddr(), ip.dstAddr())) {
      return new Malformed("tcp.checksum", "checksum " + hex(tcp.checksum())
          + " does not verify (expected " + hex(tcp.computeChecksum(ip.srcAddr(), ip.dstAddr())) + ")");
    }
    List<TcpOption> options = new ArrayList<>();
    readOptions(tcp, options);

    byte[] payload = new byte[tcp.payloadLength()];
    tcp.copyOut(tcp.headerLength(), payload, 0, payload.length);
    Segment segment = new Segment(ip.srcAddr(), ip.dstAddr(), tcp.srcPort(), tcp.dstPort(),
        tcp.seq(), tcp.ack(), tcp.flags(), tcp.window(), tcp.urgentPointer(), options, payload);
    Ipv4Params params = new Ipv4Params(ip.tos(), ip.identification(), ip.dontFragment(), ip.ttl());
    return new Parsed(segment, params);
  }

  /**
   * Reads the options between byte 20 and the data offset into {@code out}, RFC 9293 §3.2, up to
   * where {@link #optionsEnd} stops.
   */
  static void readOptions(TcpHeader tcp, List<TcpOption> out) {
    int end = optionsEnd(tcp, tcp.headerLength());
    int i = TcpHeader.OPTIONS;
    while (i < end) {
      int kind = tcp.byteAt(i);
      if (kind == TcpOption.KIND_NOP) {
        out.add(new TcpOption.Nop());
        i++;
        continue;
      }
      int len = tcp.byteAt(i + 1);
      out.add(decode(tcp, kind, i, len));
      i += len;
    }
  }

  /**
   * Where reading the options stops, as Linux's tcp_parse_options: at an EOL, at an option whose
   * length byte is missing, below 2 ("silly options") or runs past {@code headerEnd} ("don't
   * parse partial options"), else at the data offset. Every option before it has a sound length.
   */
  static int optionsEnd(TcpHeader tcp, int headerEnd) {
    int i = TcpHeader.OPTIONS;
    while (i < headerEnd) {
      int kind = tcp.byteAt(i);
      if (kind == TcpOption.KIND_EOL) return i;
      if (kind == TcpOption.KIND_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= headerEnd) return i;
      int len = tcp.byteAt(i + 1);
      if (len < 2 || i + len > headerEnd) return i;
      i += len;
    }
    return headerEnd;
  }

  /** A known kind with its defined length, else the raw bytes as {@link TcpOption.Unknown}. */
  private static TcpOption decode(TcpHeader tcp, int kind, int at, int len) {
    int data = at + 2;
    if (!TcpOption.isDefinedLength(kind, len)) {
      byte[] raw = new byte[len - 2];
      tcp.copyOut(data, raw, 0, raw.length);
      return new TcpOption.Unknown(kind, raw);
    }
    return switch (kind) {
      case TcpOption.KIND_MSS -> new TcpOption.Mss(tcp.u16(data));
      case TcpOption.KIND_WSCALE -> new TcpOption.WindowScale(tcp.u8(data));
      case TcpOption.KIND_SACK_PERMITTED -> new TcpOption.SackPermitted();
      case TcpOption.KIND_SACK -> {
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        for (int b = data; b < at + len; b += 8) {
          blocks.add(new TcpOption.SackBlock(tcp.u32(b), tcp.u32(b + 4)));
        }
        yield new TcpOption.Sack(blocks);
      }
      // The one kind left that isDefinedLength accepts: KIND_TIMESTAMP.
      default -> new TcpOption.Timestamp(tcp.u32(data), tcp.u32(data + 4));
    };
  }

  private static Malformed outOfBounds(long offset, int length, long size) {
    return new Malformed("buffer", "offset " + offset + " and length " + length
        + " do not fit in " + size + " bytes");
  }

  private static Malformed truncatedIpv4(int length) {
    return new Malformed("ipv4", "truncated: " + length + " bytes, the IPv4 header needs 20");
  }

  private static String hex(int v) {
    return String.format("0x%04x", v);
  }
}
