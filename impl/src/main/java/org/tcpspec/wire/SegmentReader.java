package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tcpspec.wire.ParseResult.Malformed;

/**
 * A reusable, allocation-free view of one received TCP packet over IPv4 or IPv6, and the one place
 * where a received packet is validated (smoltcp's {@code new_checked}): {@link #wrap} runs every
 * check, in the order Linux applies them ({@code ip_rcv_core}, then {@code tcp_v4_rcv}; for IPv6
 * {@code ipv6_rcv}, the extension headers of {@code ip6_input_finish}, then {@code tcp_v6_rcv}),
 * each before the access it protects, and then reads every field straight from the bytes, as Aeron's flyweights
 * do. It never throws, whatever the bytes, offset and length. When a wrap fails, {@link
 * #malformed()} names the field and says why; {@link SegmentParser} is this view plus a copy into
 * a {@link Segment}. The timestamps option is located once during the wrap, since the data path
 * needs it for every segment; the other options are decoded only when {@link #options()} is asked
 * for (allocating, for the handshake and traces).
 *
 * <p>Decisions, each where the RFCs leave room:
 *
 * <ul>
 *   <li>The version nibble of the first byte picks the family: 6 is IPv6, anything else goes
 *       down the IPv4 checks (which name a version that is not 4).
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
 *   <li>IPv6 (RFC 8200): the payload length must fit the bytes given (the rest is trailing garbage,
 *       trimmed as IPv4's); 0 with a hop-by-hop header would be a jumbogram (RFC 2675), which is
 *       dropped. A multicast or loopback source, a loopback destination ({@code ipv6_rcv}, RFC 4291
 *       §2.5.3, §2.7) and an IPv4-mapped address on either side (RFC 4291 §2.5.5.2: it stands for
 *       an IPv4 node; Linux's {@code tcp_v6_conn_request} drops a SYN from one) are dropped.
 *   <li>IPv6 extension headers, as Linux walks them: hop-by-hop options only as the first header
 *       (a later one is an unknown next header to {@code ip6_input_finish}); hop-by-hop and
 *       destination options parsed as {@code ip6_parse_tlv} does (Pad1 and PadN up to 7 bytes in a
 *       row, PadN's bytes zero, at most 8 other options, an unknown option skipped only when its
 *       two high type bits are 00, RFC 8200 §4.2); a routing header skipped when its segments left
 *       is 0 and dropped otherwise (we are no router, {@code ipv6_rthdr_rcv}); an atomic fragment
 *       (offset 0, M clear) skipped as {@code ipv6_frag_rcv} does (RFC 6946), any other fragment
 *       dropped (no reassembly); No Next Header and every other next header than TCP dropped.
 *   <li>The TCP checksum of an IPv6 segment covers IPv6's pseudo-header (RFC 8200 §8.1).
 * </ul>
 *
 * <p>The view is valid while the bytes stay unchanged and until the next wrap.
 */
public final class SegmentReader implements SegmentView {

  /**
   * The check a packet failed, with the field it names in {@link Malformed#field()}. A wrap only
   * records the constant (and the numbers the reason quotes), so failing allocates nothing; the
   * reason text is built when {@link #malformed()} is asked for.
   */
  public enum Check {
    BUFFER("buffer"),
    IPV4_TRUNCATED("ipv4"),
    IPV4_VERSION("ipv4.version"),
    IPV4_IHL_BELOW_MINIMUM("ipv4.ihl"),
    IPV4_IHL_TRUNCATED("ipv4.ihl"),
    IPV4_HEADER_CHECKSUM("ipv4.headerChecksum"),
    IPV4_TOTAL_LENGTH_EXCEEDS("ipv4.totalLength"),
    IPV4_TOTAL_LENGTH_BELOW_HEADER("ipv4.totalLength"),
    IPV4_MORE_FRAGMENTS("ipv4.moreFragments"),
    IPV4_FRAGMENT_OFFSET("ipv4.fragmentOffset"),
    IPV4_PROTOCOL("ipv4.protocol"),
    IPV6_TRUNCATED("ipv6"),
    IPV6_PAYLOAD_LENGTH_EXCEEDS("ipv6.payloadLength"),
    IPV6_JUMBOGRAM("ipv6.payloadLength"),
    IPV6_SOURCE_MULTICAST("ipv6.srcAddr"),
    IPV6_SOURCE_LOOPBACK("ipv6.srcAddr"),
    IPV6_SOURCE_IPV4_MAPPED("ipv6.srcAddr"),
    IPV6_DESTINATION_LOOPBACK("ipv6.dstAddr"),
    IPV6_DESTINATION_IPV4_MAPPED("ipv6.dstAddr"),
    IPV6_EXTENSION_TRUNCATED("ipv6.extensionHeader"),
    IPV6_HOP_BY_HOP_NOT_FIRST("ipv6.nextHeader"),
    IPV6_OPTION_MALFORMED("ipv6.options"),
    IPV6_OPTION_PADDING("ipv6.options"),
    IPV6_OPTION_TOO_MANY("ipv6.options"),
    IPV6_OPTION_UNRECOGNIZED("ipv6.options"),
    IPV6_ROUTING_SEGMENTS_LEFT("ipv6.routing"),
    IPV6_FRAGMENT("ipv6.fragment"),
    IPV6_NO_NEXT_HEADER("ipv6.nextHeader"),
    IPV6_NEXT_HEADER("ipv6.nextHeader"),
    TCP_TRUNCATED("tcp"),
    TCP_DATA_OFFSET_BELOW_MINIMUM("tcp.dataOffset"),
    TCP_DATA_OFFSET_TRUNCATED("tcp.dataOffset"),
    TCP_CHECKSUM("tcp.checksum");

    final String field;

    Check(String field) {
      this.field = field;
    }

    /** The header field at fault, as {@link Malformed#field()} names it. */
    public String field() {
      return field;
    }
  }

  /** Linux's net.ipv6.max_hbh_opts_number and max_dst_opts_number (IP6_DEFAULT_MAX_*_OPTS_CNT). */
  private static final int MAX_TLV_OPTIONS = 8;

  private final Ipv4Header ip = new Ipv4Header();
  private final Ipv6Header ip6 = new Ipv6Header();
  private boolean ipv6;
  /** For reasons: the next header and its offset where the IPv6 walk stopped, the TLV offset at fault. */
  private int nextHeader;
  private int extensionAt;
  private int optionAt;
  private final TcpHeader tcp = new TcpHeader();
  private Check failed;
  private long offset;
  private int length;
  private long size;
  private int tcpLength;
  private int tcpHeaderLength;
  /** Where {@link #scanOptions} stopped reading the option list: EOL, a bad length, or the data offset. */
  private int optionsEnd;
  private int payloadLength;
  private boolean timestamp;
  private int tsVal;
  private int tsEcr;
  /** Offset in the TCP header of the first well-formed SACK option's blocks, and their count. */
  private int sackAt;
  private int sackCount;
  /** Set for one {@link #wrapChecksumOffloaded} call: the TCP checksum is the device's to vouch for. */
  private boolean checksumOffloaded;
  /** The packet buffer whose memory the packets wrapped now lie in, while the event loop delivers its own read. */
  private PacketBuffer lender;

  /**
   * The packets wrapped from now on lie in {@code buffer}'s memory (the event loop's own read),
   * whose payload a receive buffer may keep where it lies ({@link PacketBuffer#lend}); null when
   * they do not (a copy in the backlog, an array).
   */
  public void lendFrom(PacketBuffer buffer) {
    lender = buffer;
  }

  /**
   * The packet buffer the wrapped packet's payload lies in, {@code [payloadOffset(),
   * payloadOffset() + payloadLength())} of its memory, when it may be kept there; else null.
   */
  public PacketBuffer lender() {
    return lender != null && tcp.offsetIn(lender.memory()) >= 0 ? lender : null;
  }

  /** Where the payload starts in {@link #lender()}'s memory (only when that is not null). */
  public long payloadOffset() {
    return tcp.offsetIn(lender.memory()) + tcpHeaderLength;
  }

  /** Wraps {@code packet[offset, offset + length)}; false (and nothing usable) if malformed. */
  public boolean wrap(byte[] packet, int offset, int length) {
    Objects.requireNonNull(packet);
    if (!fits(offset, length, packet.length)) return false;
    if (version(packet[offset]) == 6) return length < Ipv6Header.LENGTH ? fail(Check.IPV6_TRUNCATED)
        : checkIpv6(ip6.wrap(packet, offset, length));
    if (length < Ipv4Header.MIN_LENGTH) return fail(Check.IPV4_TRUNCATED);
    ip.wrap(packet, offset, length);
    return checkPacket();
  }

  /** Wraps absolute indices {@code [offset, offset + length)} of the buffer. */
  public boolean wrap(ByteBuffer packet, int offset, int length) {
    Objects.requireNonNull(packet);
    if (!fits(offset, length, packet.limit())) return false;
    if (version(packet.get(offset)) == 6) return length < Ipv6Header.LENGTH ? fail(Check.IPV6_TRUNCATED)
        : checkIpv6(ip6.wrap(packet, offset, length));
    if (length < Ipv4Header.MIN_LENGTH) return fail(Check.IPV4_TRUNCATED);
    ip.wrap(packet, offset, length);
    return checkPacket();
  }

  public boolean wrap(MemorySegment packet, long offset, int length) {
    Objects.requireNonNull(packet);
    if (!fits(offset, length, packet.byteSize())) return false;
    if (version(packet.get(ValueLayout.JAVA_BYTE, offset)) == 6) {
      return length < Ipv6Header.LENGTH ? fail(Check.IPV6_TRUNCATED) : checkIpv6(ip6.wrap(packet, offset, length));
    }
    if (length < Ipv4Header.MIN_LENGTH) return fail(Check.IPV4_TRUNCATED);
    ip.wrap(packet, offset, length);
    return checkPacket();
  }

  /**
   * {@link #wrap(MemorySegment, long, int)} for a packet whose TCP checksum the device vouches for:
   * every check but the TCP checksum. A TUN device with TUN_F_CSUM hands over the local kernel's
   * packets with VIRTIO_NET_HDR_F_NEEDS_CSUM, their checksum field holding only the pseudo-header's
   * sum (CHECKSUM_PARTIAL: the bytes never crossed a wire); Linux's own receive path takes such a
   * packet unverified too (skb_csum_unnecessary).
   */
  public boolean wrapChecksumOffloaded(MemorySegment packet, long offset, int length) {
    checksumOffloaded = true;
    try {
      return wrap(packet, offset, length);
    } finally {
      checksumOffloaded = false;
    }
  }

  /** Which check the last {@link #wrap} failed (allocation-free: for counting drops by reason). */
  public Check failedCheck() {
    if (failed == null) throw new IllegalStateException("the last wrap succeeded");
    return failed;
  }

  /** Why the last {@link #wrap} returned false (allocates: for logs, tests and the record path). */
  public Malformed malformed() {
    if (failed == null) throw new IllegalStateException("the last wrap succeeded");
    return new Malformed(failed.field, reason(failed));
  }

  /**
   * The IP fields a {@link Segment} does not carry, of the packet wrapped last; for IPv6 the traffic
   * class as the TOS, the hop limit as the TTL, no identification and no DF (IPv6 routers never
   * fragment, RFC 8200 §5).
   */
  public Ipv4Params ipv4Params() {
    if (ipv6) return new Ipv4Params(ip6.trafficClass(), 0, false, ip6.hopLimit());
    return new Ipv4Params(ip.tos(), ip.identification(), ip.dontFragment(), ip.ttl());
  }

  @Override
  public int ipTos() {
    return ipv6 ? ip6.trafficClass() : ip.tos();
  }

  @Override
  public int ipTtl() {
    return ipv6 ? ip6.hopLimit() : ip.ttl();
  }

  private boolean fits(long offset, int length, long size) {
    this.offset = offset;
    this.length = length;
    this.size = size;
    if (offset < 0 || length < 0 || offset > size - length) return fail(Check.BUFFER);
    if (length == 0) return fail(Check.IPV4_TRUNCATED);
    return true;
  }

  private static int version(byte first) {
    return (first & 0xFF) >>> 4;
  }

  private boolean fail(Check check) {
    failed = check;
    return false;
  }

  /** The checks after the bounds, on the wrapped IPv4 view. */
  private boolean checkPacket() {
    ipv6 = false;
    // RFC 791 §3.1 and Linux ip_rcv_core: version, IHL, header present, checksum, total length.
    if (ip.version() != 4) return fail(Check.IPV4_VERSION);
    if (ip.ihl() < 5) return fail(Check.IPV4_IHL_BELOW_MINIMUM);
    if (ip.headerLength() > ip.length()) return fail(Check.IPV4_IHL_TRUNCATED);
    if (!ip.headerChecksumValid()) return fail(Check.IPV4_HEADER_CHECKSUM);
    int total = ip.totalLength();
    if (total > ip.length()) return fail(Check.IPV4_TOTAL_LENGTH_EXCEEDS);
    if (total < ip.headerLength()) return fail(Check.IPV4_TOTAL_LENGTH_BELOW_HEADER);
    if (ip.moreFragments()) return fail(Check.IPV4_MORE_FRAGMENTS);
    if (ip.fragmentOffset() != 0) return fail(Check.IPV4_FRAGMENT_OFFSET);
    if (ip.protocol() != InternetChecksum.PROTOCOL_TCP) return fail(Check.IPV4_PROTOCOL);
    tcpLength = total - ip.headerLength();
    if (tcpLength < TcpHeader.MIN_LENGTH) return fail(Check.TCP_TRUNCATED);
    tcp.wrap(ip, ip.headerLength(), tcpLength);
    return checkTcp();
  }

  /**
   * RFC 8200 on the wrapped IPv6 view, in ipv6_rcv's order: version (known to be 6), addresses,
   * payload length; then the extension headers up to TCP.
   */
  private boolean checkIpv6(Ipv6Header h) {
    ipv6 = true;
    long sh = h.srcAddrHigh();
    long sl = h.srcAddrLow();
    long dh = h.dstAddrHigh();
    long dl = h.dstAddrLow();
    if ((sh >>> 56) == 0xFF) return fail(Check.IPV6_SOURCE_MULTICAST);
    if (sh == 0 && sl == 1) return fail(Check.IPV6_SOURCE_LOOPBACK);
    if (dh == 0 && dl == 1) return fail(Check.IPV6_DESTINATION_LOOPBACK);
    if (IpAddress.isIpv4(sh, sl)) return fail(Check.IPV6_SOURCE_IPV4_MAPPED);
    if (IpAddress.isIpv4(dh, dl)) return fail(Check.IPV6_DESTINATION_IPV4_MAPPED);
    int payload = h.payloadLength();
    if (payload == 0 && h.nextHeader() == Ipv6Header.NEXT_HOP_BY_HOP) return fail(Check.IPV6_JUMBOGRAM);
    if (Ipv6Header.LENGTH + payload > h.length()) return fail(Check.IPV6_PAYLOAD_LENGTH_EXCEEDS);
    int end = Ipv6Header.LENGTH + payload;
    int at = Ipv6Header.LENGTH;
    nextHeader = h.nextHeader();
    extensionAt = Ipv6Header.NEXT_HEADER;
    while (nextHeader != Ipv6Header.NEXT_TCP) {
      int header = nextHeader;
      switch (header) {
        case Ipv6Header.NEXT_HOP_BY_HOP, Ipv6Header.NEXT_DESTINATION -> {
          if (header == Ipv6Header.NEXT_HOP_BY_HOP && at != Ipv6Header.LENGTH) {
            return fail(Check.IPV6_HOP_BY_HOP_NOT_FIRST);
          }
          if (at + 2 > end || at + extensionLength(h, at) > end) return extensionTruncated(at);
          Check bad = checkTlvOptions(h, at + 2, at + extensionLength(h, at));
          if (bad != null) return fail(bad);
        }
        case Ipv6Header.NEXT_ROUTING -> {
          if (at + 8 > end || at + extensionLength(h, at) > end) return extensionTruncated(at);
          if (h.byteAt(at + 3) != 0) return extensionAt(at, Check.IPV6_ROUTING_SEGMENTS_LEFT);
        }
        case Ipv6Header.NEXT_FRAGMENT -> {
          // RFC 8200 §4.5: 8 bytes; offset (13 bits) and M (the low bit) in bytes 2..3.
          if (at + 8 > end) return extensionTruncated(at);
          if ((h.u16(at + 2) & 0xFFF9) != 0) return extensionAt(at, Check.IPV6_FRAGMENT);
        }
        case Ipv6Header.NEXT_NONE -> {
          return fail(Check.IPV6_NO_NEXT_HEADER);
        }
        default -> {
          return fail(Check.IPV6_NEXT_HEADER);
        }
      }
      nextHeader = h.byteAt(at);
      extensionAt = at;
      at += header == Ipv6Header.NEXT_FRAGMENT ? 8 : extensionLength(h, at);
    }
    tcpLength = end - at;
    if (tcpLength < TcpHeader.MIN_LENGTH) return fail(Check.TCP_TRUNCATED);
    tcp.wrap(h, at, tcpLength);
    return checkTcp();
  }

  /** An options, routing header's length: (Hdr Ext Len + 1) * 8 bytes (RFC 8200 §4.3, §4.4, §4.6). */
  private static int extensionLength(Ipv6Header h, int at) {
    return (h.byteAt(at + 1) + 1) * 8;
  }

  private boolean extensionTruncated(int at) {
    return extensionAt(at, Check.IPV6_EXTENSION_TRUNCATED);
  }

  private boolean extensionAt(int at, Check check) {
    extensionAt = at;
    return fail(check);
  }

  /**
   * Linux's ip6_parse_tlv over the options {@code [from, to)} of a hop-by-hop or destination
   * options header (RFC 8200 §4.2); null when they pass.
   */
  private Check checkTlvOptions(Ipv6Header h, int from, int to) {
    int padding = 0;
    int options = 0;
    int i = from;
    while (i < to) {
      optionAt = i;
      int type = h.byteAt(i);
      if (type == 0) { // Pad1
        if (++padding > 7) return Check.IPV6_OPTION_PADDING;
        i++;
        continue;
      }
      if (i + 2 > to) return Check.IPV6_OPTION_MALFORMED;
      int length = 2 + h.byteAt(i + 1);
      if (i + length > to) return Check.IPV6_OPTION_MALFORMED;
      if (type == 1) { // PadN: RFC 4942 §2.1.9.5, at most 7 bytes of padding, all zero
        padding += length;
        if (padding > 7) return Check.IPV6_OPTION_PADDING;
        for (int j = i + 2; j < i + length; j++) if (h.byteAt(j) != 0) return Check.IPV6_OPTION_PADDING;
      } else {
        if (++options > MAX_TLV_OPTIONS) return Check.IPV6_OPTION_TOO_MANY;
        // RFC 8200 §4.2: the two high-order bits say what to do with an option one does not know;
        // 00 skips it, the rest discard the packet. We act on none, so every option is unknown.
        if ((type >>> 6) != 0) return Check.IPV6_OPTION_UNRECOGNIZED;
        padding = 0;
      }
      i += length;
    }
    return null;
  }

  /** RFC 9293 §3.1 on the wrapped TCP view: data offset, then the checksum over pseudo-header, header and data. */
  private boolean checkTcp() {
    if (tcp.dataOffset() < 5) return fail(Check.TCP_DATA_OFFSET_BELOW_MINIMUM);
    if (tcp.headerLength() > tcpLength) return fail(Check.TCP_DATA_OFFSET_TRUNCATED);
    if (!checksumOffloaded && !tcp.checksumValidWith(pseudoHeaderSum())) return fail(Check.TCP_CHECKSUM);
    tcpHeaderLength = tcp.headerLength();
    payloadLength = tcpLength - tcpHeaderLength;
    scanOptions();
    failed = null;
    return true;
  }

  /**
   * RFC 9293 §3.2: the option list between byte 20 and the data offset; finds the timestamps and
   * where the list ends, and the first SACK option's blocks. Reading stops at an EOL, and, as Linux's tcp_parse_options, at an option
   * whose length byte is missing, is below 2 ("silly options") or runs past the data offset
   * ("don't parse partial options"): the options before it are kept and so is the segment (RFC 9293
   * MUST-7, "be prepared to handle an illegal option length (e.g., zero)"). Never fails.
   */
  private void scanOptions() {
    timestamp = false;
    tsVal = 0;
    tsEcr = 0;
    sackCount = 0;
    int end = tcpHeaderLength;
    int i = TcpHeader.OPTIONS;
    optionsEnd = end;
    while (i < end) {
      int kind = tcp.byteAt(i);
      if (kind == TcpOption.KIND_EOL) {
        optionsEnd = i;
        return;
      }
      if (kind == TcpOption.KIND_NOP) {
        i++;
        continue;
      }
      int len = i + 1 < end ? tcp.byteAt(i + 1) : 0;
      if (len < 2 || i + len > end) {
        optionsEnd = i;
        return;
      }
      if (kind == TcpOption.KIND_TIMESTAMP && !timestamp && TcpOption.isDefinedLength(kind, len)) {
        timestamp = true;
        tsVal = tcp.u32(i + 2);
        tsEcr = tcp.u32(i + 6);
      }
      if (kind == TcpOption.KIND_SACK && sackCount == 0 && TcpOption.isDefinedLength(kind, len)) {
        sackAt = i + 2;
        sackCount = (len - 2) / 8;
      }
      i += len;
    }
  }


  /** The reason for {@code check}, with the values seen; offsets in option reasons count from the TCP header. */
  private String reason(Check check) {
    return switch (check) {
      case BUFFER -> "offset " + offset + " and length " + length + " do not fit in " + size + " bytes";
      case IPV4_TRUNCATED -> "truncated: " + length + " bytes, the IPv4 header needs 20";
      case IPV4_VERSION -> "version " + ip.version() + ", expected 4 (or 6)";
      case IPV4_IHL_BELOW_MINIMUM -> "IHL " + ip.ihl() + " words is below the minimum of 5";
      case IPV4_IHL_TRUNCATED -> "truncated: IHL says " + ip.headerLength()
          + " header bytes but the packet has " + ip.length();
      case IPV4_HEADER_CHECKSUM -> "checksum " + hex(ip.headerChecksum())
          + " does not verify (expected " + hex(ip.computeHeaderChecksum()) + ")";
      case IPV4_TOTAL_LENGTH_EXCEEDS -> "total length " + ip.totalLength()
          + " exceeds the " + ip.length() + " bytes present";
      case IPV4_TOTAL_LENGTH_BELOW_HEADER -> "total length " + ip.totalLength()
          + " is shorter than the header (" + ip.headerLength() + " bytes)";
      case IPV4_MORE_FRAGMENTS -> "MF set: fragments are not reassembled";
      case IPV4_FRAGMENT_OFFSET -> "fragment offset " + ip.fragmentOffset()
          + " (units of 8 bytes): fragments are not reassembled";
      case IPV4_PROTOCOL -> "protocol " + ip.protocol() + ", expected 6 (TCP)";
      case IPV6_TRUNCATED -> "truncated: " + length + " bytes, the IPv6 header needs 40";
      case IPV6_PAYLOAD_LENGTH_EXCEEDS -> "payload length " + ip6.payloadLength() + " exceeds the "
          + (ip6.length() - Ipv6Header.LENGTH) + " bytes present after the header";
      case IPV6_JUMBOGRAM -> "payload length 0 with a hop-by-hop header: jumbograms (RFC 2675) are not taken";
      case IPV6_SOURCE_MULTICAST -> "source " + ip6Source() + " is multicast (RFC 4291 §2.7)";
      case IPV6_SOURCE_LOOPBACK -> "source ::1 from outside (RFC 4291 §2.5.3)";
      case IPV6_SOURCE_IPV4_MAPPED -> "source " + ip6Source() + " is IPv4-mapped (RFC 4291 §2.5.5.2)";
      case IPV6_DESTINATION_LOOPBACK -> "destination ::1 from outside (RFC 4291 §2.5.3)";
      case IPV6_DESTINATION_IPV4_MAPPED -> "destination " + new IpAddress(ip6.dstAddrHigh(), ip6.dstAddrLow())
          + " is IPv4-mapped (RFC 4291 §2.5.5.2)";
      case IPV6_EXTENSION_TRUNCATED -> "truncated: the extension header at byte " + extensionAt
          + " runs past the payload length";
      case IPV6_HOP_BY_HOP_NOT_FIRST -> "a hop-by-hop options header after another header (RFC 8200 §4.1)";
      case IPV6_OPTION_MALFORMED -> "the option at byte " + optionAt + " runs past its header";
      case IPV6_OPTION_PADDING -> "padding at byte " + optionAt + ": more than 7 bytes in a row or PadN not zero";
      case IPV6_OPTION_TOO_MANY -> "more than " + MAX_TLV_OPTIONS + " options in one header";
      case IPV6_OPTION_UNRECOGNIZED -> "option type " + hex(ip6.byteAt(optionAt)) + " at byte " + optionAt
          + " is unknown and its action bits discard the packet (RFC 8200 §4.2)";
      case IPV6_ROUTING_SEGMENTS_LEFT -> "a routing header at byte " + extensionAt + " with "
          + ip6.byteAt(extensionAt + 3) + " segments left: we are no router (RFC 8200 §4.4)";
      case IPV6_FRAGMENT -> "a fragment at byte " + extensionAt + ": fragments are not reassembled";
      case IPV6_NO_NEXT_HEADER -> "next header 59 (No Next Header): nothing to deliver";
      case IPV6_NEXT_HEADER -> "next header " + nextHeader + " after byte " + extensionAt + ", expected 6 (TCP)";
      case TCP_TRUNCATED -> "truncated: " + tcpLength + " bytes, the TCP header needs 20";
      case TCP_DATA_OFFSET_BELOW_MINIMUM -> "data offset " + tcp.dataOffset()
          + " words is below the minimum of 5";
      case TCP_DATA_OFFSET_TRUNCATED -> "truncated: data offset says " + tcp.headerLength()
          + " header bytes but the segment has " + tcpLength;
      case TCP_CHECKSUM -> "checksum " + hex(tcp.checksum())
          + " does not verify (expected " + hex(tcp.computeChecksumWith(pseudoHeaderSum())) + ")";
    };
  }

  private IpAddress ip6Source() {
    return new IpAddress(ip6.srcAddrHigh(), ip6.srcAddrLow());
  }

  /** The pseudo-header sum of the packet wrapped, either family. */
  private int pseudoHeaderSum() {
    return tcp.pseudoHeaderSum(srcAddrHigh(), srcAddrLow(), dstAddrHigh(), dstAddrLow());
  }

  private static String hex(int v) {
    return String.format("0x%04x", v);
  }

  @Override
  public long srcAddrHigh() {
    return ipv6 ? ip6.srcAddrHigh() : 0;
  }

  @Override
  public long srcAddrLow() {
    return ipv6 ? ip6.srcAddrLow() : IpAddress.lowOfIpv4(ip.srcAddr());
  }

  @Override
  public long dstAddrHigh() {
    return ipv6 ? ip6.dstAddrHigh() : 0;
  }

  @Override
  public long dstAddrLow() {
    return ipv6 ? ip6.dstAddrLow() : IpAddress.lowOfIpv4(ip.dstAddr());
  }

  @Override
  public int srcPort() {
    return tcp.srcPort();
  }

  @Override
  public int dstPort() {
    return tcp.dstPort();
  }

  @Override
  public int seq() {
    return tcp.seq();
  }

  @Override
  public int ack() {
    return tcp.ack();
  }

  @Override
  public int flags() {
    return tcp.flags();
  }

  @Override
  public int window() {
    return tcp.window();
  }

  @Override
  public int urgentPointer() {
    return tcp.urgentPointer();
  }

  @Override
  public int payloadLength() {
    return payloadLength;
  }

  @Override
  public void copyPayload(int from, byte[] dst, int dstOff, int len) {
    Objects.checkFromIndexSize(from, len, payloadLength);
    tcp.copyOut(tcpHeaderLength + from, dst, dstOff, len);
  }

  @Override
  public boolean hasTimestamp() {
    return timestamp;
  }

  @Override
  public int tsVal() {
    return tsVal;
  }

  @Override
  public int tsEcr() {
    return tsEcr;
  }

  @Override
  public int sackBlockCount() {
    return sackCount;
  }

  @Override
  public int sackLeft(int i) {
    Objects.checkIndex(i, sackCount);
    return tcp.u32(sackAt + 8 * i);
  }

  @Override
  public int sackRight(int i) {
    Objects.checkIndex(i, sackCount);
    return tcp.u32(sackAt + 8 * i + 4);
  }

  /** Up to where the wrap stopped reading (EOL, a bad length, the data offset): what {@link #options()} decodes. */
  @Override
  public int optionsLength() {
    return optionsEnd - TcpHeader.OPTIONS;
  }

  /** The options in wire order up to where the wrap stopped reading, so decoding cannot fail. */
  @Override
  public List<TcpOption> options() {
    List<TcpOption> out = new ArrayList<>();
    int i = TcpHeader.OPTIONS;
    while (i < optionsEnd) {
      int kind = tcp.byteAt(i);
      if (kind == TcpOption.KIND_NOP) {
        out.add(new TcpOption.Nop());
        i++;
        continue;
      }
      int len = tcp.byteAt(i + 1);
      out.add(decode(kind, i, len));
      i += len;
    }
    return out;
  }

  /** A known kind with its defined length, else the raw bytes as {@link TcpOption.Unknown}. */
  private TcpOption decode(int kind, int at, int len) {
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

  /**
   * Looks for the option's kind in the raw bytes first, so that asking for an option the segment
   * lacks (SACK blocks on an ordinary ACK, say) allocates nothing; only a present one is decoded.
   */
  @Override
  public <T extends TcpOption> Optional<T> option(Class<T> type) {
    int kind = kindOf(type);
    if (kind >= 0 && !hasKind(kind)) return Optional.empty();
    return SegmentView.super.option(type);
  }

  private static int kindOf(Class<?> type) {
    if (type == TcpOption.Mss.class) return TcpOption.KIND_MSS;
    if (type == TcpOption.WindowScale.class) return TcpOption.KIND_WSCALE;
    if (type == TcpOption.SackPermitted.class) return TcpOption.KIND_SACK_PERMITTED;
    if (type == TcpOption.Sack.class) return TcpOption.KIND_SACK;
    if (type == TcpOption.Timestamp.class) return TcpOption.KIND_TIMESTAMP;
    return -1;
  }

  /** Whether an option of this kind (any length) is in the list the wrap read. */
  private boolean hasKind(int wanted) {
    int i = TcpHeader.OPTIONS;
    while (i < optionsEnd) {
      int kind = tcp.byteAt(i);
      if (kind == wanted) return true;
      i += kind == TcpOption.KIND_NOP ? 1 : tcp.byteAt(i + 1);
    }
    return false;
  }

  /** The packetdrill summary of {@link Segment#toString()} (allocates: traces and messages only). */
  @Override
  public String toString() {
    return Segment.copyOf(this).toString();
  }
}
