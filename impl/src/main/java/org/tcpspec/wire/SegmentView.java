package org.tcpspec.wire;

import java.util.List;
import java.util.Optional;

/**
 * What the protocol core reads from a segment, whatever holds it: the immutable {@link Segment}
 * record, a {@link SegmentReader} flyweight over received packet bytes, or the reusable {@link
 * OutboundSegment} the sender fills. The core takes this type so that steady-state data transfer
 * needs no per-segment object (issue #4): a flyweight is valid only until it is re-wrapped, so
 * nothing may keep a view past the call it was passed to (copy it with {@link Segment#copyOf}).
 *
 * <p>Field meanings are those of {@link Segment}. The accessors from {@link #srcAddrHigh()} to {@link
 * #sackRight}, {@link #has}, {@link #segLen()} and the lengths never allocate; {@link #options()}
 * and {@link #option(Class)} may, and are for rare events (option negotiation, traces, tests).
 */
public sealed interface SegmentView permits Segment, SegmentReader, OutboundSegment {
  /** The source address's first 64 bits, in {@link IpAddress}'s form (IPv4 as ::ffff:a.b.c.d). */
  long srcAddrHigh();

  /** The source address's last 64 bits. */
  long srcAddrLow();

  long dstAddrHigh();

  long dstAddrLow();

  /** The source address (allocates, except for the record: not for the data path). */
  default IpAddress srcIp() {
    return new IpAddress(srcAddrHigh(), srcAddrLow());
  }

  /** The destination address (allocates, except for the record: not for the data path). */
  default IpAddress dstIp() {
    return new IpAddress(dstAddrHigh(), dstAddrLow());
  }

  /**
   * The TOS byte (IPv4) or traffic class (IPv6) of the packet: as received (a {@link
   * SegmentReader}: the Diffserv field and the ECN bits, RFC 3168 §5), or, for a segment we send,
   * the Diffserv field an application set (RFC 9293 §3.9.1.9 MUST-48, IP_TOS, IPV6_TCLASS); 0
   * unless the sender set it.
   */
  default int ipTos() {
    return 0;
  }

  /**
   * The TTL (IPv4) or hop limit (IPv6) a segment we send goes with (RFC 9293 §3.9.2 MUST-49,
   * IP_TTL, IPV6_UNICAST_HOPS); Linux's default, net.ipv4.ip_default_ttl, 64, unless the sender set it.
   */
  default int ipTtl() {
    return Ipv4Params.DEFAULT.ttl();
  }

  /** Whether this is an IPv6 segment (its addresses are not IPv4-mapped). */
  default boolean isIpv6() {
    return !IpAddress.isIpv4(dstAddrHigh(), dstAddrLow());
  }

  /** The IPv4 source address as a big-endian int; meaningful for an IPv4 segment only. */
  default int srcAddr() {
    return (int) srcAddrLow();
  }

  /** The IPv4 destination address as a big-endian int; meaningful for an IPv4 segment only. */
  default int dstAddr() {
    return (int) dstAddrLow();
  }

  int srcPort();

  int dstPort();

  int seq();

  int ack();

  int flags();

  int window();

  int urgentPointer();

  int payloadLength();

  /** Copies payload bytes {@code [from, from + len)} to {@code dst[dstOff]}. */
  void copyPayload(int from, byte[] dst, int dstOff, int len);

  /** Whether a well-formed timestamps option (RFC 7323 §3) is present; the first one counts. */
  boolean hasTimestamp();

  /** TSval of the first timestamps option; 0 when there is none. */
  int tsVal();

  /** TSecr of the first timestamps option; 0 when there is none. */
  int tsEcr();

  /** Blocks of the first well-formed SACK option (RFC 2018 §3); 0 when there is none. */
  int sackBlockCount();

  /** Left edge of block {@code i} (from 0) of that SACK option. */
  int sackLeft(int i);

  /** Right edge of block {@code i} of that SACK option. */
  int sackRight(int i);

  /**
   * The GSO segment size of the packet this segment came in, when it stands for a run of segments
   * of that size (a virtio-net header's gso_size: a TUN writer's packet whose payload is larger
   * than it, as packetdrill's {@code --mss} makes them); 0 for a plain packet. Linux's receiver
   * takes it as the peer's segment size (tcp_measure_rcv_mss).
   */
  default int gsoSize() {
    return 0;
  }

  /** Bytes the options take on the wire, before padding to a multiple of 4. */
  int optionsLength();

  /** The options in wire order (allocates for the views; the record holds its list). */
  List<TcpOption> options();

  default boolean has(int flagMask) {
    return TcpFlags.has(flags(), flagMask);
  }

  /** SEG.LEN, RFC 9293 §3.4: payload plus one for SYN and one for FIN. */
  default int segLen() {
    return payloadLength() + (has(TcpFlags.SYN) ? 1 : 0) + (has(TcpFlags.FIN) ? 1 : 0);
  }

  /** The first option of the given type, if present (allocates: not for the data path). */
  default <T extends TcpOption> Optional<T> option(Class<T> type) {
    for (TcpOption o : options()) {
      if (type.isInstance(o)) return Optional.of(type.cast(o));
    }
    return Optional.empty();
  }

  /** TCP header length in bytes: 20 plus the options padded to a 4-byte boundary. */
  default int tcpHeaderLength() {
    return Segment.TCP_MIN_HEADER_LENGTH + ((optionsLength() + 3) & ~3);
  }

  /** The IP header this segment emits with: IPv4's 20 bytes (no options) or IPv6's 40. */
  default int ipHeaderLength() {
    return isIpv6() ? Ipv6Header.LENGTH : Segment.IPV4_HEADER_LENGTH;
  }

  /** Bytes of the packet this segment emits to (IPv4's total length; IPv6's payload length + 40). */
  default int ipTotalLength() {
    return ipHeaderLength() + tcpHeaderLength() + payloadLength();
  }
}
