package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.TcpFlags;

class VirtioNetHeaderTest {

  @Test
  void fieldsAreLittleEndianAfterTwoOneByteFields() {
    var h = new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 54, 1448,
        20, 16);
    byte[] bytes = new byte[VirtioNetHeader.SIZE];
    h.write(MemorySegment.ofArray(bytes), 0);
    assertArrayEquals(new byte[] {1, 1, 54, 0, (byte) 0xA8, 0x05, 20, 0, 16, 0}, bytes);
    assertEquals(h, VirtioNetHeader.read(MemorySegment.ofArray(bytes), 0));
  }

  @Test
  void gsoIsTheTypeWithoutTheEcnBit() {
    assertFalse(VirtioNetHeader.NONE.isGso());
    assertFalse(VirtioNetHeader.NONE.needsChecksum());
    assertTrue(VirtioNetHeader.gso(VirtioNetHeader.GSO_TCPV6, 1000).isGso());
    assertTrue(
        VirtioNetHeader.gso(VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, 1000).isGso());
    assertFalse(new VirtioNetHeader(0, VirtioNetHeader.GSO_ECN, 0, 0, 0, 0).isGso());
  }

  @Test
  void fieldsOutOfRangeAreRefusedNamingTheField() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new VirtioNetHeader(0, 0, 0, 65536, 0, 0));
    assertEquals("gsoSize out of 0..65535: 65536", e.getMessage());
  }

  /**
   * The kernel leaves the pseudo-header's sum in the checksum field (tcp_v4_send_check); completing
   * it over header and odd-length payload gives what a full software checksum gives.
   */
  @Test
  void completingAPartialChecksumGivesTheFullOne() {
    int src = Ipv4Cidr.parseAddress("192.168.0.1");
    int dst = Ipv4Cidr.parseAddress("192.0.2.1");
    byte[] full = SegmentEmitter.emit(new Segment(src, dst, 8080, 40000, 12345, 678,
        TcpFlags.ACK | TcpFlags.PSH, 502, 0, List.of(), new byte[] {1, 2, 3, 4, 5, 6, 7}));
    byte[] partial = full.clone();
    int tcpLength = full.length - 20;
    long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 6 + tcpLength;
    while ((pseudo >>> 16) != 0) pseudo = (pseudo & 0xFFFF) + (pseudo >>> 16);
    partial[36] = (byte) (pseudo >>> 8);
    partial[37] = (byte) pseudo;
    var h =
        new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 20, 16);
    h.completeChecksum(MemorySegment.ofArray(partial));
    assertArrayEquals(full, partial);
  }

  @Test
  void aChecksumFieldBeyondThePacketIsRefused() {
    var h = new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 20, 16);
    assertThrows(IllegalArgumentException.class,
        () -> h.completeChecksum(MemorySegment.ofArray(new byte[37])));
  }

  @Test
  void offloadsNeedTheHeaderAndTsoNeedsChecksumOffload() {
    assertThrows(IllegalArgumentException.class,
        () -> new TunOffloads(false, TunOffloads.TUN_F_CSUM));
    assertThrows(IllegalArgumentException.class,
        () -> new TunOffloads(true, TunOffloads.TUN_F_TSO4));
    assertThrows(IllegalArgumentException.class, () -> new TunOffloads(true, 0x100));
    assertEquals(0x0F, TunOffloads.PACKETDRILL.flags());
    assertTrue(TunOffloads.PACKETDRILL.vnetHeader());
  }
}
