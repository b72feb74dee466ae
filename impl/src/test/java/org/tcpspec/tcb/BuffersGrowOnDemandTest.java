package org.tcpspec.tcb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, memory bounded: a connection's buffers start small and grow to their limit (SO_RCVBUF,
 * SO_SNDBUF, tcp_rmem/tcp_wmem defaults) only as bytes need the room; what goes through them is
 * unchanged by the growth, wraparound included.
 */
class BuffersGrowOnDemandTest {

  @Test
  void aNewConnectionsBuffersHoldAFewKilobytesNotTheirLimits() {
    Tcb tcb = new Tcb(Tcb.DEFAULT_BUFFER, Tcb.DEFAULT_BUFFER);
    assertEquals(Tcb.DEFAULT_BUFFER, tcb.receiveBuffer.capacity());
    assertEquals(Tcb.DEFAULT_BUFFER, tcb.receiveBuffer.window(), "the window is offered from the limit");
    assertTrue(tcb.receiveBuffer.allocated() <= 2048);
    assertEquals(Tcb.DEFAULT_BUFFER, tcb.sendBuffer.capacity());
    assertEquals(Tcb.DEFAULT_BUFFER + SendBuffer.SKB_SLACK, tcb.sendBuffer.room(), "the ring takes up to an skb's slack more");
    assertTrue(tcb.sendBuffer.allocated() <= 2048);
  }

  @Test
  void receivedBytesSurviveGrowthWrapAndReassembly() {
    Random rnd = new Random(13);
    ReceiveBuffer b = new ReceiveBuffer(64 * 1024);
    byte[] stream = new byte[2_000_000];
    rnd.nextBytes(stream);
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    while (read.size() < stream.length) {
      int len = 1 + rnd.nextInt(3000);
      // Sometimes a segment beyond a hole first (reassembly), then the in-order one.
      long start = rnd.nextInt(4) == 0 ? b.nextOffset() + 1 + rnd.nextInt(5000) : b.nextOffset();
      int n = (int) Math.min(len, stream.length - start);
      if (n > 0) b.accept(start, stream, (int) start, n);
      assertTrue(b.allocated() < b.capacity() + 2 * ChunkPool.CHUNK, "chunks held: " + b.allocated());
      byte[] out = new byte[rnd.nextInt(6000)];
      int got = b.read(out, 0, out.length, true);
      read.write(out, 0, got);
    }
    assertArrayEquals(stream, read.toByteArray());
    // Filled and not read: grown to the limit, never beyond; read out, every chunk goes back.
    long next = b.nextOffset();
    assertEquals(64 * 1024, b.accept(next, new byte[100_000], 0, 100_000));
    assertTrue(b.allocated() < b.capacity() + 2 * ChunkPool.CHUNK, "chunks held: " + b.allocated());
    assertEquals(64 * 1024, b.read(new byte[100_000], 0, 100_000, true));
    assertEquals(0, b.allocated());
  }

  /**
   * Issue 15: buffers of one stack share a pool. A buffer that starts holding bytes reserves there
   * what its capacity can hold, and more when it grows, so the chunks are made then and never while
   * text arrives; a deleted connection's chunks stay for the next one, which makes nothing new.
   */
  @Test
  void buffersReserveTheirCapacityAndLeaveTheirChunksToTheNext() {
    ChunkPool pool = new ChunkPool();
    ReceiveBuffer a = new ReceiveBuffer(1 << 20, BufferAccount.NONE, pool);
    ReceiveBuffer b = new ReceiveBuffer(1 << 20, BufferAccount.NONE, pool);
    assertEquals(0, pool.chunksMade(), "buffers that hold nothing reserve nothing");
    byte[] data = new byte[256 * 1024];
    new Random(15).nextBytes(data);
    a.accept(0, data, 0, data.length);
    int full = ReceiveBuffer.chunksFor(1 << 20);
    assertEquals(full, pool.chunksMade(), "a's first bytes reserved what 1 MiB can hold");
    byte[] out = new byte[data.length];
    assertEquals(data.length, a.read(out, 0, out.length, true));
    assertArrayEquals(data, out);
    assertEquals(full, pool.chunksFree(), "a gave its chunks back");
    a.release();
    b.accept(0, data, 0, data.length);
    assertEquals(full, pool.chunksMade(), "b took a's chunks: nothing new made");
    b.resize(4 << 20);
    int grown = ReceiveBuffer.chunksFor(4 << 20);
    assertEquals(grown, pool.chunksMade(), "b's growth reserved its new capacity, made now");
    byte[] rest = new byte[(4 << 20) - data.length];
    assertEquals(rest.length, b.accept(data.length, rest, 0, rest.length), "filled to its capacity");
    assertEquals(grown, pool.chunksMade(), "filling took only reserved chunks");
    assertEquals(data.length, b.read(out, 0, out.length, true));
    assertArrayEquals(data, out);
  }

  /**
   * Out-of-order text lies in the chunks at its place: holes filled later make it readable, and
   * it takes nothing beyond the reservation either.
   */
  @Test
  void outOfOrderTextTakesOnlyReservedChunks() {
    ChunkPool pool = new ChunkPool();
    ReceiveBuffer b = new ReceiveBuffer(256 * 1024, BufferAccount.NONE, pool);
    byte[] stream = new byte[256 * 1024];
    new Random(16).nextBytes(stream);
    for (int at = 1000; at < stream.length; at += 20_000) b.accept(at, stream, at, Math.min(9000, stream.length - at));
    assertEquals(ReceiveBuffer.chunksFor(256 * 1024), pool.chunksMade());
    assertEquals(0, b.readable());
    assertTrue(b.outOfOrderRangeCount() > 10);
    for (int at = 0; at < stream.length; at += 7000) b.accept(at, stream, at, Math.min(7000, stream.length - at));
    assertEquals(stream.length, b.readable());
    assertFalse(b.hasOutOfOrder());
    byte[] out = new byte[stream.length];
    assertEquals(stream.length, b.read(out, 0, out.length, true));
    assertArrayEquals(stream, out);
    assertEquals(ReceiveBuffer.chunksFor(256 * 1024), pool.chunksMade());
    assertEquals(0, b.allocated(), "every chunk went back");
  }

  /** tcp_mem's high bounds what the pool makes for reservations (plus two chunks per buffer). */
  @Test
  void tcpMemBoundsWhatThePoolMakes() {
    ChunkPool pool = new ChunkPool(() -> 10L * ChunkPool.CHUNK);
    ReceiveBuffer b = new ReceiveBuffer(1 << 20, BufferAccount.NONE, pool);
    b.accept(0, new byte[100], 0, 100);
    assertEquals(12, pool.chunksMade());
    assertEquals(ReceiveBuffer.chunksFor(1 << 20), pool.chunksReserved());
  }

  @Test
  void sentBytesSurviveGrowthAndWrap() {
    Random rnd = new Random(14);
    SendBuffer b = new SendBuffer(100_000);
    byte[] stream = new byte[1_000_000];
    rnd.nextBytes(stream);
    int written = 0;
    int acked = 0;
    while (acked < stream.length) {
      written += b.write(stream, written, Math.min(stream.length - written, rnd.nextInt(9000)));
      assertTrue(b.allocated() <= b.capacity());
      int unacked = written - acked;
      if (unacked > 0) {
        int from = rnd.nextInt(unacked);
        int len = Math.min(unacked - from, 1460);
        byte[] seg = new byte[len];
        b.copyOut(from, seg, 0, len);
        assertArrayEquals(java.util.Arrays.copyOfRange(stream, acked + from, acked + from + len), seg);
        int n = rnd.nextInt(unacked + 1);
        b.consume(n);
        acked += n;
      }
    }
    assertEquals(0, b.size());
  }

  @Test
  void aSmallerLimitShrinksTheRingButNeverBelowWhatIsHeld() {
    SendBuffer s = new SendBuffer(200_000);
    s.write(new byte[150_000], 0, 150_000);
    s.resize(10_000);
    assertEquals(200_000, s.capacity(), "150,000 bytes are held, more than 10,000 and the slack");
    s.consume(145_000);
    s.resize(10_000);
    assertEquals(10_000, s.capacity());
    assertTrue(s.allocated() <= s.limit());
    assertEquals(10_000 + SendBuffer.SKB_SLACK, s.limit());
    assertEquals(5_000, s.size());
  }
}
