package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.ParseResult.Malformed;
import org.tcpspec.wire.ParseResult.Parsed;

class SegmentParserTest {

  private static Parsed parsed(byte[] packet) {
    return assertInstanceOf(Parsed.class, SegmentParser.parse(packet, 0, packet.length));
  }

  private static void assertMalformed(String field, String reasonPart, byte[] packet) {
    Malformed m = assertInstanceOf(Malformed.class, SegmentParser.parse(packet, 0, packet.length));
    assertEquals(field, m.field(), m.toString());
    assertTrue(m.reason().contains(reasonPart), m.toString());
  }

  /** A data segment whose TCP header bytes 20.. are {@code options} (length a multiple of 4). */
  private static byte[] withRawOptions(String optionsHex) {
    byte[] options = Hex.bytes(optionsHex);
    Segment s = Packets.data("hi".getBytes(), List.of());
    byte[] base = SegmentEmitter.emit(s);
    byte[] p = new byte[base.length + options.length];
    System.arraycopy(base, 0, p, 0, 40);
    System.arraycopy(options, 0, p, 40, options.length);
    System.arraycopy(base, 40, p, 40 + options.length, base.length - 40);
    Ipv4Header ip = new Ipv4Header().wrap(p, 0, p.length).totalLength(p.length);
    new TcpHeader().wrap(ip, 20, p.length - 20).dataOffset(5 + options.length / 4);
    return Packets.refresh(p);
  }

  @Test
  void parsesEveryFieldOfAnEmittedSyn() {
    Parsed p = parsed(SegmentEmitter.emit(Packets.syn()));
    assertEquals(Packets.syn(), p.segment());
    assertEquals(Ipv4Params.DEFAULT, p.ip());
    assertEquals(1, p.segment().segLen());
  }

  @Test
  void allBackingsParseTheSame() {
    byte[] packet = SegmentEmitter.emit(Packets.data("hello".getBytes(), List.of()));
    byte[] framed = new byte[packet.length + 7];
    System.arraycopy(packet, 0, framed, 3, packet.length);
    Segment fromArray = parsed(packet).segment();
    assertEquals(fromArray,
        ((Parsed) SegmentParser.parse(ByteBuffer.wrap(framed).asReadOnlyBuffer(), 3, packet.length)).segment());
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment m = arena.allocate(framed.length);
      m.copyFrom(MemorySegment.ofArray(framed));
      assertEquals(fromArray, ((Parsed) SegmentParser.parse(m, 3, packet.length)).segment());
    }
  }

  @Test
  void badOffsetOrLengthIsMalformedNotAnException() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    assertEquals("buffer", ((Malformed) SegmentParser.parse(p, -1, 20)).field());
    assertEquals("buffer", ((Malformed) SegmentParser.parse(p, 0, p.length + 1)).field());
    assertEquals("buffer", ((Malformed) SegmentParser.parse(p, p.length, -5)).field());
    assertEquals("buffer", ((Malformed) SegmentParser.parse(p, 5, Integer.MAX_VALUE)).field());
  }

  @Test
  void shorterThanAnIpv4HeaderIsTruncated() {
    assertMalformed("ipv4", "truncated: 19 bytes", Arrays.copyOf(SegmentEmitter.emit(Packets.syn()), 19));
  }

  @Test
  void versionFiveIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    p[0] = 0x55;
    assertMalformed("ipv4.version", "version 5", p);
  }

  @Test
  void ihlBelowFiveIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    p[0] = 0x44;
    assertMalformed("ipv4.ihl", "IHL 4 words", p);
  }

  @Test
  void ihlPastTheBytesIsTruncated() {
    byte[] p = Arrays.copyOf(SegmentEmitter.emit(Packets.syn()), 30);
    p[0] = 0x48;
    assertMalformed("ipv4.ihl", "IHL says 32 header bytes but the packet has 30", p);
  }

  @Test
  void badHeaderChecksumIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    p[8] = 63; // TTL changed, checksum not refreshed
    assertMalformed("ipv4.headerChecksum", "does not verify", p);
  }

  @Test
  void totalLengthLongerThanTheBytesIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    new Ipv4Header().wrap(p, 0, p.length).totalLength(p.length + 1).fillHeaderChecksum();
    assertMalformed("ipv4.totalLength", "exceeds", p);
  }

  @Test
  void totalLengthShorterThanTheHeaderIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    new Ipv4Header().wrap(p, 0, p.length).totalLength(19).fillHeaderChecksum();
    assertMalformed("ipv4.totalLength", "shorter than the header", p);
  }

  /** Linux trims bytes beyond the total length (Ethernet padding); so do we. */
  @Test
  void bytesBeyondTheTotalLengthAreIgnored() {
    Segment s = Packets.data(new byte[] {1, 2, 3}, List.of());
    byte[] padded = Arrays.copyOf(SegmentEmitter.emit(s), 60);
    Arrays.fill(padded, s.ipTotalLength(), 60, (byte) 0xEE);
    assertEquals(s, parsed(padded).segment());
  }

  @Test
  void moreFragmentsIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    new Ipv4Header().wrap(p, 0, p.length).moreFragments(true).fillHeaderChecksum();
    assertMalformed("ipv4.moreFragments", "MF set", p);
  }

  @Test
  void fragmentOffsetIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    new Ipv4Header().wrap(p, 0, p.length).fragmentOffset(3).fillHeaderChecksum();
    assertMalformed("ipv4.fragmentOffset", "fragment offset 3", p);
  }

  @Test
  void udpIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    new Ipv4Header().wrap(p, 0, p.length).protocol(17).fillHeaderChecksum();
    assertMalformed("ipv4.protocol", "protocol 17", p);
  }

  /** IP options (here a 4-byte NOP/EOL word) are checksummed and skipped. */
  @Test
  void ipOptionsAreSkipped() {
    Segment s = Packets.data("x".getBytes(), List.of());
    byte[] base = SegmentEmitter.emit(s);
    byte[] p = new byte[base.length + 4];
    System.arraycopy(base, 0, p, 0, 20);
    p[20] = 1; // NOP, then three EOL bytes
    System.arraycopy(base, 20, p, 24, base.length - 20);
    new Ipv4Header().wrap(p, 0, p.length).ihl(6).totalLength(p.length).fillHeaderChecksum();
    assertEquals(s, parsed(p).segment());
  }

  @Test
  void tcpShorterThanTwentyBytesIsTruncated() {
    byte[] p = Arrays.copyOf(SegmentEmitter.emit(Packets.syn()), 39);
    new Ipv4Header().wrap(p, 0, p.length).totalLength(39).fillHeaderChecksum();
    assertMalformed("tcp", "truncated: 19 bytes", p);
  }

  @Test
  void dataOffsetBelowFiveIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn());
    p[20 + 12] = 0x40;
    assertMalformed("tcp.dataOffset", "data offset 4 words", Packets.refresh(p));
  }

  @Test
  void dataOffsetPastTheSegmentIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.syn()); // 40 bytes of TCP header
    p[20 + 12] = (byte) 0xF0;
    assertMalformed("tcp.dataOffset", "data offset says 60 header bytes but the segment has 40", p);
  }

  @Test
  void badTcpChecksumIsRejected() {
    byte[] p = SegmentEmitter.emit(Packets.data("hello".getBytes(), List.of()));
    p[p.length - 1] ^= 1;
    assertMalformed("tcp.checksum", "does not verify", p);
  }

  // RFC 9293 MUST-7 ("be prepared to handle an illegal option length (e.g., zero)"), as Linux's
  // tcp_parse_options: reading stops at the bad option, what came before is kept, the segment too.

  @Test
  void optionLengthZeroEndsTheOptions() {
    Parsed p = parsed(withRawOptions("0101 0200 0204 05b4"));
    assertEquals(List.of(new TcpOption.Nop(), new TcpOption.Nop()), p.segment().options());
    assertArrayEquals("hi".getBytes(), p.segment().payload());
  }

  @Test
  void optionLengthOneEndsTheOptions() {
    Parsed p = parsed(withRawOptions("0204 05b4 6301 0000"));
    assertEquals(List.of(new TcpOption.Mss(1460)), p.segment().options());
  }

  @Test
  void anOptionRunningPastTheHeaderEndIsNotRead() {
    Parsed p = parsed(withRawOptions("0101 080a 0000 0001"));
    assertEquals(List.of(new TcpOption.Nop(), new TcpOption.Nop()), p.segment().options());
    assertTrue(p.segment().option(TcpOption.Timestamp.class).isEmpty());
  }

  @Test
  void anOptionKindWithoutItsLengthByteIsNotRead() {
    Parsed p = parsed(withRawOptions("0101 0103"));
    assertEquals(List.of(new TcpOption.Nop(), new TcpOption.Nop(), new TcpOption.Nop()), p.segment().options());
  }

  @Test
  void theFlyweightStopsWhereTheParserStops() {
    byte[] packet = withRawOptions("0101 0200 080a 0000 0001 0000 0002 0000");
    SegmentReader r = new SegmentReader();
    assertTrue(r.wrap(packet, 0, packet.length));
    assertFalse(r.hasTimestamp(), "the timestamps after the zero length are not read");
    assertEquals(2, r.optionsLength());
    assertEquals(parsed(packet).segment().options(), r.options());
    assertEquals(2, r.payloadLength(), "the segment is kept");
  }

  @Test
  void eolEndsTheListAndWhatFollowsIsPadding() {
    Parsed p = parsed(withRawOptions("0204 05b4 00ff ffff"));
    assertEquals(List.of(new TcpOption.Mss(1460)), p.segment().options());
    assertArrayEquals("hi".getBytes(), p.segment().payload());
  }

  /** RFC 9293 MUST-6: options we do not implement are ignored; we keep their bytes. */
  @Test
  void unknownKindsAreKeptRaw() {
    Parsed p = parsed(withRawOptions("fe04 abcd 1e02 0101"));
    assertEquals(
        List.of(new TcpOption.Unknown(254, Hex.bytes("abcd")), new TcpOption.Unknown(30, new byte[0]),
            new TcpOption.Nop(), new TcpOption.Nop()),
        p.segment().options());
  }

  /** A known kind with a length it does not have is not that option: kept as Unknown, ignored. */
  @Test
  void knownKindsWithTheWrongLengthAreKeptAsUnknown() {
    Parsed p = parsed(withRawOptions("020305 02040402 0302 050600000001 030307 01 00"));
    assertEquals(
        List.of(new TcpOption.Unknown(2, Hex.bytes("05")), new TcpOption.Mss(0x0402),
            new TcpOption.Unknown(3, new byte[0]), new TcpOption.Unknown(5, Hex.bytes("00000001")),
            new TcpOption.WindowScale(7), new TcpOption.Nop()),
        p.segment().options());
    assertTrue(p.segment().option(TcpOption.Unknown.class).isPresent());
  }

  @Test
  void sackBlocksAreReadInOrder() {
    Parsed p = parsed(withRawOptions("0101 0512 00000001 00000005 fffffff0 00000010"));
    assertEquals(new TcpOption.Sack(List.of(new TcpOption.SackBlock(1, 5),
        new TcpOption.SackBlock(0xFFFFFFF0, 0x10))), p.segment().options().get(2));
  }
}
