package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Writes a {@link Segment} as one IPv4 or IPv6 packet (the family of its addresses): exactly {@link
 * Segment#ipTotalLength()} bytes, every one of them written (the buffer may hold an older packet),
 * every checksum correct.
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li>IPv4: version 4, IHL 5 (no IP options), TOS, identification, DF and TTL from {@link
 *       Ipv4Params} when one is given, else ID 0 and DF as {@link Ipv4Params#DEFAULT} with the
 *       segment's own TOS and TTL ({@link SegmentView#ipTos}, {@link SegmentView#ipTtl}: TOS 0 and
 *       TTL 64 unless its socket set them), MF clear, fragment offset 0, protocol 6.
 *   <li>IPv6: version 6, traffic class from the TOS and hop limit from the TTL of {@link
 *       Ipv4Params} (Linux's default hop limit is 64 too), flow label 0, no extension headers, next
 *       header 6.
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
  private final Ipv4Header ipView = new Ipv4Header();
  private final Ipv6Header ip6View = new Ipv6Header();
  private final TcpHeader tcpView = new TcpHeader();

  /**
   * A reusable emitter: its header views are made once, so {@link #write} allocates nothing for a
   * {@link Segment} or an {@link OutboundSegment} (the data path of issue #4). Not thread-safe.
   */
  public SegmentEmitter() {}

  /**
   * Writes the packet at {@code out[offset]} with {@link Ipv4Params#DEFAULT}'s identification and DF
   * and the segment's own TOS and TTL ({@link SegmentView#ipTos}, {@link SegmentView#ipTtl});
   * returns the bytes written.
   */
  public int write(SegmentView s, byte[] out, int offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.length);
    if (s.isIpv6()) return writeOwn(s, ip6View.wrap(out, offset, total), false);
    return writeOwn(s, ipView.wrap(out, offset, total), false);
  }

  private static final int DEFAULT_ID = Ipv4Params.DEFAULT.identification();
  private static final boolean DEFAULT_DF = Ipv4Params.DEFAULT.dontFragment();

  /** The segment's own TOS and TTL with DEFAULT's identification and DF, into the reused views. */
  private int writeOwn(SegmentView s, Ipv4Header ip, boolean partial) {
    return write(s, s.ipTos(), DEFAULT_ID, DEFAULT_DF, s.ipTtl(), ip, tcpView, partial, true);
  }

  private int writeOwn(SegmentView s, Ipv6Header ip, boolean partial) {
    return write(s, s.ipTos(), DEFAULT_ID, DEFAULT_DF, s.ipTtl(), ip, tcpView, partial, true);
  }

  /**
   * Writes the packet at {@code offset} of native memory {@code out} as {@link #write(SegmentView,
   * byte[], int)} does, allocating nothing (a device's transmit buffer); returns the bytes written.
   */
  public int write(SegmentView s, MemorySegment out, long offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.byteSize());
    if (s.isIpv6()) return writeOwn(s, ip6View.wrap(out, offset, total), false);
    return writeOwn(s, ipView.wrap(out, offset, total), false);
  }

  /**
   * {@link #write(SegmentView, MemorySegment, long)} with the TCP checksum left partial: the field
   * holds the pseudo-header's sum only, for a device that completes it or a receiver on this host
   * that need not check it (Linux's CHECKSUM_PARTIAL, tcp_v4_send_check); the payload is not summed.
   */
  public int writeWithPartialChecksum(SegmentView s, MemorySegment out, long offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.byteSize());
    if (s.isIpv6()) return writeOwn(s, ip6View.wrap(out, offset, total), true);
    return writeOwn(s, ipView.wrap(out, offset, total), true);
  }

  /**
   * The IP and TCP headers of {@link #writeWithPartialChecksum}, lengths counting the payload,
   * without the payload, which the device's write gathers from where it lies (see {@link
   * NativeSlices}); returns the bytes written, the headers'.
   */
  public int writeHeadersWithPartialChecksum(SegmentView s, MemorySegment out, long offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.byteSize());
    if (s.isIpv6()) {
      write(s, s.ipTos(), DEFAULT_ID, DEFAULT_DF, s.ipTtl(), ip6View.wrap(out, offset, total), tcpView, true, false);
    } else {
      write(s, s.ipTos(), DEFAULT_ID, DEFAULT_DF, s.ipTtl(), ipView.wrap(out, offset, total), tcpView, true, false);
    }
    return total - s.payloadLength();
  }

  /** A new array holding the packet, with the segment's own TOS and TTL and DEFAULT's other fields. */
  public static byte[] emit(SegmentView s) {
    return emit(s, new Ipv4Params(s.ipTos(), DEFAULT_ID, DEFAULT_DF, s.ipTtl()));
  }

  /** A new array holding the packet. */
  public static byte[] emit(SegmentView s, Ipv4Params ip) {
    byte[] out = new byte[s.ipTotalLength()];
    emit(s, ip, out, 0);
    return out;
  }

  /** Writes the packet at {@code out[offset]}; returns the bytes written. */
  public static int emit(SegmentView s, byte[] out, int offset) {
    return emit(s, new Ipv4Params(s.ipTos(), DEFAULT_ID, DEFAULT_DF, s.ipTtl()), out, offset);
  }

  /** Writes the packet at {@code out[offset]}; returns the bytes written. */
  public static int emit(SegmentView s, Ipv4Params ip, byte[] out, int offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.length);
    if (s.isIpv6()) return write(s, ip, new Ipv6Header().wrap(out, offset, total));
    return write(s, ip, new Ipv4Header().wrap(out, offset, total));
  }

  /**
   * Writes the packet at absolute index {@code offset} of {@code out} (position, limit and byte
   * order untouched); returns the bytes written.
   */
  public static int emit(SegmentView s, Ipv4Params ip, ByteBuffer out, int offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.limit());
    if (s.isIpv6()) return write(s, ip, new Ipv6Header().wrap(out, offset, total));
    return write(s, ip, new Ipv4Header().wrap(out, offset, total));
  }

  /** Writes the packet at {@code offset} of {@code out}; returns the bytes written. */
  public static int emit(SegmentView s, Ipv4Params ip, MemorySegment out, long offset) {
    int total = s.ipTotalLength();
    Objects.checkFromIndexSize(offset, total, out.byteSize());
    if (s.isIpv6()) return write(s, ip, new Ipv6Header().wrap(out, offset, total));
    return write(s, ip, new Ipv4Header().wrap(out, offset, total));
  }

  private static int write(SegmentView s, Ipv4Params params, Ipv4Header ip) {
    return write(s, params.tos(), params.identification(), params.dontFragment(), params.ttl(), ip, new TcpHeader(),
        false, true);
  }

  private static int write(SegmentView s, Ipv4Params params, Ipv6Header ip) {
    return write(s, params.tos(), params.identification(), params.dontFragment(), params.ttl(), ip, new TcpHeader(),
        false, true);
  }

  private static int write(SegmentView s, int tos, int identification, boolean dontFragment, int ttl, Ipv4Header ip,
      TcpHeader tcp, boolean partial, boolean withPayload) {
    int total = s.ipTotalLength();
    ip.version(4)
        .ihl(Segment.IPV4_HEADER_LENGTH / 4)
        .tos(tos)
        .totalLength(total)
        .identification(identification)
        .flags(dontFragment ? Ipv4Header.FLAG_DF : 0)
        .fragmentOffset(0)
        .ttl(ttl)
        .protocol(InternetChecksum.PROTOCOL_TCP)
        .headerChecksum(0)
        .srcAddr(s.srcAddr())
        .dstAddr(s.dstAddr())
        .fillHeaderChecksum();
    tcp.wrap(ip, Segment.IPV4_HEADER_LENGTH, total - Segment.IPV4_HEADER_LENGTH);
    return writeTcp(s, tcp, total, partial, withPayload);
  }

  /** IPv6 (RFC 8200 §3): the TOS is the traffic class, the TTL the hop limit; no identification, no DF. */
  private static int write(SegmentView s, int tos, int identification, boolean dontFragment, int ttl, Ipv6Header ip,
      TcpHeader tcp, boolean partial, boolean withPayload) {
    int total = s.ipTotalLength();
    ip.versionClassFlow(tos, 0)
        .payloadLength(total - Ipv6Header.LENGTH)
        .nextHeader(Ipv6Header.NEXT_TCP)
        .hopLimit(ttl)
        .srcAddr(s.srcAddrHigh(), s.srcAddrLow())
        .dstAddr(s.dstAddrHigh(), s.dstAddrLow());
    tcp.wrap(ip, Ipv6Header.LENGTH, total - Ipv6Header.LENGTH);
    return writeTcp(s, tcp, total, partial, withPayload);
  }

  /** The TCP header, options, payload and checksum into {@code tcp}, wrapped after the IP header. */
  private static int writeTcp(SegmentView s, TcpHeader tcp, int total, boolean partial, boolean withPayload) {
    int headerLength = s.tcpHeaderLength();
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
    if (withPayload) copyPayload(s, tcp, headerLength);
    else if (!partial) throw new IllegalArgumentException("a complete checksum sums the payload");
    int pseudoHeaderSum = tcp.pseudoHeaderSum(s.srcAddrHigh(), s.srcAddrLow(), s.dstAddrHigh(), s.dstAddrLow());
    tcp.checksum(partial ? pseudoHeaderSum : tcp.computeChecksumWith(pseudoHeaderSum));
    return total;
  }

  private static void copyPayload(SegmentView s, TcpHeader tcp, int headerLength) {
    switch (s) {
      case Segment seg -> tcp.copyIn(headerLength, seg.payloadArray(), 0, seg.payloadLength());
      case OutboundSegment o -> o.copyPayloadInto(tcp, headerLength);
      case SegmentReader r -> {
        byte[] payload = new byte[r.payloadLength()];
        r.copyPayload(0, payload, 0, payload.length);
        tcp.copyIn(headerLength, payload, 0, payload.length);
      }
    }
  }

  /** Writes the options from byte 20 on, RFC 9293 §3.2; returns the index after the last one. */
  private static int writeOptions(SegmentView s, TcpHeader tcp) {
    return switch (s) {
      case Segment seg -> writeOptions(seg.options(), tcp);
      case OutboundSegment o -> o.hasExplicitOptions() ? writeOptions(o.options(), tcp) : writeValues(o, tcp);
      case SegmentReader r -> writeOptions(r.options(), tcp);
    };
  }

  /** The per-segment options of an {@link OutboundSegment}, in its NOP-aligned layout, from plain values. */
  private static int writeValues(OutboundSegment o, TcpHeader tcp) {
    int at = TcpHeader.OPTIONS;
    if (o.hasTimestamp()) {
      tcp.byteAt(at, TcpOption.KIND_NOP);
      tcp.byteAt(at + 1, TcpOption.KIND_NOP);
      tcp.byteAt(at + 2, TcpOption.KIND_TIMESTAMP);
      tcp.byteAt(at + 3, 10);
      tcp.put32(at + 4, o.tsVal());
      tcp.put32(at + 8, o.tsEcr());
      at += 12;
    }
    if (o.sackBlockCount() > 0) {
      tcp.byteAt(at, TcpOption.KIND_NOP);
      tcp.byteAt(at + 1, TcpOption.KIND_NOP);
      tcp.byteAt(at + 2, TcpOption.KIND_SACK);
      tcp.byteAt(at + 3, 2 + 8 * o.sackBlockCount());
      at += 4;
      for (int i = 0; i < 2 * o.sackBlockCount(); i++, at += 4) tcp.put32(at, o.sackEdge(i));
    }
    return at;
  }

  private static int writeOptions(List<TcpOption> options, TcpHeader tcp) {
    int at = TcpHeader.OPTIONS;
    for (TcpOption o : options) {
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
