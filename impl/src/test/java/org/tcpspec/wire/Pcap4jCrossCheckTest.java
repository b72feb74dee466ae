package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.namednumber.TcpOptionKind;

/**
 * The bytes we emit, decoded by an independent implementation (Pcap4J's static packet factory),
 * carry the same fields and valid checksums.
 */
class Pcap4jCrossCheckTest {

  /**
   * Ports from 1024 up: Pcap4J decodes the payloads of well-known ports (53 as DNS, ...), which
   * would only test Pcap4J's application decoders. Unknown options of unknown kinds only: Pcap4J
   * turns a known kind with a wrong length (an MSS of length 3) into an "illegal option" that
   * swallows the rest of the header, where we keep it and read on.
   */
  @Provide
  Arbitrary<Segment> segments() {
    return SegmentArbitraries.segment(
        Arbitraries.integers().between(1024, 0xFFFF),
        SegmentArbitraries.options(SegmentArbitraries.option(SegmentArbitraries.unknownKindsOnly())));
  }

  @Provide
  Arbitrary<Ipv4Params> params() {
    return SegmentArbitraries.ipv4Params();
  }

  @Property(tries = 1000)
  void pcap4jReadsWhatWeWrite(@ForAll("segments") Segment s, @ForAll("params") Ipv4Params params)
      throws IllegalRawDataException {
    byte[] packet = SegmentEmitter.emit(s, params);
    IpV4Packet ip = IpV4Packet.newPacket(packet, 0, packet.length);
    IpV4Packet.IpV4Header iph = ip.getHeader();
    assertTrue(iph.hasValidChecksum(false), "IPv4 header checksum");
    assertEquals(address(s.srcAddr()), iph.getSrcAddr());
    assertEquals(address(s.dstAddr()), iph.getDstAddr());
    assertEquals(s.ipTotalLength(), iph.getTotalLengthAsInt());
    assertEquals(params.ttl(), iph.getTtlAsInt());
    assertEquals(params.identification(), iph.getIdentificationAsInt());
    assertEquals(params.dontFragment(), iph.getDontFragmentFlag());
    assertEquals((byte) params.tos(), iph.getTos().value());

    TcpPacket tcp = ip.get(TcpPacket.class);
    TcpPacket.TcpHeader th = tcp.getHeader();
    assertTrue(tcp.hasValidChecksum(address(s.srcAddr()), address(s.dstAddr()), false), "TCP checksum");
    assertEquals(s.srcPort(), th.getSrcPort().valueAsInt());
    assertEquals(s.dstPort(), th.getDstPort().valueAsInt());
    assertEquals(s.seq(), th.getSequenceNumber());
    assertEquals(s.ack(), th.getAcknowledgmentNumber());
    assertEquals(s.tcpHeaderLength() / 4, th.getDataOffsetAsInt());
    // Pcap4J 1.8 follows RFC 793's layout: six reserved bits, the last two of which are CWR, ECE.
    assertEquals(s.flags() >>> 6, th.getReserved());
    assertEquals(s.has(TcpFlags.URG), th.getUrg());
    assertEquals(s.has(TcpFlags.ACK), th.getAck());
    assertEquals(s.has(TcpFlags.PSH), th.getPsh());
    assertEquals(s.has(TcpFlags.RST), th.getRst());
    assertEquals(s.has(TcpFlags.SYN), th.getSyn());
    assertEquals(s.has(TcpFlags.FIN), th.getFin());
    assertEquals(s.window(), th.getWindowAsInt());
    assertEquals(s.urgentPointer(), th.getUrgentPointerAsInt());
    assertArrayEquals(optionBytes(s.options()), pcap4jOptionBytes(th.getOptions()));
    Packet payload = tcp.getPayload();
    assertArrayEquals(s.payload(), payload == null ? new byte[0] : payload.getRawData());
  }

  private static Inet4Address address(int a) {
    try {
      return (Inet4Address) InetAddress.getByAddress(
          new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Our options as bytes, written by hand here rather than by the emitter under test. */
  private static byte[] optionBytes(List<TcpOption> options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (TcpOption o : options) {
      out.write(o.kind());
      if (o.wireLength() == 1) continue;
      out.write(o.wireLength());
      switch (o) {
        case TcpOption.Mss m -> { out.write(m.mss() >>> 8); out.write(m.mss()); }
        case TcpOption.WindowScale w -> out.write(w.shift());
        case TcpOption.Sack sack -> sack.blocks().forEach(b -> { int32(out, b.left()); int32(out, b.right()); });
        case TcpOption.Timestamp t -> { int32(out, t.tsVal()); int32(out, t.tsEcr()); }
        case TcpOption.Unknown u -> out.writeBytes(u.data());
        case TcpOption.Eol _, TcpOption.Nop _, TcpOption.SackPermitted _ -> {}
      }
    }
    return out.toByteArray();
  }

  private static void int32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  /** Pcap4J's options as bytes; it reports the zero padding as EOL options, which we drop. */
  private static byte[] pcap4jOptionBytes(List<TcpPacket.TcpOption> options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (TcpPacket.TcpOption o : options) {
      if (o.getKind().equals(TcpOptionKind.END_OF_OPTION_LIST)) break;
      out.writeBytes(o.getRawData());
    }
    return out.toByteArray();
  }
}
