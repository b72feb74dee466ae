package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.ParseResult.Parsed;

/**
 * The allocation-free views agree with the record path built on them: {@link SegmentParser} is a
 * {@link SegmentReader} wrap plus a copy, so what differs is only how fields are read; the
 * reader's direct accessors (timestamps found during the wrap, option lookups by kind, lengths)
 * must say what its record copy says. An {@link OutboundSegment} emits the same bytes as its
 * {@link Segment} copy.
 */
class SegmentReaderTest {

  @Test
  void readerAccessorsAgreeWithItsRecordCopyOnFuzzedInput() {
    Random rnd = new Random(0x5E6_2026L);
    SegmentReader reader = new SegmentReader();
    int parsed = 0;
    for (int round = 0; round < 50_000; round++) {
      byte[] packet = ParserFuzzTest.input(rnd, round % 15);
      ParseResult result = SegmentParser.parse(packet, 0, packet.length);
      boolean accepted = reader.wrap(packet, 0, packet.length);
      String input = "round " + round + " input " + Hex.of(packet);
      if (result instanceof Parsed p) {
        parsed++;
        assertTrue(accepted, "parser accepts, reader refuses: " + input);
        assertSameSegment(p.segment(), reader, input);
      } else {
        assertFalse(accepted, "parser refuses (" + result + "), reader accepts: " + input);
        assertEquals(result, reader.malformed(), input);
      }
    }
    assertTrue(parsed > 1000, "valid inputs: " + parsed);
  }

  @Test
  void sackBlocksAreReadWithoutDecodingTheOptionList() {
    Segment ack = new Segment(0x0A000001, 0x0A000002, 40000, 80, 7, 9, TcpFlags.ACK, 512, 0,
        List.of(new TcpOption.Nop(), new TcpOption.Nop(),
            new TcpOption.Sack(List.of(new TcpOption.SackBlock(100, 200), new TcpOption.SackBlock(300, 400)))),
        new byte[0]);
    byte[] packet = SegmentEmitter.emit(ack);
    SegmentReader r = new SegmentReader();
    assertTrue(r.wrap(packet, 0, packet.length));
    assertEquals(2, r.sackBlockCount());
    assertEquals(List.of(100, 200, 300, 400), List.of(r.sackLeft(0), r.sackRight(0), r.sackLeft(1), r.sackRight(1)));
  }

  /** The event loop drops malformed packets through the reader: refusing one must not allocate. */
  @Test
  void refusingAMalformedPacketAllocatesNothing() {
    byte[] packet = SegmentEmitter.emit(Packets.syn());
    packet[packet.length - 1] ^= 1; // the TCP checksum no longer verifies
    SegmentReader r = new SegmentReader();
    assertFalse(r.wrap(packet, 0, packet.length));
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    int accepted = 0;
    for (int i = 0; i < 10_000; i++) {
      if (r.wrap(packet, 0, packet.length)) accepted++;
    }
    assertEquals(0, accepted);
    assertEquals(0, mx.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 10,000 refused wraps");
    assertEquals("tcp.checksum", r.malformed().field());
  }

  @Property(tries = 500)
  void emittedSegmentsReadBack(@ForAll("segments") Segment s) {
    byte[] packet = SegmentEmitter.emit(s);
    SegmentReader reader = new SegmentReader();
    assertTrue(reader.wrap(packet, 0, packet.length));
    assertSameSegment(s, reader, s.toString());
  }

  @Provide
  Arbitrary<Segment> segments() {
    return SegmentArbitraries.segment();
  }

  @Test
  void outboundSegmentEmitsLikeItsRecordCopy() {
    OutboundSegment o = new OutboundSegment().reset(IpAddress.ipv4(0x0A000001), IpAddress.ipv4(0x0A000002), 40000, 80, 7, 9,
        TcpFlags.ACK | TcpFlags.PSH, 512);
    o.timestamp(123456, 654321).sackBlock(100, 200).sackBlock(300, 400);
    byte[] payload = o.payload(5);
    for (int i = 0; i < 5; i++) payload[i] = (byte) (i + 1);
    Segment copy = Segment.copyOf(o);
    assertEquals(List.of(new TcpOption.Nop(), new TcpOption.Nop(), new TcpOption.Timestamp(123456, 654321),
        new TcpOption.Nop(), new TcpOption.Nop(),
        new TcpOption.Sack(List.of(new TcpOption.SackBlock(100, 200), new TcpOption.SackBlock(300, 400)))),
        copy.options());
    byte[] viaWriter = new byte[o.ipTotalLength()];
    assertEquals(viaWriter.length, new SegmentEmitter().write(o, viaWriter, 0));
    assertEquals(Hex.of(SegmentEmitter.emit(copy)), Hex.of(viaWriter));
    assertEquals(copy.toString(), o.toString());
  }

  /** Code that asks every ACK for SACK blocks (RFC 6675 recovery) must not allocate when there are none. */
  @Test
  void askingForAnAbsentOptionAllocatesNothing() {
    Segment ack = new Segment(0x0A000001, 0x0A000002, 40000, 80, 7, 9, TcpFlags.ACK, 512, 0,
        List.of(new TcpOption.Nop(), new TcpOption.Nop(), new TcpOption.Timestamp(1, 2)), new byte[0]);
    byte[] packet = SegmentEmitter.emit(ack);
    SegmentReader r = new SegmentReader();
    assertTrue(r.wrap(packet, 0, packet.length));
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    int found = 0;
    for (int i = 0; i < 10_000; i++) {
      if (r.option(TcpOption.Sack.class).isPresent() || r.option(TcpOption.Mss.class).isPresent()) found++;
    }
    assertEquals(0, found);
    assertEquals(0, mx.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 20,000 absent-option lookups");
  }

  private static void assertSameSegment(Segment expected, SegmentReader r, String input) {
    assertEquals(expected, Segment.copyOf(r), input);
    assertEquals(expected.option(TcpOption.Timestamp.class).isPresent(), r.hasTimestamp(), input);
    assertEquals(expected.tsVal(), r.tsVal(), input);
    assertEquals(expected.tsEcr(), r.tsEcr(), input);
    assertEquals(expected.segLen(), r.segLen(), input);
    assertEquals(expected.optionsLength(), r.optionsLength(), input);
    assertEquals(expected.ipTotalLength(), r.ipTotalLength(), input);
    // The allocation-free SACK accessors read the first SACK option's blocks, as the record's do.
    assertEquals(expected.sackBlockCount(), r.sackBlockCount(), input);
    for (int i = 0; i < r.sackBlockCount(); i++) {
      assertEquals(expected.sackLeft(i), r.sackLeft(i), input);
      assertEquals(expected.sackRight(i), r.sackRight(i), input);
    }
    for (Class<? extends TcpOption> type : List.of(TcpOption.Mss.class, TcpOption.WindowScale.class,
        TcpOption.SackPermitted.class, TcpOption.Sack.class, TcpOption.Timestamp.class, TcpOption.Nop.class)) {
      assertEquals(expected.option(type), r.option(type), type.getSimpleName() + " of " + input);
    }
  }
}
