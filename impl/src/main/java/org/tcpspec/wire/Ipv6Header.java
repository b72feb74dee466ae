package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A flyweight view of an IPv6 packet (RFC 8200 §3): named field offsets, getters, fluent setters,
 * big-endian, no allocation per packet. The window spans the fixed header and what follows it
 * (extension headers, the upper-layer header, data), so {@link #length()} is the number of bytes
 * present, which {@link SegmentReader} compares with {@link #payloadLength()}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                         Source Address (128 bits)             +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                      Destination Address (128 bits)           +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Addresses are read and written as their two 64-bit halves ({@link IpAddress}'s form). The Traffic
 * Class byte is the DS field and ECN, as IPv4's Type of Service. The payload length counts every
 * byte after the fixed 40, extension headers included.
 *
 * <p>Contract (see {@link HeaderView}): {@code wrap} requires at least {@link #LENGTH} bytes inside
 * the backing and throws otherwise; after that no getter or setter of the fixed header can fail.
 */
public final class Ipv6Header extends HeaderView {

  /** Version (4 bits), Traffic Class (8), Flow Label (20). */
  public static final int VERSION_CLASS_FLOW = 0;
  public static final int PAYLOAD_LENGTH = 4;
  public static final int NEXT_HEADER = 6;
  public static final int HOP_LIMIT = 7;
  public static final int SRC_ADDR = 8;
  public static final int DST_ADDR = 24;
  /** The fixed header: 40 bytes, the first extension or upper-layer header after it. */
  public static final int LENGTH = 40;

  /** Next Header values (IANA protocol numbers) RFC 8200 §4 gives the extension headers. */
  public static final int NEXT_HOP_BY_HOP = 0;
  public static final int NEXT_TCP = InternetChecksum.PROTOCOL_TCP;
  public static final int NEXT_ROUTING = 43;
  public static final int NEXT_FRAGMENT = 44;
  public static final int NEXT_NONE = 59;
  public static final int NEXT_DESTINATION = 60;

  /** A view over 40 zero bytes until the first {@code wrap}. */
  public Ipv6Header() {
    super(LENGTH);
  }

  @Override
  int minLength() {
    return LENGTH;
  }

  public Ipv6Header wrap(byte[] bytes, int offset, int length) {
    wrapArray(bytes, offset, length);
    return this;
  }

  public Ipv6Header wrap(ByteBuffer bytes, int offset, int length) {
    wrapBuffer(bytes, offset, length);
    return this;
  }

  public Ipv6Header wrap(MemorySegment bytes, long offset, int length) {
    wrapMemory(bytes, offset, length);
    return this;
  }

  public int version() {
    return u8(VERSION_CLASS_FLOW) >>> 4;
  }

  public int trafficClass() {
    return (u16(VERSION_CLASS_FLOW) >>> 4) & 0xFF;
  }

  public int flowLabel() {
    return u32(VERSION_CLASS_FLOW) & 0xF_FFFF;
  }

  /** Sets version 6 with this traffic class and flow label (the first word is written whole). */
  public Ipv6Header versionClassFlow(int trafficClass, int flowLabel) {
    put32(VERSION_CLASS_FLOW, (6 << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0xF_FFFF));
    return this;
  }

  public int payloadLength() {
    return u16(PAYLOAD_LENGTH);
  }

  public Ipv6Header payloadLength(int v) {
    put16(PAYLOAD_LENGTH, v);
    return this;
  }

  public int nextHeader() {
    return u8(NEXT_HEADER);
  }

  public Ipv6Header nextHeader(int v) {
    put8(NEXT_HEADER, v);
    return this;
  }

  public int hopLimit() {
    return u8(HOP_LIMIT);
  }

  public Ipv6Header hopLimit(int v) {
    put8(HOP_LIMIT, v);
    return this;
  }

  public long srcAddrHigh() {
    return u64(SRC_ADDR);
  }

  public long srcAddrLow() {
    return u64(SRC_ADDR + 8);
  }

  public long dstAddrHigh() {
    return u64(DST_ADDR);
  }

  public long dstAddrLow() {
    return u64(DST_ADDR + 8);
  }

  public Ipv6Header srcAddr(IpAddress a) {
    put64(SRC_ADDR, a.high());
    put64(SRC_ADDR + 8, a.low());
    return this;
  }

  public Ipv6Header dstAddr(IpAddress a) {
    put64(DST_ADDR, a.high());
    put64(DST_ADDR + 8, a.low());
    return this;
  }

  /** Writes an address given as its halves (the allocation-free form of {@link #srcAddr(IpAddress)}). */
  Ipv6Header srcAddr(long high, long low) {
    put64(SRC_ADDR, high);
    put64(SRC_ADDR + 8, low);
    return this;
  }

  Ipv6Header dstAddr(long high, long low) {
    put64(DST_ADDR, high);
    put64(DST_ADDR + 8, low);
    return this;
  }
}
