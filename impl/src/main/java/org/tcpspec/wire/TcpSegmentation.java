package org.tcpspec.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Segmentation in software: a TCP super-packet (one IPv4 or IPv6 header without options or
 * extension headers, one TCP header, the payload of several segments) cut into the packets of
 * {@code gsoSize} payload bytes it stands for, as Linux's tcp_gso_segment and inet_gso_segment cut
 * it for a device without TSO: each with the same headers, the sequence number advanced by the
 * payload before it, the IPv4 identification by one per packet, CWR only on the first and FIN and
 * PSH only on the last, lengths and checksums complete. For paths that must see the packets the
 * wire carries one by one (fault injection, pcap), not for the data path: it allocates.
 */
public final class TcpSegmentation {
  private TcpSegmentation() {}

  /**
   * The packets {@code packet} stands for; a packet whose payload fits one segment (or {@code
   * gsoSize} 0) comes back alone, its TCP checksum completed (it may have been partial).
   *
   * @throws IllegalArgumentException when it is no TCP packet this can cut
   */
  public static List<byte[]> split(byte[] packet, int gsoSize) {
    if (packet.length < Ipv4Header.MIN_LENGTH) throw new IllegalArgumentException("too short: " + packet.length);
    boolean ipv6 = ((packet[0] >> 4) & 0xF) == 6;
    int tcpOffset = ipv6 ? Ipv6Header.LENGTH : new Ipv4Header().wrap(packet, 0, packet.length).headerLength();
    if (packet.length < tcpOffset + TcpHeader.MIN_LENGTH) {
      throw new IllegalArgumentException("no TCP header in " + packet.length + " bytes");
    }
    int headerLength = tcpOffset + new TcpHeader().wrap(packet, tcpOffset, packet.length - tcpOffset).headerLength();
    int payload = packet.length - headerLength;
    if (payload < 0) throw new IllegalArgumentException("TCP header beyond the packet's " + packet.length + " bytes");
    int size = gsoSize <= 0 || payload <= gsoSize ? Math.max(payload, 1) : gsoSize;
    List<byte[]> out = new ArrayList<>((payload + size - 1) / size + 1);
    int at = 0;
    int index = 0;
    do {
      int n = Math.min(size, payload - at);
      byte[] p = Arrays.copyOf(packet, headerLength + n);
      System.arraycopy(packet, headerLength + at, p, headerLength, n);
      boolean first = at == 0;
      boolean last = at + n >= payload;
      fix(p, ipv6, tcpOffset, index, at, first, last);
      out.add(p);
      at += n;
      index++;
    } while (at < payload);
    return out;
  }

  private static void fix(byte[] p, boolean ipv6, int tcpOffset, int index, int payloadBefore, boolean first,
      boolean last) {
    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    if (ipv6) {
      Ipv6Header ip = new Ipv6Header().wrap(p, 0, p.length).payloadLength(p.length - Ipv6Header.LENGTH);
      srcHigh = ip.srcAddrHigh();
      srcLow = ip.srcAddrLow();
      dstHigh = ip.dstAddrHigh();
      dstLow = ip.dstAddrLow();
    } else {
      Ipv4Header ip = new Ipv4Header().wrap(p, 0, p.length);
      ip.totalLength(p.length).identification((ip.identification() + index) & 0xFFFF).headerChecksum(0)
          .fillHeaderChecksum();
      IpAddress src = IpAddress.ipv4(ip.srcAddr());
      IpAddress dst = IpAddress.ipv4(ip.dstAddr());
      srcHigh = src.high();
      srcLow = src.low();
      dstHigh = dst.high();
      dstLow = dst.low();
    }
    TcpHeader tcp = new TcpHeader().wrap(p, tcpOffset, p.length - tcpOffset);
    int flags = tcp.flags();
    if (!last) flags &= ~(TcpFlags.FIN | TcpFlags.PSH);
    if (!first) flags &= ~TcpFlags.CWR;
    tcp.seq(SeqNum.plus(tcp.seq(), payloadBefore)).flags(flags).checksum(0);
    tcp.checksum(tcp.computeChecksumWith(tcp.pseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow)));
  }
}
