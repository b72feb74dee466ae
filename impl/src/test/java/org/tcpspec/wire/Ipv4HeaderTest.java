package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {

  /** A UDP header with a well-known correct checksum (0xb861), 192.168.0.1 -> 192.168.0.199. */
  private static final String KNOWN = "4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7";

  @Test
  void gettersReadTheFieldsBigEndian() {
    Ipv4Header ip = new Ipv4Header().wrap(Hex.bytes(KNOWN), 0, 20);
    assertEquals(4, ip.version());
    assertEquals(5, ip.ihl());
    assertEquals(20, ip.headerLength());
    assertEquals(0, ip.tos());
    assertEquals(0x73, ip.totalLength());
    assertEquals(0, ip.identification());
    assertTrue(ip.dontFragment());
    assertFalse(ip.moreFragments());
    assertEquals(0, ip.fragmentOffset());
    assertEquals(64, ip.ttl());
    assertEquals(17, ip.protocol());
    assertEquals(0xb861, ip.headerChecksum());
    assertEquals(0xC0A80001, ip.srcAddr());
    assertEquals(0xC0A800C7, ip.dstAddr());
  }

  @Test
  void checksumOfAKnownHeaderVerifiesAndRecomputes() {
    byte[] b = Hex.bytes(KNOWN);
    Ipv4Header ip = new Ipv4Header().wrap(b, 0, b.length);
    assertTrue(ip.headerChecksumValid());
    assertEquals(0xb861, ip.computeHeaderChecksum());
    ip.ttl(63);
    assertFalse(ip.headerChecksumValid());
    ip.fillHeaderChecksum();
    assertTrue(ip.headerChecksumValid());
    assertEquals(0xb961, ip.headerChecksum());
  }

  @Test
  void settersWriteOnlyTheirBits() {
    byte[] b = new byte[24];
    Ipv4Header ip = new Ipv4Header().wrap(b, 2, 22);
    ip.version(4).ihl(5).tos(0xB8).totalLength(0x1234).identification(0xBEEF)
        .dontFragment(true).fragmentOffset(0x1FFF).moreFragments(true).ttl(64).protocol(6)
        .headerChecksum(0xA1B2).srcAddr(0xC0000201).dstAddr(0xC0A80001);
    assertArrayEquals(
        Hex.bytes("0000 45b8 1234 beef 7fff 4006 a1b2 c0000201 c0a80001 0000"), b);
    ip.moreFragments(false).fragmentOffset(0).ihl(6);
    assertEquals(4, ip.version());
    assertEquals(6, ip.ihl());
    assertTrue(ip.dontFragment());
    assertEquals(Ipv4Header.FLAG_DF, ip.flags());
    assertEquals(0, ip.fragmentOffset());
  }

  @Test
  void settersKeepTheLowBitsOfTheFieldWidth() {
    Ipv4Header ip = new Ipv4Header().wrap(new byte[20], 0, 20);
    ip.version(0x14).ihl(0x15).fragmentOffset(0x3FFF);
    assertEquals(4, ip.version());
    assertEquals(5, ip.ihl());
    assertEquals(0x1FFF, ip.fragmentOffset());
    assertEquals(0, ip.flags());
  }

  @Test
  void everyBackingReadsTheSameBytes() {
    byte[] b = Hex.bytes("ffff" + KNOWN);
    ByteBuffer little = ByteBuffer.wrap(b.clone()).order(ByteOrder.LITTLE_ENDIAN);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment native_ = arena.allocate(b.length);
      native_.copyFrom(MemorySegment.ofArray(b));
      Ipv4Header viaArray = new Ipv4Header().wrap(b, 2, 20);
      Ipv4Header viaBuffer = new Ipv4Header().wrap(little, 2, 20);
      Ipv4Header viaMemory = new Ipv4Header().wrap(native_, 2, 20);
      for (Ipv4Header ip : new Ipv4Header[] {viaBuffer, viaMemory}) {
        assertEquals(viaArray.totalLength(), ip.totalLength());
        assertEquals(viaArray.srcAddr(), ip.srcAddr());
        assertEquals(viaArray.dstAddr(), ip.dstAddr());
        assertTrue(ip.headerChecksumValid());
        ip.identification(0x0102);
        assertEquals(0x01, ip.byteAt(Ipv4Header.IDENTIFICATION));
        assertEquals(0x02, ip.byteAt(Ipv4Header.IDENTIFICATION + 1));
      }
    }
  }

  @Test
  void oneViewIsReusedAcrossPackets() {
    Ipv4Header ip = new Ipv4Header();
    assertEquals(0, ip.version());
    ip.wrap(Hex.bytes(KNOWN), 0, 20);
    assertEquals(17, ip.protocol());
    byte[] other = Hex.bytes(KNOWN);
    other[9] = 6;
    ip.wrap(other, 0, 20);
    assertEquals(6, ip.protocol());
  }

  @Test
  void wrapChecksTheWindowOnceAndOnlyThere() {
    Ipv4Header ip = new Ipv4Header();
    assertThrows(IllegalArgumentException.class, () -> ip.wrap(new byte[19], 0, 19));
    assertThrows(IndexOutOfBoundsException.class, () -> ip.wrap(new byte[30], 11, 20));
    assertThrows(IndexOutOfBoundsException.class, () -> ip.wrap(new byte[30], -1, 20));
  }

  @Test
  void ihlBeyondTheWindowMakesTheChecksumInvalidInsteadOfFailing() {
    byte[] b = Hex.bytes(KNOWN);
    b[0] = 0x4F;
    Ipv4Header ip = new Ipv4Header().wrap(b, 0, 20);
    assertFalse(ip.headerLengthValid());
    assertFalse(ip.headerChecksumValid());
    assertThrows(IllegalStateException.class, ip::fillHeaderChecksum);
  }
}
