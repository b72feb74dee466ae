package org.tcpspec.tcb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.PacketBuffer;
import org.tcpspec.wire.PacketBufferPool;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.TcpFlags;

/**
 * Issue 15: a receive buffer keeps large in-order payloads in the packet buffer the event loop read
 * them into ("lent"), reads them out in stream order with whatever it copied into its chunks, and
 * gives each buffer back once its part was read or dropped; it copies when lending would break the
 * order, the payload is small, or the pool has no buffer left for the loop's next read.
 */
class LentBytesTest {
  private static final int BIG = 20_000;

  private final PacketBufferPool pool = new PacketBufferPool(65_600, 2);
  private final SegmentReader reader = new SegmentReader();

  /** Stream bytes [from, from + len): byte i is (i * 7 + 1). */
  private static byte[] stream(long from, int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) b[i] = (byte) ((from + i) * 7 + 1);
    return b;
  }

  /**
   * Reads stream bytes [from, from + len) into the loop's buffer as one packet and has the reader
   * wrap it lent from there, as the event loop does with its own reads.
   */
  private PacketBuffer readIntoLoopBuffer(long from, int len) {
    return readIntoLoopBuffer(pool, from, len);
  }

  private PacketBuffer readIntoLoopBuffer(PacketBufferPool from0, long from, int len) {
    PacketBuffer b = from0.take();
    OutboundSegment s = new OutboundSegment()
        .reset(IpAddress.parse("192.0.2.1"), IpAddress.parse("192.168.0.1"), 5001, 40000, 1 + (int) from, 1,
            TcpFlags.ACK, 500)
        .timestamp(1, 2);
    System.arraycopy(stream(from, len), 0, s.payload(len), 0, len);
    byte[] packet = SegmentEmitter.emit(s);
    MemorySegment.copy(packet, 0, b.memory(), ValueLayout.JAVA_BYTE, 0, packet.length);
    assertTrue(reader.wrap(b.memory(), 0, packet.length));
    reader.lendFrom(b);
    return b;
  }

  /** The loop after delivering: reads on into another buffer when this one was lent. */
  private void loopDoneWith(PacketBuffer b) {
    reader.lendFrom(null);
    pool.doneReading(b);
  }

  private static byte[] readAll(ReceiveBuffer rb, int len) {
    byte[] got = new byte[len];
    assertEquals(len, rb.read(got, 0, len, true));
    return got;
  }

  @Test
  void aLargeInOrderPayloadStaysInItsPacketBufferUntilRead() {
    ReceiveBuffer rb = new ReceiveBuffer(1 << 20);
    PacketBuffer b = readIntoLoopBuffer(0, BIG);
    assertEquals(BIG, rb.accept(0, reader, 0, BIG));
    loopDoneWith(b);
    assertEquals(BIG, rb.lent());
    assertEquals(BIG, rb.readable());
    assertEquals(0, rb.allocated(), "no chunk taken");
    assertEquals((1 << 20) - BIG, rb.window());
    assertTrue(b.lent());
    assertEquals(1, pool.freeCount(), "the other buffer is free for the loop");

    byte[] peek = new byte[100];
    rb.read(peek, 0, 100, false);
    assertArrayEquals(stream(0, 100), peek, "a peek reads without taking");
    assertArrayEquals(stream(0, 12_000), readAll(rb, 12_000));
    assertTrue(b.lent(), "part of it is still unread");
    assertArrayEquals(stream(12_000, BIG - 12_000), readAll(rb, BIG - 12_000));
    assertFalse(b.lent());
    assertEquals(2, pool.freeCount(), "read whole, it went back to the pool");
    assertEquals(0, rb.held());
  }

  /**
   * Lent parts and bytes copied into the chunks (small payloads here; in a transfer, those copied
   * while the pool had no buffer left) interleave, and come out in stream order, in reads and peeks
   * of any size: lending resumes while the chunks still hold unread bytes.
   */
  @Test
  void lentAndCopiedBytesInterleaveInStreamOrder() {
    PacketBufferPool four = new PacketBufferPool(65_600, 4);
    ReceiveBuffer rb = new ReceiveBuffer(1 << 20);
    long next = 0;
    int[] sizes = {BIG, 500, BIG, 700, 300, BIG};
    for (int size : sizes) {
      PacketBuffer b = readIntoLoopBuffer(four, next, size);
      assertEquals(size, rb.accept(next, reader, 0, size));
      reader.lendFrom(null);
      four.doneReading(b);
      next += size;
    }
    assertEquals(3 * BIG, rb.lent(), "each large payload was lent, chunk bytes before it or not");
    assertEquals(3 * BIG + 1500, rb.readable());
    assertEquals(1, four.freeCount());
    long from = 0;
    for (int piece : new int[] {BIG - 100, 350, 7_000, BIG, 1_000, 200, 30_000}) {
      int n = (int) Math.min(piece, next - from);
      byte[] peek = new byte[n];
      assertEquals(n, rb.read(peek, 0, n, false));
      assertArrayEquals(stream(from, n), peek, "peek at " + from);
      assertArrayEquals(stream(from, n), readAll(rb, n), "read at " + from);
      from += n;
      assertEquals(next - from, rb.readable());
    }
    assertEquals(next, from);
    assertEquals(0, rb.held());
    assertEquals(4, four.freeCount(), "every buffer went back");
  }

  @Test
  void withOutOfOrderTextHeldThePayloadIsCopied() {
    ReceiveBuffer rb = new ReceiveBuffer(1 << 20);
    rb.accept(BIG + 1000, stream(BIG + 1000, 100), 0, 100);
    PacketBuffer b = readIntoLoopBuffer(0, BIG);
    rb.accept(0, reader, 0, BIG);
    loopDoneWith(b);
    assertEquals(0, rb.lent());
    assertFalse(b.lent());
    assertEquals(BIG, rb.readable());
    assertArrayEquals(stream(0, BIG), readAll(rb, BIG));
  }

  @Test
  void withNoBufferLeftForTheLoopThePayloadIsCopied() {
    ReceiveBuffer rb = new ReceiveBuffer(1 << 20);
    PacketBuffer first = readIntoLoopBuffer(0, BIG);
    rb.accept(0, reader, 0, BIG);
    PacketBuffer second = pool.take();
    loopDoneWith(first);
    assertNull(pool.take(), "both buffers are taken: one lent, one the loop's");
    pool.doneReading(second);
    PacketBuffer third = readIntoLoopBuffer(BIG, BIG);
    assertSame(second, third);
    rb.accept(BIG, reader, 0, BIG);
    assertFalse(third.lent(), "lending it would leave the loop nothing to read into");
    loopDoneWith(third);
    assertEquals(BIG, rb.lent());
    assertArrayEquals(stream(0, 2 * BIG), readAll(rb, 2 * BIG));
    assertEquals(2, pool.freeCount());
  }

  @Test
  void smallPayloadsAndClearedBuffersGiveTheirPartsBack() {
    ReceiveBuffer rb = new ReceiveBuffer(1 << 20);
    PacketBuffer small = readIntoLoopBuffer(0, 1000);
    rb.accept(0, reader, 0, 1000);
    assertFalse(small.lent(), "a small payload is copied");
    loopDoneWith(small);
    readAll(rb, 1000);
    PacketBuffer b = readIntoLoopBuffer(1000, BIG);
    rb.accept(1000, reader, 0, BIG);
    loopDoneWith(b);
    assertTrue(b.lent());
    assertEquals(BIG, rb.clear());
    assertFalse(b.lent());
    assertEquals(2, pool.freeCount());
    assertEquals(0, rb.held());
  }

  @Test
  void aReaderLendsOnlyTheMemoryItWrapsNow() {
    PacketBuffer b = readIntoLoopBuffer(0, BIG);
    assertSame(b, reader.lender());
    byte[] other = Arrays.copyOf(b.memory().asSlice(0, 20 + 32 + BIG).toArray(ValueLayout.JAVA_BYTE), 20 + 32 + BIG);
    assertTrue(reader.wrap(Arena.ofAuto().allocateFrom(ValueLayout.JAVA_BYTE, other), 0, other.length));
    assertNull(reader.lender(), "a packet wrapped elsewhere is not the buffer's");
  }

  /** The ring of parts grows while it runs across its end, and the parts still come out in order. */
  @Test
  void partsKeepTheirOrderWhenTheRingGrowsAcrossItsEnd() {
    PacketBufferPool many = new PacketBufferPool(4096, 16);
    LentBytes lent = new LentBytes();
    int part = 1000;
    long next = 0;
    long readFrom = 0;
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 3; k++, next += part) {
        PacketBuffer b = many.take();
        MemorySegment.copy(stream(next, part), 0, b.memory(), ValueLayout.JAVA_BYTE, 100, part);
        assertTrue(lent.keep(b, 100, part, 4 * LentBytes.MIN, 0));
        many.doneReading(b);
      }
      assertArrayEquals(stream(readFrom, 2 * part), readParts(lent, 2), "round " + round);
      readFrom += 2 * part;
    }
    int left = lent.count();
    assertArrayEquals(stream(readFrom, left * part), readParts(lent, left));
    assertEquals(0, lent.bytes());
    assertEquals(16, many.freeCount(), "every buffer went back");
  }

  /** The first {@code parts} parts of {@code lent} (no chunk bytes among them), read and consumed. */
  private static byte[] readParts(LentBytes lent, int parts) {
    int len = 0;
    for (int k = 0; k < parts; k++) len += lent.length(k);
    byte[] got = new byte[len];
    for (int k = 0, at = 0; k < parts; at += lent.length(k), k++) lent.copy(k, 0, got, at, lent.length(k));
    lent.consume(parts, 0, 0);
    return got;
  }
}
