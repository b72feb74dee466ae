package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes a {@link Segment} as one IPv4 packet: exactly {@link Segment#ipTotalLength()} bytes,
 * every one of them written (the buffer may hold an older packet), both checksums correct.
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li>IPv4: version 4, IHL 5 (no IP options), TOS, identification, DF and TTL from {@link
 *       Ipv4Params} ({@link Ipv4Params#DEFAULT}: TOS 0, ID 0, DF, TTL 64), MF clear, fragment
 *       offset 0, protocol 6.
 *   <li>TCP: the reserved bits are zero (RFC 9293 §3.1 "must be zero in generated segments").
 *   <li>Options are written in list order, as given: an explicit {@link TcpOption.Nop} or {@link
 *       TcpOption.Eol} is written where it stands. The list is then padded to a 4-byte boundary
 *       with zero bytes, RFC 9293 §3.1 "The padding is composed of zeros" (a zero byte is an EOL,
 *       which the parser reads as the end of the list). Linux never needs this padding: it lays
 *       its options out in 4-byte groups with NOPs in front ({@code tcp_options_write}); a
 *       segment that wants Linux's layout lists the NOPs itself.
 * </ul>
 *
 * <p>A buffer too small for the packet is a programming error and throws {@link
 * IndexOutOfBoundsException}; nothing else can fail.
 */
public final class SegmentEmitter {
  private SegmentEmitter() {}

  /** A new array holding the packet, with {@link Ipv4Params#DEFAULT}. */
  public static byte[] emit(Segment s) {
    return emit(s, Ipv4Params.DEFAULT);
  }

  /** A new array holding the packet. */
  public static byte[] emit(Segment s, Ipv4Params ip) {
    byte[] out = new byte[s.ipTotalLength()];
    emit(s, ip, out, 0);
    return out;
  }

  /** Writes the packet at {@code out[offset]}; returns the bytes written. */
  public static int emit(Segment s, byte[] out, int offset) {
    return emit(s, Ipv4Params.DEFAULT, out, offset);
  }

  /** Writes the packet at {@code out[offset]}; returns the bytes written. */
  public static int emit(Segment s, Ipv4Params ip, byte[] out, int offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.length);
    return write(s, ip, new Ipv4Header().wrap(out, offset, total));
  }

  /**
   * Writes the packet at absolute index {@code offset} of {@code out} (position, limit and byte
   * order untouched); returns the bytes written.
   */
  public static int emit(Segment s, Ipv4Params ip, ByteBuffer out, int offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.limit());
    return write(s, ip, new Ipv4Header().wrap(out, offset, total));
  }

  /** Writes the packet at {@code offset} of {@code out}; returns the bytes written. */
  public static int emit(Segment s, Ipv4Params ip, MemorySegment out, long offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.byteSize());
    return write(s, ip, new Ipv4Header().wrap(out, offset, total));
  }

  private static int write(Segment s, Ipv4Params params, Ipv4Header ip) {
    int total = s.ipTotalLength();
    ip.version(4)
        .ihl(Segment.IPV4_HEADER_LENGTH / 4)
        .tos(params.tos())
        .totalLength(total)
        .identification(params.identification())
        .flags(params.dontFragment() ? Ipv4Header.FLAG_DF : 0)
        .fragmentOffset(0)
        .ttl(params.ttl())
        .protocol(InternetChecksum.PROTOCOL_TCP)
        .headerChecksum(0)
        .srcAddr(s.srcAddr())
        .dstAddr(s.dstAddr())
        .fillHeaderChecksum();

    int headerLength = s.tcpHeaderLength();
    TcpHeader tcp = new TcpHeader().wrap(ip, Segment.IPV4_HEADER_LENGTH, total - Segment.IPV4_HEADER_LENGTH);
    tcp.srcPort(s.srcPort())
        .dstPort(s.dstPort())
        .seq(s.seq())
        .ack(s.ack())
        .dataOffset(headerLength / 4)
        .reserved(0)
        .flags(s.flags())
        .window(s.window())
        .checksum(0)
        .urgentPointer(s.urgentPointer());
    int at = writeOptions(s, tcp);
    while (at < headerLength) tcp.byteAt(at++, 0);
    byte[] payload = s.payload();
    tcp.copyIn(headerLength, payload, 0, payload.length);
    tcp.fillChecksum(s.srcAddr(), s.dstAddr());
    return total;
  }

  /** Writes the options from byte 20 on, RFC 9293 §3.2; returns the index after the last one. */
  private static int writeOptions(Segment s, TcpHeader tcp) {
    int at = TcpHeader.OPTIONS;
    for (TcpOption o : s.options()) {
      tcp.byteAt(at, o.kind());
      if (o.wireLength() > 1) tcp.byteAt(at + 1, o.wireLength());
      int data = at + 2;
      switch (o) {
        case TcpOption.Eol _ -> {}
        case TcpOption.Nop _ -> {}
        case TcpOption.Mss mss -> tcp.put16(data, mss.mss());
        case TcpOption.WindowScale ws -> tcp.put8(data, ws.shift());
        case TcpOption.SackPermitted _ -> {}
        case TcpOption.Sack sack -> {
          int b = data;
          for (TcpOption.SackBlock block : sack.blocks()) {
            tcp.put32(b, block.left());
            tcp.put32(b + 4, block.right());
            b += 8;
          }
        }
        case TcpOption.Timestamp ts -> {
          tcp.put32(data, ts.tsVal());
          tcp.put32(data + 4, ts.tsEcr());
        }
        case TcpOption.Unknown u -> {
          byte[] raw = u.data();
          tcp.copyIn(data, raw, 0, raw.length);
        }
      }
      at += o.wireLength();
    }
    return at;
  }
}
