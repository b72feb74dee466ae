package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A flyweight view of an IPv4 packet (RFC 791 §3.1): named field offsets, getters {@code ttl()},
 * fluent setters {@code ttl(v)}, big-endian, no allocation per packet. The window spans the
 * header and what follows it, so {@link #length()} is the number of bytes actually present,
 * which the parser compares with {@link #totalLength()}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Flags (3 bits): bit 0 reserved, bit 1 DF (don't fragment), bit 2 MF (more fragments). The Type
 * of Service byte is today the DS field (RFC 2474) and the ECN field (RFC 3168); it is read and
 * written whole.
 *
 * <p>Contract (see {@link HeaderView}): {@code wrap} requires at least {@link #MIN_LENGTH} bytes
 * inside the backing and throws otherwise; after that no getter or setter can fail. Setters keep
 * the low bits that fit the field. The checksum methods cover {@link #headerLength()} bytes; when
 * IHL claims more bytes than the window holds, {@link #headerChecksumValid()} is false and {@link
 * #fillHeaderChecksum()} throws.
 */
public final class Ipv4Header extends HeaderView {

  /** Version (high nibble) and IHL in 32-bit words (low nibble). */
  public static final int VERSION_IHL = 0;
  /** Type of Service (DS field and ECN). */
  public static final int TOS = 1;
  /** Total length of the datagram in bytes, header included. */
  public static final int TOTAL_LENGTH = 2;
  public static final int IDENTIFICATION = 4;
  /** Flags (top 3 bits) and fragment offset in 8-byte units (low 13 bits). */
  public static final int FLAGS_FRAGMENT_OFFSET = 6;
  public static final int TTL = 8;
  public static final int PROTOCOL = 9;
  public static final int HEADER_CHECKSUM = 10;
  public static final int SRC_ADDR = 12;
  public static final int DST_ADDR = 16;
  /** First byte after the fixed header: IP options, if IHL > 5. */
  public static final int OPTIONS = 20;
  /** The fixed header, IHL 5. */
  public static final int MIN_LENGTH = 20;

  /** Flag bit DF within the 3-bit flags field. */
  public static final int FLAG_DF = 0b010;
  /** Flag bit MF within the 3-bit flags field. */
  public static final int FLAG_MF = 0b001;

  /** A view over 20 zero bytes until the first {@code wrap}. */
  public Ipv4Header() {
    super(MIN_LENGTH);
  }

  @Override
  int minLength() {
    return MIN_LENGTH;
  }

  public Ipv4Header wrap(byte[] bytes, int offset, int length) {
    wrapArray(bytes, offset, length);
    return this;
  }

  /** Wraps absolute indices of the buffer; its position, limit and byte order are ignored. */
  public Ipv4Header wrap(ByteBuffer bytes, int offset, int length) {
    wrapBuffer(bytes, offset, length);
    return this;
  }

  public Ipv4Header wrap(MemorySegment bytes, long offset, int length) {
    wrapMemory(bytes, offset, length);
    return this;
  }

  public int version() {
    return u8(VERSION_IHL) >>> 4;
  }

  public Ipv4Header version(int v) {
    put8(VERSION_IHL, (v & 0xF) << 4 | (u8(VERSION_IHL) & 0xF));
    return this;
  }

  /** Internet Header Length in 32-bit words. */
  public int ihl() {
    return u8(VERSION_IHL) & 0xF;
  }

  public Ipv4Header ihl(int words) {
    put8(VERSION_IHL, (u8(VERSION_IHL) & 0xF0) | (words & 0xF));
    return this;
  }

  /** IHL in bytes (may exceed {@link #length()} in a malformed packet). */
  public int headerLength() {
    return ihl() * 4;
  }

  public int tos() {
    return u8(TOS);
  }

  public Ipv4Header tos(int v) {
    put8(TOS, v);
    return this;
  }

  public int totalLength() {
    return u16(TOTAL_LENGTH);
  }

  public Ipv4Header totalLength(int v) {
    put16(TOTAL_LENGTH, v);
    return this;
  }

  public int identification() {
    return u16(IDENTIFICATION);
  }

  public Ipv4Header identification(int v) {
    put16(IDENTIFICATION, v);
    return this;
  }

  /** The 3-bit flags field: reserved, DF, MF. */
  public int flags() {
    return u8(FLAGS_FRAGMENT_OFFSET) >>> 5;
  }

  public Ipv4Header flags(int v) {
    put8(FLAGS_FRAGMENT_OFFSET, (v & 0x7) << 5 | (u8(FLAGS_FRAGMENT_OFFSET) & 0x1F));
    return this;
  }

  public boolean dontFragment() {
    return (flags() & FLAG_DF) != 0;
  }

  public Ipv4Header dontFragment(boolean df) {
    return flags(df ? flags() | FLAG_DF : flags() & ~FLAG_DF);
  }

  public boolean moreFragments() {
    return (flags() & FLAG_MF) != 0;
  }

  public Ipv4Header moreFragments(boolean mf) {
    return flags(mf ? flags() | FLAG_MF : flags() & ~FLAG_MF);
  }

  /** Fragment offset in units of 8 bytes. */
  public int fragmentOffset() {
    return u16(FLAGS_FRAGMENT_OFFSET) & 0x1FFF;
  }

  public Ipv4Header fragmentOffset(int units) {
    put16(FLAGS_FRAGMENT_OFFSET, (u16(FLAGS_FRAGMENT_OFFSET) & 0xE000) | (units & 0x1FFF));
    return this;
  }

  public int ttl() {
    return u8(TTL);
  }

  public Ipv4Header ttl(int v) {
    put8(TTL, v);
    return this;
  }

  public int protocol() {
    return u8(PROTOCOL);
  }

  public Ipv4Header protocol(int v) {
    put8(PROTOCOL, v);
    return this;
  }

  public int headerChecksum() {
    return u16(HEADER_CHECKSUM);
  }

  public Ipv4Header headerChecksum(int v) {
    put16(HEADER_CHECKSUM, v);
    return this;
  }

  /** Source address as a big-endian int (192.0.2.1 is 0xC0000201). */
  public int srcAddr() {
    return u32(SRC_ADDR);
  }

  public Ipv4Header srcAddr(int v) {
    put32(SRC_ADDR, v);
    return this;
  }

  public int dstAddr() {
    return u32(DST_ADDR);
  }

  public Ipv4Header dstAddr(int v) {
    put32(DST_ADDR, v);
    return this;
  }

  /** Whether IHL lies in [5, 15] words and the window holds that many bytes. */
  public boolean headerLengthValid() {
    return ihl() >= 5 && headerLength() <= length();
  }

  /**
   * The checksum the header should carry: RFC 791 §3.1 "the 16 bit one's complement of the one's
   * complement sum of all 16 bit words in the header", the checksum field taken as zero.
   */
  public int computeHeaderChecksum() {
    requireHeaderLength();
    int sum = InternetChecksum.add(sum(0, HEADER_CHECKSUM), sum(SRC_ADDR, headerLength() - SRC_ADDR));
    return InternetChecksum.checksum(sum);
  }

  /** Whether the header checksum verifies; false when IHL is invalid for this window. */
  public boolean headerChecksumValid() {
    return headerLengthValid() && InternetChecksum.verifies(sum(0, headerLength()));
  }

  /** Computes and stores the header checksum; requires a valid IHL. */
  public Ipv4Header fillHeaderChecksum() {
    return headerChecksum(computeHeaderChecksum());
  }

  private void requireHeaderLength() {
    if (!headerLengthValid()) {
      throw new IllegalStateException(
          "IHL " + ihl() + " does not fit a window of " + length() + " bytes");
    }
  }
}
