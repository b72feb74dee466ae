package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.ParseResult.Parsed;

class SegmentEmitterTest {

  private static final Segment PSH_ACK = new Segment(Packets.REMOTE, Packets.LOCAL, 40000, 8080,
      0xFFFFFFFE, 7, TcpFlags.PSH | TcpFlags.ACK, 1000, 0,
      List.of(new TcpOption.Nop(), new TcpOption.Nop(), new TcpOption.Timestamp(0xDEADBEEF, 1)),
      "abc".getBytes());

  /** Bytes computed independently (a few lines of Python struct packing and RFC 1071 summing). */
  @Test
  void emitsTheExactBytesOfAnIndependentEncoder() {
    assertEquals(
        "45000037000040004006b816c0000201c0a80001"
            + "9c401f90fffffffe00000007801803e8d2470000"
            + "0101080adeadbeef00000001"
            + "616263",
        Hex.of(SegmentEmitter.emit(PSH_ACK)));
  }

  @Test
  void writesExactlyTheTotalLengthAndEveryByteOfIt() {
    Segment s = PSH_ACK;
    byte[] dirty = new byte[s.ipTotalLength() + 10];
    Arrays.fill(dirty, (byte) 0xAA);
    assertEquals(s.ipTotalLength(), SegmentEmitter.emit(s, dirty, 5));
    assertArrayEquals(SegmentEmitter.emit(s), Arrays.copyOfRange(dirty, 5, 5 + s.ipTotalLength()));
    for (int i : new int[] {0, 4, 5 + s.ipTotalLength(), dirty.length - 1}) {
      assertEquals((byte) 0xAA, dirty[i], "byte " + i + " outside the packet is untouched");
    }
  }

  /** RFC 9293 §3.1: "The padding is composed of zeros." */
  @Test
  void padsOptionsToFourBytesWithZeros() {
    byte[] dirty = new byte[60];
    Arrays.fill(dirty, (byte) 0xFF);
    Segment s = Packets.data(new byte[0], List.of(new TcpOption.WindowScale(7)));
    SegmentEmitter.emit(s, dirty, 0);
    TcpHeader tcp = new TcpHeader().wrap(dirty, 20, 24);
    assertEquals(6, tcp.dataOffset());
    assertEquals(0, tcp.reserved());
    assertArrayEquals(Hex.bytes("030307 00"), Arrays.copyOfRange(dirty, 40, 44));
  }

  @Test
  void ipv4ParamsGoIntoTheHeader() {
    Ipv4Params params = new Ipv4Params(0x02, 0xBEEF, false, 1);
    byte[] p = SegmentEmitter.emit(Packets.syn(), params);
    Ipv4Header ip = new Ipv4Header().wrap(p, 0, p.length);
    assertEquals(0x02, ip.tos());
    assertEquals(0xBEEF, ip.identification());
    assertFalse(ip.dontFragment());
    assertEquals(1, ip.ttl());
    assertTrue(ip.headerChecksumValid());
    assertEquals(params, assertInstanceOf(Parsed.class, SegmentParser.parse(p, 0, p.length)).ip());
  }

  @Test
  void allOutputsHoldTheSameBytes() {
    byte[] expected = SegmentEmitter.emit(PSH_ACK);
    ByteBuffer buffer = ByteBuffer.allocate(expected.length + 3);
    assertEquals(expected.length, SegmentEmitter.emit(PSH_ACK, Ipv4Params.DEFAULT, buffer, 3));
    assertEquals(0, buffer.position());
    byte[] fromBuffer = new byte[expected.length];
    buffer.get(3, fromBuffer);
    assertArrayEquals(expected, fromBuffer);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment m = arena.allocate(expected.length + 3);
      SegmentEmitter.emit(PSH_ACK, Ipv4Params.DEFAULT, m, 3);
      assertArrayEquals(expected, m.asSlice(3).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }
  }

  @Test
  void aBufferTooSmallIsAProgrammingError() {
    byte[] small = new byte[PSH_ACK.ipTotalLength() - 1];
    assertThrows(IndexOutOfBoundsException.class, () -> SegmentEmitter.emit(PSH_ACK, small, 0));
  }

  /** An explicit EOL is written where it stands; parsing stops there (RFC 9293 §3.2). */
  @Test
  void anExplicitEolEndsTheListForTheParser() {
    Segment s = Packets.data(new byte[0],
        List.of(new TcpOption.Mss(536), new TcpOption.Eol(), new TcpOption.SackPermitted()));
    byte[] p = SegmentEmitter.emit(s);
    assertArrayEquals(Hex.bytes("02040218 00 0402 00"), Arrays.copyOfRange(p, 40, 48));
    Segment back = assertInstanceOf(Parsed.class, SegmentParser.parse(p, 0, p.length)).segment();
    assertEquals(List.of(new TcpOption.Mss(536)), back.options());
  }

  @Test
  void unknownOptionsAreWrittenRaw() {
    Segment s = Packets.data(new byte[0],
        List.of(new TcpOption.Unknown(34, Hex.bytes("0102")), new TcpOption.Unknown(2, Hex.bytes("11"))));
    byte[] p = SegmentEmitter.emit(s);
    assertArrayEquals(Hex.bytes("22040102 020311 00"), Arrays.copyOfRange(p, 40, 48));
  }
}
