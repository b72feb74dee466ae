package org.tcpspec.wire;

import java.util.List;

/** Test helper: sample segments and in-place edits of emitted packets. */
final class Packets {
  private Packets() {}

  static final int REMOTE = 0xC0000201; // 192.0.2.1
  static final int LOCAL = 0xC0A80001; // 192.168.0.1

  static Segment syn() {
    return new Segment(REMOTE, LOCAL, 40000, 8080, 0x12345678, 0, TcpFlags.SYN, 65535, 0,
        List.of(new TcpOption.Mss(1460), new TcpOption.SackPermitted(),
            new TcpOption.Timestamp(100, 0), new TcpOption.Nop(), new TcpOption.WindowScale(7)),
        new byte[0]);
  }

  static Segment data(byte[] payload, List<TcpOption> options) {
    return new Segment(REMOTE, LOCAL, 40000, 8080, 0xFFFFFFF0, 0x00000010,
        TcpFlags.PSH | TcpFlags.ACK, 502, 0, options, payload);
  }

  static final IpAddress REMOTE6 = IpAddress.parse("2001:db8::1");
  static final IpAddress LOCAL6 = IpAddress.parse("2001:db8::2");

  /** The IPv4 segment moved to IPv6 between {@link #REMOTE6} and {@link #LOCAL6}. */
  static Segment ipv6(Segment s) {
    return s.withAddresses(REMOTE6, LOCAL6);
  }

  /** Recomputes both checksums of an emitted packet after a test edited it. */
  static byte[] refresh(byte[] packet) {
    Ipv4Header ip = new Ipv4Header().wrap(packet, 0, packet.length);
    ip.fillHeaderChecksum();
    int tcpLength = ip.totalLength() - ip.headerLength();
    new TcpHeader().wrap(ip, ip.headerLength(), tcpLength).fillChecksum(ip.srcAddr(), ip.dstAddr());
    return packet;
  }
}
