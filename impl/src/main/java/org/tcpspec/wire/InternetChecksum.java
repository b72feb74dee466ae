package org.tcpspec.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of
 * the data taken as big-endian 16-bit words. IPv4 covers its header with it (RFC 791 §3.1); TCP
 * covers the pseudo-header, the TCP header and the payload (RFC 9293 §3.1).
 *
 * <p>Sums here are "folded": the end-around carries are added back until 16 bits remain (RFC 1071
 * §4.1), so two partial sums combine with {@link #add}. Partial sums of adjacent chunks combine
 * correctly when every chunk but the last has even length (RFC 1071 §2 (B), byte-order
 * independence aside, needs word alignment).
 *
 * <p>Checking: data that carries its correct checksum sums to 0xFFFF (RFC 1071 §1 (3)).
 */
public final class InternetChecksum {
  private InternetChecksum() {}

  /** IP protocol number of TCP (the pseudo-header's PTCL field). */
  public static final int PROTOCOL_TCP = 6;

  /** Big-endian longs read straight from a byte array, at any index. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * The folded ones' complement sum of {@code length} bytes at {@code offset}. Eight bytes at a
   * time, as two 32-bit words: RFC 1071 §2 (C) "parallel summation" over wider words gives the
   * same folded sum, and the 64-bit accumulator cannot overflow below 2^28 iterations.
   */
  public static int sum(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    long acc = 0;
    int i = offset;
    int end = offset + length;
    for (; i + 7 < end; i += 8) {
      long v = (long) LONGS.get(data, i);
      acc += (v >>> 32) + (v & 0xFFFF_FFFFL);
    }
    for (; i + 1 < end; i += 2) acc += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
    if (i < end) acc += (data[i] & 0xFF) << 8;
    return fold(acc);
  }

  /**
   * The folded sum of the TCP pseudo-header, RFC 9293 §3.1: source address, destination address,
   * zero, PTCL, TCP length (header plus data, in bytes, not counting the pseudo-header).
   */
  public static int pseudoHeaderSum(int srcAddr, int dstAddr, int protocol, int tcpLength) {
    long acc = (srcAddr >>> 16) + (srcAddr & 0xFFFF) + (dstAddr >>> 16) + (dstAddr & 0xFFFF);
    acc += (protocol & 0xFF) + (tcpLength & 0xFFFF);
    return fold(acc);
  }

  /**
   * The folded pseudo-header sum for addresses of either family in {@link IpAddress}'s 128-bit
   * form: IPv4's (RFC 9293 §3.1) when both are IPv4-mapped, else IPv6's (RFC 8200 §8.1): source
   * address, destination address, the upper-layer packet length as 32 bits, three zero bytes, the
   * next header. Allocation-free.
   */
  public static int pseudoHeaderSum(long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol,
      int length) {
    if (IpAddress.isIpv4(srcHigh, srcLow) && IpAddress.isIpv4(dstHigh, dstLow)) {
      return pseudoHeaderSum((int) srcLow, (int) dstLow, protocol, length);
    }
    long acc = words(srcHigh) + words(srcLow) + words(dstHigh) + words(dstLow);
    acc += (length >>> 16) + (length & 0xFFFF) + (protocol & 0xFF);
    return fold(acc);
  }

  /** The sum of the four 16-bit words of {@code v}. */
  private static long words(long v) {
    return (v >>> 48) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
  }

  /** Ones' complement addition of two folded sums. */
  public static int add(int a, int b) {
    return fold((long) a + b);
  }

  /** The checksum field value for data whose folded sum (checksum field zeroed) is {@code sum}. */
  public static int checksum(int sum) {
    return ~sum & 0xFFFF;
  }

  /** The checksum of {@code length} bytes at {@code offset}, RFC 1071 §4.1. */
  public static int compute(byte[] data, int offset, int length) {
    return checksum(sum(data, offset, length));
  }

  /** Whether data that includes its checksum field verifies (sums to 0xFFFF). */
  public static boolean verifies(int sumIncludingChecksum) {
    return sumIncludingChecksum == 0xFFFF;
  }

  /** Adds the carries above bit 15 back in until 16 bits remain. */
  static int fold(long acc) {
    while ((acc >>> 16) != 0) acc = (acc & 0xFFFF) + (acc >>> 16);
    return (int) acc;
  }
}
