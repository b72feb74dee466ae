package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
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
 * a {@link Segment}. The option list is read where it lies by a {@link TcpOptionList}: the timestamps
 * option is located once during the wrap, since the data path needs it for every segment; the
 * other options are decoded only when {@link #options()} is asked for (allocating, for the
 * handshake and traces). The IPv6 checks, extension headers included, are an {@link Ipv6Checks}'s.
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
 *   <li>Options (RFC 9293 §3.2): an illegal option length ends the list there, the options before
 *       it and the segment kept; a known kind with a length that kind does not have is kept as
 *       {@link TcpOption.Unknown} (the details in {@link TcpOptionList}).
 *   <li>IPv6 (RFC 8200): trailing garbage trimmed as IPv4's; jumbograms, fragments, routing headers
 *       with segments left, other next headers than TCP, options whose action bits discard the
 *       packet, multicast, loopback and IPv4-mapped addresses dropped, as Linux's {@code ipv6_rcv}
 *       and {@code ip6_input_finish} do (the details in {@link Ipv6Checks}).
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

  private final Ipv4Header ip = new Ipv4Header();
  private final Ipv6Header ip6 = new Ipv6Header();
  private final Ipv6Checks ipv6Checks = new Ipv6Checks();
  private boolean ipv6;
  private final TcpHeader tcp = new TcpHeader();
  private final TcpOptionList optionList = new TcpOptionList(tcp);
  private Check failed;
  private long offset;
  private int length;
  private long size;
  private int tcpLength;
  private int tcpHeaderLength;
  private int payloadLength;
  /** Set for one {@link #wrapChecksumOffloaded} call: the TCP checksum is the device's to vouch for. */
  private boolean checksumOffloaded;
  /** The packet buffer whose memory the packets wrapped now lie in, while the event loop delivers its own read. */
  private PacketBuffer lender;

  /** The GSO segment size the packets wrapped from now on came with (see {@link #gsoSize()}); 0 none. */
  private int gsoSize;

  /**
   * The packets wrapped from now on came in GSO packets of segment size {@code size} (0: plain
   * packets); a packet whose payload is not larger than it is a plain one, as Linux's
   * virtio_net_hdr_to_skb takes it.
   */
  public void gsoFrom(int size) {
    gsoSize = size;
  }

  @Override
  public int gsoSize() {
    return payloadLength > gsoSize ? gsoSize : 0;
  }

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

  /** The IPv6 checks on the wrapped IPv6 view ({@link Ipv6Checks}), then those of TCP. */
  private boolean checkIpv6(Ipv6Header h) {
    ipv6 = true;
    Check bad = ipv6Checks.check(h);
    if (bad != null) return fail(bad);
    tcpLength = ipv6Checks.tcpLength();
    if (tcpLength < TcpHeader.MIN_LENGTH) return fail(Check.TCP_TRUNCATED);
    tcp.wrap(h, ipv6Checks.tcpAt(), tcpLength);
    return checkTcp();
  }

  /** RFC 9293 §3.1 on the wrapped TCP view: data offset, then the checksum over pseudo-header, header and data. */
  private boolean checkTcp() {
    if (tcp.dataOffset() < 5) return fail(Check.TCP_DATA_OFFSET_BELOW_MINIMUM);
    if (tcp.headerLength() > tcpLength) return fail(Check.TCP_DATA_OFFSET_TRUNCATED);
    if (!checksumOffloaded && !tcp.checksumValidWith(pseudoHeaderSum())) return fail(Check.TCP_CHECKSUM);
    tcpHeaderLength = tcp.headerLength();
    payloadLength = tcpLength - tcpHeaderLength;
    optionList.scan(tcpHeaderLength);
    failed = null;
    return true;
  }

  /** The reason for {@code check}, with the values seen; those of the IPv6 checks are {@link Ipv6Checks}'s. */
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
      case IPV6_PAYLOAD_LENGTH_EXCEEDS, IPV6_JUMBOGRAM, IPV6_SOURCE_MULTICAST, IPV6_SOURCE_LOOPBACK,
          IPV6_SOURCE_IPV4_MAPPED, IPV6_DESTINATION_LOOPBACK, IPV6_DESTINATION_IPV4_MAPPED,
          IPV6_EXTENSION_TRUNCATED, IPV6_HOP_BY_HOP_NOT_FIRST, IPV6_OPTION_MALFORMED, IPV6_OPTION_PADDING,
          IPV6_OPTION_TOO_MANY, IPV6_OPTION_UNRECOGNIZED, IPV6_ROUTING_SEGMENTS_LEFT, IPV6_FRAGMENT,
          IPV6_NO_NEXT_HEADER, IPV6_NEXT_HEADER -> ipv6Checks.reason(check, ip6);
      case TCP_TRUNCATED -> "truncated: " + tcpLength + " bytes, the TCP header needs 20";
      case TCP_DATA_OFFSET_BELOW_MINIMUM -> "data offset " + tcp.dataOffset()
          + " words is below the minimum of 5";
      case TCP_DATA_OFFSET_TRUNCATED -> "truncated: data offset says " + tcp.headerLength()
          + " header bytes but the segment has " + tcpLength;
      case TCP_CHECKSUM -> "checksum " + hex(tcp.checksum())
          + " does not verify (expected " + hex(tcp.computeChecksumWith(pseudoHeaderSum())) + ")";
    };
  }

  /** The pseudo-header sum of the packet wrapped, either family. */
  private int pseudoHeaderSum() {
    return tcp.pseudoHeaderSum(srcAddrHigh(), srcAddrLow(), dstAddrHigh(), dstAddrLow());
  }

  static String hex(int v) {
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
    return optionList.hasTimestamp();
  }

  @Override
  public int tsVal() {
    return optionList.tsVal();
  }

  @Override
  public int tsEcr() {
    return optionList.tsEcr();
  }

  @Override
  public int sackBlockCount() {
    return optionList.sackBlockCount();
  }

  @Override
  public int sackLeft(int i) {
    return optionList.sackLeft(i);
  }

  @Override
  public int sackRight(int i) {
    return optionList.sackRight(i);
  }

  /** Up to where the wrap stopped reading (EOL, a bad length, the data offset): what {@link #options()} decodes. */
  @Override
  public int optionsLength() {
    return optionList.length();
  }

  /** The options in wire order up to where the wrap stopped reading, so decoding cannot fail. */
  @Override
  public List<TcpOption> options() {
    return optionList.decodeAll();
  }

  /**
   * Looks for the option's kind in the raw bytes first, so that asking for an option the segment
   * lacks (SACK blocks on an ordinary ACK, say) allocates nothing; only a present one is decoded.
   */
  @Override
  public <T extends TcpOption> Optional<T> option(Class<T> type) {
    if (!optionList.mayHold(type)) return Optional.empty();
    return SegmentView.super.option(type);
  }

  /** The packetdrill summary of {@link Segment#toString()} (allocates: traces and messages only). */
  @Override
  public String toString() {
    return Segment.copyOf(this).toString();
  }
}
