package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.tcpspec.tcb.SendBuffer;

/**
 * Issue 15: a segment whose payload lies in the send buffer ({@link OutboundSegment#payloadFrom})
 * is written out with the same bytes as one whose payload was copied into it, on every path a
 * segment leaves by: an array ({@link SegmentEmitter#emit}), native memory (a TUN super-packet),
 * and {@link SegmentView#copyPayload}; also where the send buffer's ring wraps.
 */
class PayloadFromSendBufferTest {
  private static final IpAddress A = IpAddress.parse("192.0.2.2");
  private static final IpAddress B = IpAddress.parse("192.168.0.1");

  /** A send buffer whose held bytes run across the end of its ring: 500 bytes before it, 1400 after. */
  private static SendBuffer wrappedBuffer() {
    SendBuffer buffer = new SendBuffer(4096);
    byte[] first = new byte[1500];
    for (int i = 0; i < first.length; i++) first[i] = (byte) i;
    assertEquals(1500, buffer.write(first, 0, first.length));
    buffer.consume(1000);
    byte[] second = new byte[1400];
    for (int i = 0; i < second.length; i++) second[i] = (byte) (7 * i + 3);
    assertEquals(1400, buffer.write(second, 0, second.length));
    assertEquals(2048, buffer.allocated(), "the ring did not grow, so the bytes wrap");
    return buffer;
  }

  private static OutboundSegment header(OutboundSegment s, int seq) {
    return s.reset(A, B, 40000, 5001, seq, 9, TcpFlags.ACK, 500).timestamp(77, 66);
  }

  @Test
  void aPayloadLeftInTheSendBufferIsWrittenAsACopiedOneIs() {
    SendBuffer buffer = wrappedBuffer();
    OutboundSegment copied = header(new OutboundSegment(), 100);
    buffer.copyOut(100, copied.payload(1700), 0, 1700);
    OutboundSegment referenced = header(new OutboundSegment(), 100).payloadFrom(buffer, 100, 1700);

    assertArrayEquals(SegmentEmitter.emit(copied), SegmentEmitter.emit(referenced), "through an array");

    byte[] some = new byte[600];
    byte[] want = new byte[600];
    referenced.copyPayload(1000, some, 0, 600);
    copied.copyPayload(1000, want, 0, 600);
    assertArrayEquals(want, some, "copyPayload, across the ring's end");
    assertThrows(IndexOutOfBoundsException.class, () -> referenced.copyPayload(1200, some, 0, 600));
  }

  @Test
  void superPacketsFromBothKindsOfPayloadAreTheSameBytes() {
    SendBuffer buffer = wrappedBuffer();
    MemorySegment fromCopies = Arena.ofAuto().allocate(65_535, 8);
    MemorySegment fromBuffer = Arena.ofAuto().allocate(65_535, 8);
    TcpSuperPacket a = new TcpSuperPacket(fromCopies, true);
    TcpSuperPacket b = new TcpSuperPacket(fromBuffer, true);
    OutboundSegment copied = new OutboundSegment();
    OutboundSegment referenced = new OutboundSegment();
    for (int i = 0; i < 3; i++) {
      int from = 800 + 300 * i; // the second segment runs across the ring's end (1048 bytes after SND.UNA)
      buffer.copyOut(from, header(copied, 1000 + from).payload(300), 0, 300);
      assertTrue(a.add(copied));
      assertTrue(b.add(header(referenced, 1000 + from).payloadFrom(buffer, from, 300)));
    }
    a.finish();
    b.finish();
    assertEquals(a.length(), b.length());
    assertEquals(3, b.segments());
    assertFalse(a.gathered());
    assertTrue(b.gathered(), "new data from the send buffer's native ring stays there");
    assertEquals(2, b.slices().count(), "the three payloads make two runs: before and after the ring's end");
    assertEquals(900, b.slices().bytes());
    // What a gathering write sends: the headers, then the runs.
    b.slices().copyTo(fromBuffer, b.headerLength());
    assertArrayEquals(fromCopies.asSlice(0, a.length()).toArray(ValueLayout.JAVA_BYTE),
        fromBuffer.asSlice(0, b.length()).toArray(ValueLayout.JAVA_BYTE));
    b.clear();
    assertEquals(0, b.slices().count(), "a cleared packet lets go of the memory");
  }

  /**
   * A retransmission's bytes may be acknowledged, and their place in the ring reused, before the
   * packet is written: they are copied, and a packet gathering new data takes no such segment.
   */
  @Test
  void aRetransmissionsPayloadIsCopiedNotGathered() {
    SendBuffer buffer = wrappedBuffer();
    TcpSuperPacket p = new TcpSuperPacket(Arena.ofAuto().allocate(65_535, 8), true);
    OutboundSegment s = new OutboundSegment();
    assertTrue(p.add(header(s, 1000).payloadFrom(buffer, 0, 300).repeated()));
    assertFalse(p.gathered());
    p.clear();
    assertTrue(p.add(header(s, 1000).payloadFrom(buffer, 0, 300)));
    assertTrue(p.gathered());
    assertFalse(p.add(header(s, 1300).payloadFrom(buffer, 300, 300).repeated()), "the caller sends and starts anew");
    assertTrue(p.add(header(s, 1300).payloadFrom(buffer, 300, 300)));
    assertEquals(2, p.segments());
  }

  @Test
  void aPayloadSetAfterwardsReplacesTheReference() {
    SendBuffer buffer = wrappedBuffer();
    OutboundSegment s = header(new OutboundSegment(), 1).payloadFrom(buffer, 0, 900);
    byte[] own = s.payload(4);
    own[0] = 1;
    own[1] = 2;
    own[2] = 3;
    own[3] = 4;
    byte[] got = new byte[4];
    s.copyPayload(0, got, 0, 4);
    assertArrayEquals(new byte[] {1, 2, 3, 4}, got);
    header(s, 1).payloadFrom(buffer, 0, 900);
    header(s, 2);
    assertEquals(0, s.payloadLength(), "reset drops the reference");
    assertThrows(IndexOutOfBoundsException.class, () -> s.copyPayload(0, got, 0, 1));
  }
}
