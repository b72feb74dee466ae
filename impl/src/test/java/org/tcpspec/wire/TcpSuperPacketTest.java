package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: consecutive segments of a flow coalesce into one TCP super-packet exactly when the
 * kernel's segmentation gives them back, which {@link TcpSegmentation} (the same rules in software)
 * checks byte for byte.
 */
class TcpSuperPacketTest {
  private static final IpAddress A = IpAddress.parse("192.0.2.2");
  private static final IpAddress B = IpAddress.parse("192.168.0.1");
  private static final int MSS = 1000;

  private final MemorySegment buffer = Arena.ofAuto().allocate(65_535, 8);
  private final OutboundSegment out = new OutboundSegment();

  private OutboundSegment data(IpAddress src, IpAddress dst, int seq, int len, int flags, int ack) {
    out.reset(src, dst, 40000, 5001, seq, ack, flags, 500).timestamp(77, 66);
    byte[] p = out.payload(len);
    for (int i = 0; i < len; i++) p[i] = (byte) (seq + i);
    return out;
  }

  @Test
  void fullSegmentsAndAShortLastOneMakeOnePacketThatSplitsBackIntoThem() {
    assertRoundTrip(A, B);
  }

  @Test
  void ipv6SegmentsCoalesceAndSplitBackToo() {
    assertRoundTrip(IpAddress.parse("2001:db8::2"), IpAddress.parse("2001:db8::1"));
  }

  private void assertRoundTrip(IpAddress src, IpAddress dst) {
    TcpSuperPacket packet = new TcpSuperPacket(buffer, true);
    List<byte[]> expected = new ArrayList<>();
    int seq = 1_000_000;
    for (int i = 0; i < 10; i++, seq += MSS) {
      OutboundSegment s = data(src, dst, seq, MSS, TcpFlags.ACK, 5);
      expected.add(SegmentEmitter.emit(s));
      assertTrue(packet.add(s), "segment " + i + " follows");
      assertFalse(packet.closed());
    }
    OutboundSegment last = data(src, dst, seq, 300, TcpFlags.ACK | TcpFlags.PSH, 5);
    expected.add(SegmentEmitter.emit(last));
    assertTrue(packet.add(last));
    assertTrue(packet.closed(), "a short segment with PSH ends the packet");
    packet.finish();
    assertEquals(11, packet.segments());
    assertEquals(MSS, packet.gsoSize());

    byte[] bytes = buffer.asSlice(0, packet.length()).toArray(ValueLayout.JAVA_BYTE);
    SegmentReader reader = new SegmentReader();
    assertFalse(reader.wrap(bytes, 0, bytes.length), "its TCP checksum is partial, not complete");
    assertTrue(reader.wrapChecksumOffloaded(buffer, 0, packet.length()), "but every other check passes");
    assertEquals(10 * MSS + 300, reader.payloadLength());

    List<byte[]> split = TcpSegmentation.split(bytes, packet.gsoSize());
    assertEquals(expected.size(), split.size());
    for (int i = 0; i < split.size(); i++) {
      byte[] got = split.get(i);
      byte[] want = expected.get(i);
      if (src.isIpv4()) {
        // The kernel numbers the segments' IPv4 identification from the super-packet's; ours are 0.
        Ipv4Header ip = new Ipv4Header().wrap(got, 0, got.length);
        assertEquals(i, ip.identification());
        ip.identification(0).headerChecksum(0).fillHeaderChecksum();
      }
      assertArrayEquals(want, got, "segment " + i);
    }
  }

  @Test
  void aSegmentThatTheSplitWouldNotGiveBackStartsTheNextPacket() {
    TcpSuperPacket packet = new TcpSuperPacket(buffer, true);
    assertTrue(packet.add(data(A, B, 0, MSS, TcpFlags.ACK, 5)));
    assertFalse(packet.add(data(A, B, MSS, MSS, TcpFlags.ACK, 6)), "another ACK number");
    assertFalse(packet.add(data(A, B, 2 * MSS, MSS, TcpFlags.ACK, 5)), "a gap in the sequence");
    assertFalse(packet.add(data(A, B, MSS, MSS + 1, TcpFlags.ACK, 5)), "larger than the first");
    assertFalse(packet.add(data(B, A, MSS, MSS, TcpFlags.ACK, 5)), "another flow");
    out.reset(A, B, 40000, 5001, MSS, 5, TcpFlags.ACK, 500).timestamp(78, 66).payload(MSS);
    assertFalse(packet.add(out), "another timestamp");
    out.reset(A, B, 40000, 5001, MSS, 5, TcpFlags.ACK, 500).timestamp(77, 66).sackBlock(1, 2).payload(MSS);
    assertFalse(packet.add(out), "SACK blocks");
    assertFalse(packet.add(data(A, B, MSS, MSS, TcpFlags.ACK, 5).ip(0x2, 64)), "another ECN codepoint (ECT(0))");
    assertFalse(packet.add(data(A, B, MSS, MSS, TcpFlags.ACK, 5).ip(0, 7)), "another TTL");
    assertEquals(1, packet.segments());
    assertTrue(packet.add(data(A, B, MSS, MSS, TcpFlags.ACK, 5)), "the next segment as it should be");
    assertEquals(2, packet.segments());
  }

  @Test
  void aPureAckOrAnUncoalescingPacketHoldsOneSegment() {
    TcpSuperPacket packet = new TcpSuperPacket(buffer, true);
    packet.add(data(A, B, 0, 0, TcpFlags.ACK, 5));
    assertTrue(packet.closed(), "nothing follows a pure ACK");
    packet.finish();
    byte[] ack = buffer.asSlice(0, packet.length()).toArray(ValueLayout.JAVA_BYTE);
    assertFalse(new SegmentReader().wrap(ack, 0, ack.length), "for an offloading device its checksum is partial");
    List<byte[]> completed = TcpSegmentation.split(ack, 0);
    assertEquals(1, completed.size());
    assertArrayEquals(SegmentEmitter.emit(data(A, B, 0, 0, TcpFlags.ACK, 5)), completed.getFirst(),
        "and completed it is the segment");

    TcpSuperPacket single = new TcpSuperPacket(buffer, false);
    single.add(data(A, B, 0, MSS, TcpFlags.ACK, 5));
    assertTrue(single.closed(), "without coalescing every segment is a packet");
    single.finish();
    assertTrue(new SegmentReader().wrap(buffer, 0, single.length()), "with its checksum complete");
  }
  @Test
  void aPureAckIsSupersededOnlyByALaterPureAckOfItsConnectionThatAcknowledgesMore() {
    TcpSuperPacket packet = new TcpSuperPacket(buffer, true);
    packet.add(data(A, B, 0, 0, TcpFlags.ACK, 5));
    assertTrue(packet.pureAck());
    assertTrue(packet.supersededBy(data(A, B, 0, 0, TcpFlags.ACK, 6)), "a later ACK number");
    assertFalse(packet.supersededBy(data(A, B, 0, 0, TcpFlags.ACK, 5)), "the same number: maybe a duplicate ACK");
    assertFalse(packet.supersededBy(data(A, B, 0, 0, TcpFlags.ACK, 4)), "an older number");
    assertFalse(packet.supersededBy(data(B, A, 0, 0, TcpFlags.ACK, 6)), "another flow");
    assertFalse(packet.supersededBy(data(A, B, 0, 10, TcpFlags.ACK, 6)), "data");
    assertFalse(packet.supersededBy(data(A, B, 0, 0, TcpFlags.ACK | TcpFlags.FIN, 6)), "a FIN");
    out.reset(A, B, 40000, 5001, 0, 6, TcpFlags.ACK, 500).timestamp(77, 66).sackBlock(10, 20);
    assertFalse(packet.supersededBy(out), "SACK blocks");

    packet.clear();
    out.reset(A, B, 40000, 5001, 0, 5, TcpFlags.ACK, 500).timestamp(77, 66).sackBlock(10, 20);
    packet.add(out);
    assertFalse(packet.pureAck(), "an ACK with SACK blocks is not replaced: the next one may not carry them");
    assertFalse(packet.supersededBy(data(A, B, 0, 0, TcpFlags.ACK, 6)));
    packet.clear();
    packet.add(data(A, B, 0, 10, TcpFlags.ACK, 5));
    assertFalse(packet.supersededBy(data(A, B, 10, 0, TcpFlags.ACK, 6)), "a data segment is never replaced");
  }
}
