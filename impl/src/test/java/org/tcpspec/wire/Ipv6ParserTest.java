package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.ParseResult.Malformed;
import org.tcpspec.wire.ParseResult.Parsed;

/**
 * IPv6 on the wire (RFC 8200): the fixed header, the pseudo-header checksum of §8.1, and the
 * extension headers a host skips or drops as Linux's ipv6_rcv and ip6_input_finish do.
 */
class Ipv6ParserTest {

  private static Parsed parsed(byte[] packet) {
    ParseResult r = SegmentParser.parse(packet, 0, packet.length);
    return assertInstanceOf(Parsed.class, r, r.toString());
  }

  private static void assertMalformed(String field, String reasonPart, byte[] packet) {
    Malformed m = assertInstanceOf(Malformed.class, SegmentParser.parse(packet, 0, packet.length));
    assertEquals(field, m.field(), m.toString());
    assertTrue(m.reason().contains(reasonPart), m.toString());
  }

  private static byte[] syn6() {
    return SegmentEmitter.emit(Packets.ipv6(Packets.syn()));
  }

  /**
   * The packet with extension headers inserted after the fixed header: each {@code headers[i]} is
   * a whole header whose first byte (Next Header) this fills in, chained in order, TCP last.
   */
  private static byte[] withExtensions(byte[] packet, int[] types, byte[]... headers) {
    int extra = 0;
    for (byte[] h : headers) extra += h.length;
    byte[] p = new byte[packet.length + extra];
    System.arraycopy(packet, 0, p, 0, 40);
    int at = 40;
    for (int i = 0; i < headers.length; i++) {
      byte[] h = headers[i].clone();
      h[0] = (byte) (i + 1 < headers.length ? types[i + 1] : Ipv6Header.NEXT_TCP);
      System.arraycopy(h, 0, p, at, h.length);
      at += h.length;
    }
    System.arraycopy(packet, 40, p, at, packet.length - 40);
    Ipv6Header ip = new Ipv6Header().wrap(p, 0, p.length);
    ip.nextHeader(types[0]).payloadLength(p.length - 40);
    return p;
  }

  /** An 8-byte options header (hop-by-hop or destination) holding these 6 option bytes. */
  private static byte[] optionsHeader(String sixBytesHex) {
    byte[] h = new byte[8];
    System.arraycopy(Hex.bytes(sixBytesHex), 0, h, 2, 6);
    return h;
  }

  @Test
  void anIpv6SegmentEmitsAndParsesBack() {
    Segment s = Packets.ipv6(Packets.data("hello".getBytes(), List.of(new TcpOption.Nop(), new TcpOption.Nop(),
        new TcpOption.Timestamp(1, 2))));
    byte[] p = SegmentEmitter.emit(s);
    assertEquals(40 + 32 + 5, p.length);
    Ipv6Header ip = new Ipv6Header().wrap(p, 0, p.length);
    assertEquals(6, ip.version());
    assertEquals(32 + 5, ip.payloadLength());
    assertEquals(6, ip.nextHeader());
    assertEquals(64, ip.hopLimit());
    assertEquals(Packets.REMOTE6, new IpAddress(ip.srcAddrHigh(), ip.srcAddrLow()));
    Parsed back = parsed(p);
    assertEquals(s, back.segment());
    assertTrue(back.segment().isIpv6());
    assertEquals(new Ipv4Params(0, 0, false, 64), back.ip());
  }

  @Test
  void theChecksumCoversIpv6sPseudoHeader() {
    // RFC 8200 §8.1, summed by hand: source, destination, upper-layer length (32 bits), next header.
    byte[] p = syn6();
    int tcpLength = p.length - 40;
    long acc = 0;
    for (int i = 8; i < 40; i += 2) acc += ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
    acc += tcpLength + 6;
    for (int i = 40; i < p.length; i += 2) acc += ((p[i] & 0xFF) << 8) | (i + 1 < p.length ? p[i + 1] & 0xFF : 0);
    while ((acc >>> 16) != 0) acc = (acc & 0xFFFF) + (acc >>> 16);
    assertEquals(0xFFFF, acc, "the emitted checksum makes the whole sum 0xFFFF");
    TcpHeader tcp = new TcpHeader().wrap(p, 40, tcpLength);
    assertTrue(tcp.checksumValid(Packets.REMOTE6, Packets.LOCAL6));
    assertFalse(tcp.checksumValid(Packets.REMOTE6, IpAddress.parse("2001:db8::3")));
  }

  @Test
  void aBadChecksumIsDropped() {
    byte[] p = syn6();
    p[40 + TcpHeader.CHECKSUM] ^= 1;
    assertMalformed("tcp.checksum", "does not verify", p);
  }

  @Test
  void fewerThanFortyBytesAreTruncated() {
    assertMalformed("ipv6", "truncated: 39 bytes", Arrays.copyOf(syn6(), 39));
  }

  @Test
  void aPayloadLengthPastTheBytesIsDroppedAndTrailingBytesAreTrimmed() {
    byte[] p = syn6();
    assertMalformed("ipv6.payloadLength", "exceeds", Arrays.copyOf(p, p.length - 1));
    byte[] padded = Arrays.copyOf(p, p.length + 6);
    assertEquals(parsed(p).segment(), parsed(padded).segment());
    byte[] shortened = syn6();
    new Ipv6Header().wrap(shortened, 0, shortened.length).payloadLength(10);
    assertMalformed("tcp", "truncated: 10 bytes", shortened);
  }

  @Test
  void badAddressesAreDropped() {
    byte[] multicast = syn6();
    multicast[8] = (byte) 0xFF;
    assertMalformed("ipv6.srcAddr", "multicast", multicast);
    byte[] mapped = SegmentEmitter.emit(Packets.syn().withAddresses(IpAddress.parse("2001:db8::1"),
        IpAddress.parse("2001:db8::2")));
    new Ipv6Header().wrap(mapped, 0, mapped.length).srcAddr(IpAddress.parse("::ffff:192.0.2.1"));
    assertMalformed("ipv6.srcAddr", "IPv4-mapped", mapped);
    byte[] loopback = syn6();
    new Ipv6Header().wrap(loopback, 0, loopback.length).dstAddr(IpAddress.parse("::1"));
    assertMalformed("ipv6.dstAddr", "::1", loopback);
  }

  @Test
  void optionsHeadersOfPaddingAndSkippableOptionsAreSkipped() {
    Segment s = Packets.ipv6(Packets.syn());
    byte[] hopThenDest = withExtensions(syn6(), new int[] {Ipv6Header.NEXT_HOP_BY_HOP, Ipv6Header.NEXT_DESTINATION},
        optionsHeader("01040000 0000"), optionsHeader("1e020000 0100"));
    assertEquals(s, parsed(hopThenDest).segment(), "PadN, then an unknown option of action 00 and a PadN");
  }

  @Test
  void aHopByHopHeaderAfterTheFirstIsAnUnknownNextHeader() {
    byte[] p = withExtensions(syn6(), new int[] {Ipv6Header.NEXT_DESTINATION, Ipv6Header.NEXT_HOP_BY_HOP},
        optionsHeader("01040000 0000"), optionsHeader("01040000 0000"));
    assertMalformed("ipv6.nextHeader", "hop-by-hop", p);
  }

  @Test
  void optionsThatDiscardTheirPacketOrPadBadlyAreDropped() {
    int[] dest = {Ipv6Header.NEXT_DESTINATION};
    assertMalformed("ipv6.options", "option type 0x0080",
        withExtensions(syn6(), dest, optionsHeader("80020000 0100")));
    byte[] fourteenPad1 = new byte[16];
    fourteenPad1[1] = 1; // Hdr Ext Len 1: 16 bytes
    assertMalformed("ipv6.options", "more than 7", withExtensions(syn6(), dest, fourteenPad1));
    assertMalformed("ipv6.options", "PadN not zero", withExtensions(syn6(), dest, optionsHeader("01040000 0100")));
    assertMalformed("ipv6.options", "runs past", withExtensions(syn6(), dest, optionsHeader("1e090000 0000")));
  }

  @Test
  void aRoutingHeaderIsSkippedOnlyWithNoSegmentsLeft() {
    Segment s = Packets.ipv6(Packets.syn());
    int[] routing = {Ipv6Header.NEXT_ROUTING};
    assertEquals(s, parsed(withExtensions(syn6(), routing, Hex.bytes("00000400 00000000"))).segment());
    assertMalformed("ipv6.routing", "1 segments left", withExtensions(syn6(), routing, Hex.bytes("00000401 00000000")));
  }

  @Test
  void anAtomicFragmentIsSkippedAndARealFragmentDropped() {
    Segment s = Packets.ipv6(Packets.syn());
    int[] fragment = {Ipv6Header.NEXT_FRAGMENT};
    assertEquals(s, parsed(withExtensions(syn6(), fragment, Hex.bytes("00000000 12345678"))).segment());
    assertMalformed("ipv6.fragment", "not reassembled", withExtensions(syn6(), fragment, Hex.bytes("00000001 12345678")));
    assertMalformed("ipv6.fragment", "not reassembled", withExtensions(syn6(), fragment, Hex.bytes("00000008 12345678")));
  }

  @Test
  void otherNextHeadersAndTruncatedExtensionsAreDropped() {
    byte[] udp = syn6();
    new Ipv6Header().wrap(udp, 0, udp.length).nextHeader(17);
    assertMalformed("ipv6.nextHeader", "next header 17", udp);
    byte[] none = syn6();
    new Ipv6Header().wrap(none, 0, none.length).nextHeader(Ipv6Header.NEXT_NONE);
    assertMalformed("ipv6.nextHeader", "No Next Header", none);
    byte[] longHeader = withExtensions(syn6(), new int[] {Ipv6Header.NEXT_DESTINATION}, optionsHeader("01040000 0000"));
    longHeader[41] = (byte) 200;
    assertMalformed("ipv6.extensionHeader", "runs past", longHeader);
    byte[] jumbo = withExtensions(syn6(), new int[] {Ipv6Header.NEXT_HOP_BY_HOP}, optionsHeader("01040000 0000"));
    new Ipv6Header().wrap(jumbo, 0, jumbo.length).payloadLength(0);
    assertMalformed("ipv6.payloadLength", "jumbograms", jumbo);
  }

  @Test
  void theReaderNamesTheCheckWithoutAllocatingAReason() {
    SegmentReader reader = new SegmentReader();
    byte[] udp = syn6();
    new Ipv6Header().wrap(udp, 0, udp.length).nextHeader(17);
    assertFalse(reader.wrap(udp, 0, udp.length));
    assertEquals(SegmentReader.Check.IPV6_NEXT_HEADER, reader.failedCheck());
    byte[] ok = syn6();
    assertTrue(reader.wrap(ok, 0, ok.length));
    assertEquals(Packets.LOCAL6, reader.dstIp());
    assertTrue(reader.isIpv6());
  }

  @Test
  void addressesPrintAsRfc5952AndParseBack() {
    for (String text : List.of("2001:db8::2", "::", "::1", "fe80::1:2", "2001:db8:0:1:1:1:1:1", "1::", "192.0.2.1")) {
      assertEquals(text, IpAddress.parse(text).toString());
    }
    assertEquals("2001:db8::1:0:0:1", IpAddress.parse("2001:db8:0:0:1:0:0:1").toString(), "the first of two equal runs");
    assertEquals(IpAddress.ipv4(0xC0000201), IpAddress.parse("::ffff:192.0.2.1"));
    assertTrue(IpAddress.parse("::ffff:192.0.2.1").isIpv4());
    assertFalse(IpAddress.parse("2001:db8::2").isIpv4());
  }
}
