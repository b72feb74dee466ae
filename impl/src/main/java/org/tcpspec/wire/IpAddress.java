package org.tcpspec.wire;

import java.net.InetAddress;

/**
 * An IP address of either family as 128 bits, the way a dual-stack socket sees it (RFC 4291
 * §2.5.5.2): an IPv6 address as its two big-endian halves, an IPv4 address a.b.c.d as the
 * IPv4-mapped IPv6 address ::ffff:a.b.c.d. One representation lets the stack key connections of both
 * families the same way, allocation-free, on two longs; a packet's family follows from its
 * addresses, since the wire never carries a mapped address inside IPv6 ({@link SegmentReader}
 * drops such packets).
 *
 * @param high the first 64 bits, big-endian
 * @param low the last 64 bits, big-endian
 */
public record IpAddress(long high, long low) {

  /** The upper 32 bits of {@link #low} of an IPv4-mapped address: 0x0000ffff. */
  private static final long MAPPED_MARK = 0xFFFFL;

  /** :: (RFC 4291 §2.5.2), the IPv6 wildcard. */
  public static final IpAddress IPV6_UNSPECIFIED = new IpAddress(0, 0);

  /** The IPv4 address {@code address} (big-endian int, 192.0.2.1 is 0xC0000201), as ::ffff:a.b.c.d. */
  public static IpAddress ipv4(int address) {
    return new IpAddress(0, lowOfIpv4(address));
  }

  /** The low half of the mapped form of an IPv4 address: what an IPv4 packet's address reads as. */
  public static long lowOfIpv4(int address) {
    return (MAPPED_MARK << 32) | (address & 0xFFFF_FFFFL);
  }

  /** Whether (high, low) is an IPv4-mapped address, i.e. stands for an IPv4 address. */
  public static boolean isIpv4(long high, long low) {
    return high == 0 && (low >>> 32) == MAPPED_MARK;
  }

  /** The 16 bytes of an IPv6 address in network order. */
  public static IpAddress of(byte[] bytes) {
    if (bytes.length == 4) return ipv4(((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16)
        | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF));
    if (bytes.length != 16) throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + bytes.length);
    long h = 0;
    long l = 0;
    for (int i = 0; i < 8; i++) h = (h << 8) | (bytes[i] & 0xFF);
    for (int i = 8; i < 16; i++) l = (l << 8) | (bytes[i] & 0xFF);
    return new IpAddress(h, l);
  }

  /**
   * Parses a literal: a dotted quad ("192.0.2.1", an IPv4 address) or IPv6 text ("2001:db8::2",
   * "::ffff:192.0.2.1" being the IPv4 address). Never a name lookup.
   *
   * @throws IllegalArgumentException when {@code text} is neither
   */
  public static IpAddress parse(String text) {
    String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    try {
      return of(InetAddress.ofLiteral(t).getAddress());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an IP address: " + text, e);
    }
  }

  /** Whether this stands for an IPv4 address (it is IPv4-mapped). */
  public boolean isIpv4() {
    return isIpv4(high, low);
  }

  /** The IPv4 address as a big-endian int; meaningful only when {@link #isIpv4()}. */
  public int ipv4() {
    return (int) low;
  }

  /** The 16 bytes of the IPv6 form in network order. */
  public byte[] bytes() {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (high >>> (56 - 8 * i));
      b[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    return b;
  }

  /** The 16-bit group {@code i} (0..7) of the IPv6 form. */
  int group(int i) {
    long half = i < 4 ? high : low;
    return (int) (half >>> (48 - 16 * (i % 4))) & 0xFFFF;
  }

  /**
   * A dotted quad for an IPv4 address; otherwise RFC 5952 §4 text: lower-case hex, no leading zeros,
   * the longest run of two or more zero groups (the first of equal runs) as "::".
   */
  @Override
  public String toString() {
    if (isIpv4()) {
      int a = ipv4();
      return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (group(i) != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && group(j) == 0) j++;
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        b.append("::");
        i += bestLength - 1;
        continue;
      }
      if (b.length() > 0 && b.charAt(b.length() - 1) != ':') b.append(':');
      b.append(Integer.toHexString(group(i)));
    }
    return b.toString();
  }
}
