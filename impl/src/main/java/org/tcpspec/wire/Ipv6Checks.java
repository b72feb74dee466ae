package org.tcpspec.wire;

import org.tcpspec.wire.SegmentReader.Check;

/**
 * The IPv6 checks of a {@link SegmentReader} (RFC 8200), in {@code ipv6_rcv}'s order: addresses,
 * payload length, then the extension headers up to TCP as {@code ip6_input_finish} walks them, and
 * the reason text for each of these checks. One per reader, made with it: a check records the
 * offsets its reason quotes in fields, so failing allocates nothing.
 *
 * <p>Decisions, each where the RFCs leave room:
 *
 * <ul>
 *   <li>The payload length must fit the bytes given (the rest is trailing garbage, trimmed as
 *       IPv4's); 0 with a hop-by-hop header would be a jumbogram (RFC 2675), which is dropped. A
 *       multicast or loopback source, a loopback destination ({@code ipv6_rcv}, RFC 4291 §2.5.3,
 *       §2.7) and an IPv4-mapped address on either side (RFC 4291 §2.5.5.2: it stands for an IPv4
 *       node; Linux's {@code tcp_v6_conn_request} drops a SYN from one) are dropped.
 *   <li>Extension headers, as Linux walks them: hop-by-hop options only as the first header (a
 *       later one is an unknown next header to {@code ip6_input_finish}); hop-by-hop and
 *       destination options parsed as {@code ip6_parse_tlv} does (Pad1 and PadN up to 7 bytes in a
 *       row, PadN's bytes zero, at most 8 other options, an unknown option skipped only when its
 *       two high type bits are 00, RFC 8200 §4.2); a routing header skipped when its segments left
 *       is 0 and dropped otherwise (we are no router, {@code ipv6_rthdr_rcv}); an atomic fragment
 *       (offset 0, M clear) skipped as {@code ipv6_frag_rcv} does (RFC 6946), any other fragment
 *       dropped (no reassembly); No Next Header and every other next header than TCP dropped.
 * </ul>
 */
final class Ipv6Checks {

  /** Linux's net.ipv6.max_hbh_opts_number and max_dst_opts_number (IP6_DEFAULT_MAX_*_OPTS_CNT). */
  private static final int MAX_TLV_OPTIONS = 8;

  /** For reasons: the next header and its offset where the walk stopped, the TLV offset at fault. */
  private int nextHeader;
  private int extensionAt;
  private int optionAt;
  /** After a pass: where the TCP header starts and where the payload length ends it. */
  private int tcpAt;
  private int end;

  /**
   * The checks on the wrapped IPv6 view {@code h} (the version known to be 6, the fixed header
   * present): the check failed, or null when the packet passes, {@link #tcpAt()} and {@link
   * #tcpLength()} then saying where its TCP segment lies.
   */
  Check check(Ipv6Header h) {
    long sh = h.srcAddrHigh();
    long sl = h.srcAddrLow();
    long dh = h.dstAddrHigh();
    long dl = h.dstAddrLow();
    if ((sh >>> 56) == 0xFF) return Check.IPV6_SOURCE_MULTICAST;
    if (sh == 0 && sl == 1) return Check.IPV6_SOURCE_LOOPBACK;
    if (dh == 0 && dl == 1) return Check.IPV6_DESTINATION_LOOPBACK;
    if (IpAddress.isIpv4(sh, sl)) return Check.IPV6_SOURCE_IPV4_MAPPED;
    if (IpAddress.isIpv4(dh, dl)) return Check.IPV6_DESTINATION_IPV4_MAPPED;
    int payload = h.payloadLength();
    if (payload == 0 && h.nextHeader() == Ipv6Header.NEXT_HOP_BY_HOP) return Check.IPV6_JUMBOGRAM;
    if (Ipv6Header.LENGTH + payload > h.length()) return Check.IPV6_PAYLOAD_LENGTH_EXCEEDS;
    end = Ipv6Header.LENGTH + payload;
    int at = Ipv6Header.LENGTH;
    nextHeader = h.nextHeader();
    extensionAt = Ipv6Header.NEXT_HEADER;
    while (nextHeader != Ipv6Header.NEXT_TCP) {
      int header = nextHeader;
      switch (header) {
        case Ipv6Header.NEXT_HOP_BY_HOP, Ipv6Header.NEXT_DESTINATION -> {
          if (header == Ipv6Header.NEXT_HOP_BY_HOP && at != Ipv6Header.LENGTH) {
            return Check.IPV6_HOP_BY_HOP_NOT_FIRST;
          }
          if (at + 2 > end || at + extensionLength(h, at) > end) return extensionAt(at, Check.IPV6_EXTENSION_TRUNCATED);
          Check bad = checkTlvOptions(h, at + 2, at + extensionLength(h, at));
          if (bad != null) return bad;
        }
        case Ipv6Header.NEXT_ROUTING -> {
          if (at + 8 > end || at + extensionLength(h, at) > end) return extensionAt(at, Check.IPV6_EXTENSION_TRUNCATED);
          if (h.byteAt(at + 3) != 0) return extensionAt(at, Check.IPV6_ROUTING_SEGMENTS_LEFT);
        }
        case Ipv6Header.NEXT_FRAGMENT -> {
          // RFC 8200 §4.5: 8 bytes; offset (13 bits) and M (the low bit) in bytes 2..3.
          if (at + 8 > end) return extensionAt(at, Check.IPV6_EXTENSION_TRUNCATED);
          if ((h.u16(at + 2) & 0xFFF9) != 0) return extensionAt(at, Check.IPV6_FRAGMENT);
        }
        case Ipv6Header.NEXT_NONE -> {
          return Check.IPV6_NO_NEXT_HEADER;
        }
        default -> {
          return Check.IPV6_NEXT_HEADER;
        }
      }
      nextHeader = h.byteAt(at);
      extensionAt = at;
      at += header == Ipv6Header.NEXT_FRAGMENT ? 8 : extensionLength(h, at);
    }
    tcpAt = at;
    return null;
  }

  /** Where the TCP header starts in the IPv6 view, after a pass. */
  int tcpAt() {
    return tcpAt;
  }

  /** The bytes from the TCP header to the end the payload length gives, after a pass. */
  int tcpLength() {
    return end - tcpAt;
  }

  /** An options, routing header's length: (Hdr Ext Len + 1) * 8 bytes (RFC 8200 §4.3, §4.4, §4.6). */
  private static int extensionLength(Ipv6Header h, int at) {
    return (h.byteAt(at + 1) + 1) * 8;
  }

  private Check extensionAt(int at, Check check) {
    extensionAt = at;
    return check;
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

  /**
   * The reason for {@code check}, one {@link #check} returned for the view {@code h}, with the
   * values seen; offsets count from the IPv6 header's first byte (allocates: for {@link
   * SegmentReader#malformed()} only).
   */
  String reason(Check check, Ipv6Header h) {
    return switch (check) {
      case IPV6_PAYLOAD_LENGTH_EXCEEDS -> "payload length " + h.payloadLength() + " exceeds the "
          + (h.length() - Ipv6Header.LENGTH) + " bytes present after the header";
      case IPV6_JUMBOGRAM -> "payload length 0 with a hop-by-hop header: jumbograms (RFC 2675) are not taken";
      case IPV6_SOURCE_MULTICAST -> "source " + source(h) + " is multicast (RFC 4291 §2.7)";
      case IPV6_SOURCE_LOOPBACK -> "source ::1 from outside (RFC 4291 §2.5.3)";
      case IPV6_SOURCE_IPV4_MAPPED -> "source " + source(h) + " is IPv4-mapped (RFC 4291 §2.5.5.2)";
      case IPV6_DESTINATION_LOOPBACK -> "destination ::1 from outside (RFC 4291 §2.5.3)";
      case IPV6_DESTINATION_IPV4_MAPPED -> "destination " + new IpAddress(h.dstAddrHigh(), h.dstAddrLow())
          + " is IPv4-mapped (RFC 4291 §2.5.5.2)";
      case IPV6_EXTENSION_TRUNCATED -> "truncated: the extension header at byte " + extensionAt
          + " runs past the payload length";
      case IPV6_HOP_BY_HOP_NOT_FIRST -> "a hop-by-hop options header after another header (RFC 8200 §4.1)";
      case IPV6_OPTION_MALFORMED -> "the option at byte " + optionAt + " runs past its header";
      case IPV6_OPTION_PADDING -> "padding at byte " + optionAt + ": more than 7 bytes in a row or PadN not zero";
      case IPV6_OPTION_TOO_MANY -> "more than " + MAX_TLV_OPTIONS + " options in one header";
      case IPV6_OPTION_UNRECOGNIZED -> "option type " + SegmentReader.hex(h.byteAt(optionAt)) + " at byte " + optionAt
          + " is unknown and its action bits discard the packet (RFC 8200 §4.2)";
      case IPV6_ROUTING_SEGMENTS_LEFT -> "a routing header at byte " + extensionAt + " with "
          + h.byteAt(extensionAt + 3) + " segments left: we are no router (RFC 8200 §4.4)";
      case IPV6_FRAGMENT -> "a fragment at byte " + extensionAt + ": fragments are not reassembled";
      case IPV6_NO_NEXT_HEADER -> "next header 59 (No Next Header): nothing to deliver";
      case IPV6_NEXT_HEADER -> "next header " + nextHeader + " after byte " + extensionAt + ", expected 6 (TCP)";
      default -> throw new IllegalArgumentException(check + " is not one of the IPv6 checks");
    };
  }

  private static IpAddress source(Ipv6Header h) {
    return new IpAddress(h.srcAddrHigh(), h.srcAddrLow());
  }
}
