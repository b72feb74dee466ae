package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A flyweight view of a TCP segment (RFC 9293 §3.1): named field offsets, getters {@code seq()},
 * fluent setters {@code seq(v)}, big-endian, no allocation per packet. The window spans the TCP
 * header and the payload (the whole segment), because the checksum covers both: {@link
 * #length()} is the "TCP length" of the pseudo-header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |     |A|C|E|U|A|P|R|S|F|                               |
 * | Offset|Rsrvd|E|W|C|R|C|S|S|Y|I|            Window             |
 * |       |     | |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               :
 * :                             Data                              :
 * :                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The pseudo-header the checksum also covers (RFC 9293 §3.1): source address, destination
 * address, a zero byte, PTCL (6), TCP length; over IPv6 the 128-bit addresses, a 32-bit length
 * and the next header (RFC 8200 §8.1), see {@link InternetChecksum#pseudoHeaderSum(long, long,
 * long, long, int, int)}.
 *
 * <p>Contract (see {@link HeaderView}): {@code wrap} requires at least {@link #MIN_LENGTH} bytes
 * inside the backing and throws otherwise; after that no getter or setter can fail. Setters keep
 * the low bits that fit the field. Options and payload are reached with {@link #byteAt}, {@link
 * #copyOut} and {@link #copyIn} once {@link #headerLengthValid()} holds.
 */
public final class TcpHeader extends HeaderView {

  public static final int SRC_PORT = 0;
  public static final int DST_PORT = 2;
  public static final int SEQ = 4;
  public static final int ACK = 8;
  /** Data offset in 32-bit words (high nibble), the reserved bits and AE (low bit). */
  public static final int DATA_OFFSET = 12;
  /** The control bits, masks in {@link TcpFlags}. */
  public static final int FLAGS = 13;
  public static final int WINDOW = 14;
  public static final int CHECKSUM = 16;
  public static final int URGENT_POINTER = 18;
  /** First option byte. */
  public static final int OPTIONS = 20;
  /** The fixed header, data offset 5. */
  public static final int MIN_LENGTH = 20;
  /** Data offset 15 words. */
  public static final int MAX_HEADER_LENGTH = 60;

  /** A view over 20 zero bytes until the first {@code wrap}. */
  public TcpHeader() {
    super(MIN_LENGTH);
  }

  @Override
  int minLength() {
    return MIN_LENGTH;
  }

  public TcpHeader wrap(byte[] bytes, int offset, int length) {
    wrapArray(bytes, offset, length);
    return this;
  }

  /** Wraps absolute indices of the buffer; its position, limit and byte order are ignored. */
  public TcpHeader wrap(ByteBuffer bytes, int offset, int length) {
    wrapBuffer(bytes, offset, length);
    return this;
  }

  public TcpHeader wrap(MemorySegment bytes, long offset, int length) {
    wrapMemory(bytes, offset, length);
    return this;
  }

  /**
   * Wraps bytes {@code [offset, offset + length)} of {@code ip}'s window, on the same backing: the
   * TCP segment an IPv4 or IPv6 packet carries.
   */
  public TcpHeader wrap(HeaderView ip, int offset, int length) {
    wrapInside(ip, offset, length);
    return this;
  }

  public int srcPort() {
    return u16(SRC_PORT);
  }

  public TcpHeader srcPort(int v) {
    put16(SRC_PORT, v);
    return this;
  }

  public int dstPort() {
    return u16(DST_PORT);
  }

  public TcpHeader dstPort(int v) {
    put16(DST_PORT, v);
    return this;
  }

  /** Sequence number, unsigned 32-bit in an int (compare with {@link SeqNum}). */
  public int seq() {
    return u32(SEQ);
  }

  public TcpHeader seq(int v) {
    put32(SEQ, v);
    return this;
  }

  public int ack() {
    return u32(ACK);
  }

  public TcpHeader ack(int v) {
    put32(ACK, v);
    return this;
  }

  /** Data offset in 32-bit words. */
  public int dataOffset() {
    return u8(DATA_OFFSET) >>> 4;
  }

  public TcpHeader dataOffset(int words) {
    put8(DATA_OFFSET, (words & 0xF) << 4 | (u8(DATA_OFFSET) & 0xF));
    return this;
  }

  /** Data offset in bytes (may exceed {@link #length()} in a malformed segment). */
  public int headerLength() {
    return dataOffset() * 4;
  }

  /**
   * The three reserved bits between data offset and AE (RFC 9768 §3.1 took the fourth). RFC
   * 9293 §3.1: "must be zero in generated segments and must be ignored in received segments".
   */
  public int reserved() {
    return (u8(DATA_OFFSET) >>> 1) & 0x7;
  }

  public TcpHeader reserved(int v) {
    put8(DATA_OFFSET, (u8(DATA_OFFSET) & 0xF1) | (v & 0x7) << 1);
    return this;
  }

  /** The control bits as an OR of {@link TcpFlags}: byte 13, and AE from byte 12 as bit 8. */
  public int flags() {
    return (u8(DATA_OFFSET) & 1) << 8 | u8(FLAGS);
  }

  public TcpHeader flags(int v) {
    put8(DATA_OFFSET, (u8(DATA_OFFSET) & 0xFE) | (v >>> 8 & 1));
    put8(FLAGS, v);
    return this;
  }

  /** The raw 16-bit window, before any window scaling (RFC 7323 §2.3). */
  public int window() {
    return u16(WINDOW);
  }

  public TcpHeader window(int v) {
    put16(WINDOW, v);
    return this;
  }

  public int checksum() {
    return u16(CHECKSUM);
  }

  public TcpHeader checksum(int v) {
    put16(CHECKSUM, v);
    return this;
  }

  public int urgentPointer() {
    return u16(URGENT_POINTER);
  }

  public TcpHeader urgentPointer(int v) {
    put16(URGENT_POINTER, v);
    return this;
  }

  /** Whether the data offset is at least 5 words and the window holds that many bytes. */
  public boolean headerLengthValid() {
    return dataOffset() >= 5 && headerLength() <= length();
  }

  /** Bytes after the header; 0 when the data offset is invalid. */
  public int payloadLength() {
    return headerLengthValid() ? length() - headerLength() : 0;
  }

  /**
   * The checksum the segment should carry (RFC 9293 §3.1): ones' complement of the sum of the
   * pseudo-header and the whole window, the checksum field taken as zero.
   */
  public int computeChecksum(int srcAddr, int dstAddr) {
    return computeChecksumWith(InternetChecksum.pseudoHeaderSum(srcAddr, dstAddr, InternetChecksum.PROTOCOL_TCP, length()));
  }

  /** Whether the checksum field verifies for these pseudo-header addresses. */
  public boolean checksumValid(int srcAddr, int dstAddr) {
    return checksumValidWith(InternetChecksum.pseudoHeaderSum(srcAddr, dstAddr, InternetChecksum.PROTOCOL_TCP, length()));
  }

  /** Computes and stores the checksum. */
  public TcpHeader fillChecksum(int srcAddr, int dstAddr) {
    return checksum(computeChecksum(srcAddr, dstAddr));
  }

  /** {@link #computeChecksum(int, int)} for addresses of either family (IPv6's pseudo-header for IPv6). */
  public int computeChecksum(IpAddress src, IpAddress dst) {
    return computeChecksumWith(pseudoHeaderSum(src.high(), src.low(), dst.high(), dst.low()));
  }

  /** {@link #checksumValid(int, int)} for addresses of either family. */
  public boolean checksumValid(IpAddress src, IpAddress dst) {
    return checksumValidWith(pseudoHeaderSum(src.high(), src.low(), dst.high(), dst.low()));
  }

  /** The folded pseudo-header sum for this window's length, addresses as {@link IpAddress} halves. */
  int pseudoHeaderSum(long srcHigh, long srcLow, long dstHigh, long dstLow) {
    return InternetChecksum.pseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, InternetChecksum.PROTOCOL_TCP, length());
  }

  /** The checksum for a pseudo-header whose folded sum is {@code pseudoHeaderSum}. */
  int computeChecksumWith(int pseudoHeaderSum) {
    int sum = InternetChecksum.add(pseudoHeaderSum, sum(0, CHECKSUM));
    sum = InternetChecksum.add(sum, sum(CHECKSUM + 2, length() - CHECKSUM - 2));
    return InternetChecksum.checksum(sum);
  }

  boolean checksumValidWith(int pseudoHeaderSum) {
    return InternetChecksum.verifies(InternetChecksum.add(pseudoHeaderSum, sum(0, length())));
  }
}
