package org.tcpspec.wire;

/**
 * The TCP control bits (RFC 9293 §3.1, RFC 3168 for ECE and CWR, RFC 9768 §3.1 for AE) as bit
 * masks: the flags byte at offset 13 of the TCP header in the low eight bits, and AE, the low bit
 * of byte 12 (the last of the once-reserved bits), as bit 8. A set of flags is an {@code int}
 * holding their OR.
 */
public final class TcpFlags {
  private TcpFlags() {}

  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;
  public static final int URG = 0x20;
  public static final int ECE = 0x40;
  public static final int CWR = 0x80;
  /**
   * Accurate ECN (RFC 9768 §3.1): with CWR and ECE the three-bit ACE counter. A stack that does
   * not implement AccECN ignores it as a reserved bit (RFC 9293 §3.1).
   */
  public static final int AE = 0x100;

  /** Whether every bit of {@code mask} is set in {@code flags}. */
  public static boolean has(int flags, int mask) {
    return (flags & mask) == mask;
  }

  /**
   * packetdrill's spelling: "S", "S.", "F.", "P.", "R", ".", with E, W and A for ECE, CWR and
   * AE, in the order packetdrill prints them (tcpdump 4.1.1's: F S R P . U E W A, {@code
   * packet_to_string.c}), so "S.E" rather than "SE.".
   */
  public static String toPacketdrill(int flags) {
    StringBuilder b = new StringBuilder();
    if (has(flags, FIN)) b.append('F');
    if (has(flags, SYN)) b.append('S');
    if (has(flags, RST)) b.append('R');
    if (has(flags, PSH)) b.append('P');
    if (has(flags, ACK)) b.append('.');
    if (has(flags, URG)) b.append('U');
    if (has(flags, ECE)) b.append('E');
    if (has(flags, CWR)) b.append('W');
    if (has(flags, AE)) b.append('A');
    return b.toString();
  }
}
