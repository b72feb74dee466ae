package org.tcpspec.stack;

import org.tcpspec.wire.IpAddress;

/**
 * SYN cookies (RFC 4987 §3.6) as Linux makes them (net/ipv4/syncookies.c): a listener whose SYN
 * queue is full (tcp_syncookies 1), or always (2), keeps no state for a SYN and puts what it needs
 * into the ISS of its SYN-ACK instead; the ACK completing the handshake brings it back as SEG.ACK
 * - 1. The ISS is
 *
 * <pre>
 *   H(secret0, tuple) + SEG.SEQ + (count &lt;&lt; 24) + ((H(secret1, tuple, count) + mssIndex) mod 2^24)
 * </pre>
 *
 * where count is the minute of the clock: a cookie is good for the minute it was made and the next
 * (MAX_SYNCOOKIE_AGE 2), and mssIndex indexes Linux's table of four MSS values for the
 * connection's address family (net/ipv4/syncookies.c's msstab, or net/ipv6/syncookies.c's). What the 32 bits
 * cannot hold travels in the low 6 bits of our SYN-ACK's TSval when the peer uses timestamps
 * (cookie_init_timestamp), and comes back in the TSecr of its ACK: window scale (0xF for none), SACK
 * permitted, ECN. Without timestamps the connection gets neither window scaling nor SACK. H is
 * SipHash-2-4 keyed with a secret drawn from the stack's, as Linux's siphash over the same words.
 */
final class SynCookies {
  /** IPv4's msstab (net/ipv4/syncookies.c): sorted, the index of the largest not above the peer's MSS is encoded. */
  static final int[] MSS_TABLE_V4 = {536, 1300, 1440, 1460};
  /**
   * IPv6's msstab (net/ipv6/syncookies.c): the MTUs 1280 (IPv6's minimum), 1480, 1500 and 9000 less
   * the 60 bytes of IPv6 and TCP headers; no IPv6 peer's MSS is below 1220 (RFC 8200 §5).
   */
  static final int[] MSS_TABLE_V6 = {1280 - 60, 1480 - 60, 1500 - 60, 9000 - 60};
  /** TS_OPT_WSCALE_MASK: the low 4 bits of TSval; 0xF means the SYN had no window scale. */
  static final int NO_WSCALE = 0xF;
  private static final int TS_OPT_SACK = 1 << 4;
  private static final int TS_OPT_ECN = 1 << 5;
  private static final int TS_BITS = 6;
  private static final int COOKIE_BITS = 24;
  private static final int COOKIE_MASK = (1 << COOKIE_BITS) - 1;
  private static final int MAX_AGE_MINUTES = 2;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final long k0a;
  private final long k1a;
  private final long k0b;
  private final long k1b;

  SynCookies(long secret) {
    // Two 128-bit keys from the stack's secret (SplitMix64 steps): the cookie needs two hashes.
    long s = secret;
    k0a = mix(s += 0x9E3779B97F4A7C15L);
    k1a = mix(s += 0x9E3779B97F4A7C15L);
    k0b = mix(s += 0x9E3779B97F4A7C15L);
    k1b = mix(s + 0x9E3779B97F4A7C15L);
  }

  /** The MSS table of the peer's address family: Linux keeps one per family. */
  static int[] mssTable(IpAddress peer) {
    return peer.isIpv4() ? MSS_TABLE_V4 : MSS_TABLE_V6;
  }

  /**
   * The table index encoded for a peer MSS: the largest entry not above it, else the first
   * (__cookie_v4_init_sequence and __cookie_v6_init_sequence round down the same way).
   */
  static int mssIndex(int[] table, int peerMss) {
    int i = table.length - 1;
    while (i > 0 && peerMss < table[i]) i--;
    return i;
  }

  /**
   * The ISS of the SYN-ACK answering a SYN from (remote, remotePort) to (local, localPort); an IPv6
   * address enters the hash folded to 32 bits (Linux hashes all 128, cookie_v6_init_sequence).
   */
  int cookie(IpAddress remoteAddr, IpAddress localAddr, int remotePort, int localPort, int synSeq, int mssIndex,
      long nowNanos) {
    return cookie(fold(remoteAddr), fold(localAddr), remotePort, localPort, synSeq, mssIndex, nowNanos);
  }

  /** The MSS the returning cookie encodes, from its family's table; 0 when it is no cookie of ours. */
  int check(IpAddress remoteAddr, IpAddress localAddr, int remotePort, int localPort, int cookie, int synSeq,
      long nowNanos) {
    int index = checkIndex(fold(remoteAddr), fold(localAddr), remotePort, localPort, cookie, synSeq, nowNanos);
    int[] table = mssTable(remoteAddr);
    return index >= 0 && index < table.length ? table[index] : 0;
  }

  /** An IPv4 address itself; an IPv6 address's four 32-bit words xor-ed. */
  private static int fold(IpAddress a) {
    if (a.isIpv4()) return a.ipv4();
    return (int) (a.high() ^ (a.high() >>> 32) ^ a.low() ^ (a.low() >>> 32));
  }

  /** The ISS of the SYN-ACK answering a SYN from (remote, remotePort) to (local, localPort). */
  int cookie(int remote, int local, int remotePort, int localPort, int synSeq, int mssIndex, long nowNanos) {
    int count = (int) (nowNanos / MINUTE_NANOS);
    return hash(k0a, k1a, remote, local, remotePort, localPort, 0) + synSeq + (count << COOKIE_BITS)
        + ((hash(k0b, k1b, remote, local, remotePort, localPort, count) + mssIndex) & COOKIE_MASK);
  }

  /**
   * The MSS table index a returning cookie encodes, or -1 when it is too old (Linux
   * __cookie_v4_check, __cookie_v6_check): {@code cookie} is the ACK's SEG.ACK - 1, {@code synSeq}
   * its SEG.SEQ - 1. An index past the table's end means it is no cookie of ours.
   */
  int checkIndex(int remote, int local, int remotePort, int localPort, int cookie, int synSeq, long nowNanos) {
    int count = (int) (nowNanos / MINUTE_NANOS);
    int c = cookie - (hash(k0a, k1a, remote, local, remotePort, localPort, 0) + synSeq);
    int diff = (count - (c >>> COOKIE_BITS)) & (-1 >>> COOKIE_BITS);
    if (diff >= MAX_AGE_MINUTES) return -1;
    return (c - hash(k0b, k1b, remote, local, remotePort, localPort, count - diff)) & COOKIE_MASK;
  }

  /**
   * Linux cookie_init_timestamp: the TSval of a cookie SYN-ACK, the clock's with its low 6 bits
   * replaced by the options, and never ahead of the clock (later TSvals must not go backwards).
   */
  static int timestamp(long nowMillis, int wscale, boolean sack, boolean ecn) {
    long options = wscale | (sack ? TS_OPT_SACK : 0) | (ecn ? TS_OPT_ECN : 0);
    long ts = ((nowMillis >> TS_BITS) << TS_BITS) | options;
    if (ts > nowMillis) ts -= 1L << TS_BITS;
    return (int) ts;
  }

  /** The window scale a TSecr carries back, {@link #NO_WSCALE} for none. */
  static int wscale(int tsEcr) {
    return tsEcr & NO_WSCALE;
  }

  static boolean sack(int tsEcr) {
    return (tsEcr & TS_OPT_SACK) != 0;
  }

  static boolean ecn(int tsEcr) {
    return (tsEcr & TS_OPT_ECN) != 0;
  }

  private static int hash(long k0, long k1, int a, int b, int portA, int portB, int count) {
    long m0 = ((long) a << 32) | (b & 0xFFFFFFFFL);
    long m1 = ((long) ((portA << 16) | (portB & 0xFFFF)) << 32) | (count & 0xFFFFFFFFL);
    return (int) SipHash.hash24(k0, k1, m0, m1);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
