package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.device.InMemoryNativeLink;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpSuperPacket;

/**
 * The event loop's packets are queued under its lock and written later, by whoever drains: they
 * must reach the device in the order they were made, all of them, also when more were made than
 * the ring has slots (the oldest are then written at once).
 */
class TransmitRingTest {
  private static final IpAddress A = IpAddress.parse("192.0.2.2");
  private static final IpAddress B = IpAddress.parse("192.168.0.1");

  private final OutboundSegment out = new OutboundSegment();

  /** A short segment with PSH: a packet of its own, closed at once. */
  private OutboundSegment segment(int seq) {
    out.reset(A, B, 40000, 5001, seq, 1, TcpFlags.ACK | TcpFlags.PSH, 500).timestamp(77, 66);
    out.payload(100);
    return out;
  }

  private static void queue(TransmitRing ring, OutboundSegment s) {
    TcpSuperPacket p = ring.filling();
    assertTrue(p.isEmpty(), "the slot being filled is free");
    assertTrue(p.add(s));
    assertTrue(ring.submit());
  }

  private static List<Integer> receivedSeqs(InMemoryNativeLink.End end) throws IOException {
    List<Integer> seqs = new ArrayList<>();
    SegmentReader reader = new SegmentReader();
    for (int n; (n = end.receiveNative()) > 0; ) {
      assertTrue(reader.wrapChecksumOffloaded(end.rxBuffer(), 0, n) || reader.wrap(end.rxBuffer(), 0, n));
      seqs.add(reader.seq());
    }
    return seqs;
  }

  @Test
  void queuedPacketsAreWrittenOnlyByDrainAndInOrder() throws IOException {
    for (boolean offload : new boolean[] {true, false}) {
      InMemoryNativeLink link = new InMemoryNativeLink(1500, 64, offload);
      TransmitRing ring = new TransmitRing(link.a(), line -> {});
      int count = TransmitRing.SLOTS - 1;
      for (int i = 0; i < count; i++) queue(ring, segment(1000 + 100 * i));
      assertTrue(ring.pending());
      assertEquals(List.of(), receivedSeqs(link.b()), "nothing is written before a drain");
      ring.drain();
      assertFalse(ring.pending());
      List<Integer> want = new ArrayList<>();
      for (int i = 0; i < count; i++) want.add(1000 + 100 * i);
      assertEquals(want, receivedSeqs(link.b()), "offload " + offload);
      assertEquals(count, ring.written());
      assertEquals(count, ring.segmentsWritten());
      assertEquals(1, link.a().transmitBatches(), "the queued packets as one batch");
    }
  }

  @Test
  void moreThanTheRingHoldsIsWrittenOldestFirstWithoutLoss() throws IOException {
    InMemoryNativeLink link = new InMemoryNativeLink(1500, 64, true);
    TransmitRing ring = new TransmitRing(link.a(), line -> {});
    int count = 3 * TransmitRing.SLOTS + 2;
    List<Integer> want = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      queue(ring, segment(5000 + 100 * i));
      want.add(5000 + 100 * i);
    }
    ring.drain();
    assertEquals(want, receivedSeqs(link.b()));
    assertEquals(count, ring.written());
  }

  @Test
  void anEmptyPacketIsNotQueued() {
    InMemoryNativeLink link = new InMemoryNativeLink(1500, 64, true);
    TransmitRing ring = new TransmitRing(link.a(), line -> {});
    assertFalse(ring.submit());
    assertFalse(ring.pending());
  }
}
