package org.tcpspec.wire;

/**
 * 32-bit sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Sequence numbers are plain
 * {@code int}s holding the unsigned 32-bit value; every comparison in the stack goes through this
 * class, which is the only place where wraparound is handled.
 *
 * <p>Comparisons use the sign of the 32-bit difference, as Linux's {@code before()} and {@code
 * after()} do ({@code include/net/tcp.h}), so {@code lt(a, b)} holds when b is less than 2^31
 * ahead of a, and {@code gt(a, b)} is exactly {@code lt(b, a)}. Numbers exactly 2^31 apart are
 * ambiguous: {@code lt} and {@code gt} both hold both ways (RFC 1982 §3.2 leaves that case
 * undefined). The stack never compares numbers that far apart because windows are below 2^30
 * (RFC 7323 §2.3).
 */
public final class SeqNum {
  private SeqNum() {}

  /** a < b in sequence space. */
  public static boolean lt(int a, int b) {
    return a - b < 0;
  }

  /** a =< b in sequence space. */
  public static boolean le(int a, int b) {
    return a - b <= 0;
  }

  /** a > b in sequence space. */
  public static boolean gt(int a, int b) {
    return lt(b, a);
  }

  /** a >= b in sequence space. */
  public static boolean ge(int a, int b) {
    return le(b, a);
  }

  /** a + n modulo 2^32; n may be negative. */
  public static int plus(int a, long n) {
    return (int) (a + n);
  }

  /** How far b is ahead of a (b - a) as a signed 32-bit distance. */
  public static int distance(int a, int b) {
    return b - a;
  }

  /**
   * Whether s lies in the half-open window [start, start + size), RFC 9293 §3.4. A window of size
   * 0 contains nothing; size must be in [0, 2^31).
   */
  public static boolean inWindow(int s, int start, long size) {
    if (size < 0 || size >= (1L << 31)) {
      throw new IllegalArgumentException("window size out of range: " + size);
    }
    return Integer.toUnsignedLong(s - start) < size;
  }

  /** max(a, b) in sequence space. */
  public static int max(int a, int b) {
    return lt(a, b) ? b : a;
  }

  /** min(a, b) in sequence space. */
  public static int min(int a, int b) {
    return lt(a, b) ? a : b;
  }

  /** The unsigned value, for printing and traces. */
  public static long unsigned(int s) {
    return Integer.toUnsignedLong(s);
  }
}
