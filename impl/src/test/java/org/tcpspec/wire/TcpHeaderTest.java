package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TcpHeaderTest {

  private static final int SRC = 0xC0000201; // 192.0.2.1
  private static final int DST = 0xC0A80001; // 192.168.0.1

  @Test
  void settersWriteBigEndianAtTheNamedOffsets() {
    byte[] b = new byte[24];
    new TcpHeader().wrap(b, 0, 24)
        .srcPort(0xABCD).dstPort(8080).seq(0xFFFFFFFE).ack(0x01020304)
        .dataOffset(6).flags(TcpFlags.SYN | TcpFlags.ACK).window(65535)
        .checksum(0x1234).urgentPointer(7);
    assertArrayEquals(Hex.bytes("abcd 1f90 fffffffe 01020304 60 12 ffff 1234 0007 00000000"), b);
  }

  @Test
  void gettersReadBackWhatSettersWrote() {
    TcpHeader tcp = new TcpHeader().wrap(new byte[20], 0, 20)
        .srcPort(65535).dstPort(1).seq(0x80000000).ack(-1).dataOffset(5).reserved(0x7)
        .flags(0x1FF).window(0x8001).checksum(0xFFFF).urgentPointer(0xFFFE);
    assertEquals(65535, tcp.srcPort());
    assertEquals(1, tcp.dstPort());
    assertEquals(0x80000000, tcp.seq());
    assertEquals(-1, tcp.ack());
    assertEquals(5, tcp.dataOffset());
    assertEquals(0x7, tcp.reserved());
    assertEquals(0x1FF, tcp.flags());
    assertEquals(0x8001, tcp.window());
    assertEquals(0xFFFF, tcp.checksum());
    assertEquals(0xFFFE, tcp.urgentPointer());
    tcp.reserved(0);
    assertEquals(5, tcp.dataOffset());
    assertEquals(0x1FF, tcp.flags(), "clearing the reserved bits keeps AE");
    tcp.dataOffset(0x1F);
    assertEquals(0xF, tcp.dataOffset());
    assertEquals(0, tcp.reserved());
  }

  @Test
  void aeIsTheLowBitOfByte12AndTheReservedBitsTheThreeAboveIt() {
    byte[] b = new byte[20];
    TcpHeader tcp = new TcpHeader().wrap(b, 0, 20).dataOffset(5).flags(TcpFlags.AE | TcpFlags.ACK);
    assertEquals(0x51, b[12] & 0xFF);
    assertEquals(0x10, b[13] & 0xFF);
    tcp.flags(TcpFlags.SYN);
    assertEquals(0x50, b[12] & 0xFF, "flags without AE clear the bit, keeping the data offset");
    b[12] = 0x5E;
    assertEquals(0x7, tcp.reserved());
    assertEquals(TcpFlags.SYN, tcp.flags(), "reserved bits are not flags");
  }

  @Test
  void headerLengthValidityFollowsDataOffsetAndWindow() {
    TcpHeader tcp = new TcpHeader().wrap(new byte[28], 0, 28);
    tcp.dataOffset(7);
    assertTrue(tcp.headerLengthValid());
    assertEquals(0, tcp.payloadLength());
    tcp.dataOffset(6);
    assertEquals(4, tcp.payloadLength());
    tcp.dataOffset(8);
    assertFalse(tcp.headerLengthValid());
    tcp.dataOffset(4);
    assertFalse(tcp.headerLengthValid());
    assertEquals(0, tcp.payloadLength());
  }

  @Test
  void checksumCoversPseudoHeaderHeaderAndPayload() {
    byte[] b = new byte[25];
    TcpHeader tcp = new TcpHeader().wrap(b, 0, 25)
        .srcPort(40000).dstPort(8080).seq(1).ack(2).dataOffset(5).flags(TcpFlags.ACK).window(100);
    b[20] = 'h';
    b[24] = 'o';
    tcp.fillChecksum(SRC, DST);
    assertTrue(tcp.checksumValid(SRC, DST));
    assertFalse(tcp.checksumValid(SRC, DST + 1), "the pseudo-header's addresses are covered");
    b[24] = 'x';
    assertFalse(tcp.checksumValid(SRC, DST), "the odd trailing payload byte is covered");
    // Independent check: checksum over an explicit pseudo-header followed by the segment.
    b[24] = 'o';
    byte[] all = new byte[12 + 25];
    System.arraycopy(Hex.bytes("c0000201 c0a80001 0006 0019"), 0, all, 0, 12);
    System.arraycopy(b, 0, all, 12, 25);
    all[12 + 16] = 0;
    all[12 + 17] = 0;
    assertEquals(InternetChecksum.compute(all, 0, all.length), tcp.checksum());
  }

  @Test
  void viewInsideAnIpv4PacketSharesItsBacking() {
    ByteBuffer buf = ByteBuffer.allocate(60);
    Ipv4Header ip = new Ipv4Header().wrap(buf, 10, 40);
    TcpHeader tcp = new TcpHeader().wrap(ip, 20, 20);
    tcp.dstPort(0x0102);
    assertEquals(0x01, buf.get(10 + 20 + 2));
    assertEquals(0x02, buf.get(10 + 20 + 3));
    assertThrows(IndexOutOfBoundsException.class, () -> new TcpHeader().wrap(ip, 21, 20));
  }

  @Test
  void variablePartAccessorsAreBoundsChecked() {
    TcpHeader tcp = new TcpHeader().wrap(new byte[22], 0, 22);
    tcp.byteAt(21, 0x5A);
    assertEquals(0x5A, tcp.byteAt(21));
    assertThrows(IndexOutOfBoundsException.class, () -> tcp.byteAt(22));
    byte[] out = new byte[2];
    tcp.copyOut(20, out, 0, 2);
    assertArrayEquals(new byte[] {0, 0x5A}, out);
    assertThrows(IndexOutOfBoundsException.class, () -> tcp.copyOut(21, out, 0, 2));
  }
}
