package org.tcpspec.fuzz;

import java.util.SplittableRandom;
import org.tcpspec.wire.Ipv4Header;
import org.tcpspec.wire.TcpHeader;

/**
 * An IPv4/TCP packet as bytes, written field by field so that anything can go into it: option
 * bytes of any layout (zero lengths, overruns, garbage), any flags, urgent pointers, and then
 * mutations of any header byte, truncation, bad checksums. The stack sees it only through the
 * flyweight the TUN loop uses, so the parser is fuzzed with the core.
 */
final class RawPacket {
  private final Ipv4Header ip = new Ipv4Header();
  private final TcpHeader tcp = new TcpHeader();

  /** The fields of one segment before it becomes bytes. */
  static final class Fields {
    int src;
    int dst;
    int srcPort;
    int dstPort;
    int seq;
    int ack;
    int flags;
    int window;
    int urgentPointer;
    byte[] options = new byte[0];
    int payloadLength;
  }

  /** A packet of these fields, both checksums valid, payload zeros (written later). */
  byte[] build(Fields f) {
    int optionLength = (f.options.length + 3) & ~3;
    int tcpLength = 20 + optionLength + f.payloadLength;
    byte[] p = new byte[20 + tcpLength];
    ip.wrap(p, 0, p.length).version(4).ihl(5).totalLength(p.length).ttl(64).protocol(6).srcAddr(f.src)
        .dstAddr(f.dst).dontFragment(true);
    System.arraycopy(f.options, 0, p, 40, f.options.length);
    tcp.wrap(ip, 20, tcpLength).srcPort(f.srcPort).dstPort(f.dstPort).seq(f.seq).ack(f.ack)
        .dataOffset(5 + optionLength / 4).flags(f.flags).window(f.window).urgentPointer(f.urgentPointer);
    fixChecksums(p);
    return p;
  }

  /** Both checksums made right again after bytes changed (as far as the lengths allow). */
  void fixChecksums(byte[] p) {
    if (p.length < 20) return;
    ip.wrap(p, 0, p.length);
    if (ip.headerLength() < 20 || ip.headerLength() > p.length) return;
    ip.fillHeaderChecksum();
    int total = Math.min(ip.totalLength(), p.length);
    int tcpLength = total - ip.headerLength();
    if (tcpLength < 20) return;
    tcp.wrap(ip, ip.headerLength(), tcpLength).fillChecksum(ip.srcAddr(), ip.dstAddr());
  }

  /**
   * Flips bits of a few random header bytes (IP and TCP, options included), or truncates or
   * extends the packet; the checksums are repaired most of the time, so that the damage reaches
   * past the parser's first checks.
   */
  static byte[] mutate(byte[] p, SplittableRandom rnd, RawPacket writer) {
    byte[] m = p;
    switch (rnd.nextInt(8)) {
      case 0 -> m = java.util.Arrays.copyOf(p, rnd.nextInt(p.length + 1));
      case 1 -> m = java.util.Arrays.copyOf(p, p.length + 1 + rnd.nextInt(40));
      default -> {
        int headerEnd = Math.min(m.length, 60 + rnd.nextInt(1 + Math.max(0, m.length - 60)));
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
          int at = rnd.nextInt(Math.max(1, headerEnd));
          m[at] ^= (byte) (1 << rnd.nextInt(8));
        }
      }
    }
    if (rnd.nextInt(10) < 8) writer.fixChecksums(m);
    return m;
  }
}
