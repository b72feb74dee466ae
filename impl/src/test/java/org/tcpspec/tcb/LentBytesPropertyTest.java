package org.tcpspec.tcb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.PacketBuffer;
import org.tcpspec.wire.PacketBufferPool;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.TcpFlags;

/**
 * Whatever mix of lent and copied payloads a receive buffer took (large and small ones, a pool of
 * few buffers running dry and freeing up as the reader catches up), every read and peek gives the
 * stream's bytes in order, the counts add up, and every packet buffer goes back once read.
 */
class LentBytesPropertyTest {
  private static final int POOL = 4;

  /** A step: a payload of {@code size} bytes arrives (size > 0), or the reader reads {@code -size} (peeking first). */
  @Provide
  Arbitrary<List<Integer>> steps() {
    Arbitrary<Integer> arrive = Arbitraries.oneOf(Arbitraries.integers().between(1, LentBytes.MIN - 1),
        Arbitraries.integers().between(LentBytes.MIN, 60_000));
    Arbitrary<Integer> read = Arbitraries.integers().between(1, 90_000).map(n -> -n);
    return Arbitraries.oneOf(arrive, read).list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 300)
  void readsGiveTheStreamInOrder(@ForAll("steps") List<Integer> steps) {
    PacketBufferPool pool = new PacketBufferPool(65_600, POOL);
    SegmentReader reader = new SegmentReader();
    ReceiveBuffer rb = new ReceiveBuffer(1 << 22);
    long next = 0;
    long readTo = 0;
    int lentEver = 0;
    for (int step : steps) {
      if (step > 0) {
        PacketBuffer b = pool.take();
        if (b == null) continue; // every buffer lent and the loop's own: no read until the reader frees one
        byte[] packet = packet(next, step);
        MemorySegment.copy(packet, 0, b.memory(), ValueLayout.JAVA_BYTE, 0, packet.length);
        assertTrue(reader.wrap(b.memory(), 0, packet.length));
        reader.lendFrom(b);
        int lentBefore = rb.lent();
        assertEquals(step, rb.accept(next, reader, 0, step));
        if (rb.lent() > lentBefore) lentEver++;
        reader.lendFrom(null);
        pool.doneReading(b);
        next += step;
      } else {
        int n = (int) Math.min(-step, next - readTo);
        byte[] peek = new byte[n];
        assertEquals(n, rb.read(peek, 0, n, false));
        assertArrayEquals(stream(readTo, n), peek, "peek at " + readTo);
        byte[] got = new byte[n];
        assertEquals(n, rb.read(got, 0, n, true));
        assertArrayEquals(stream(readTo, n), got, "read at " + readTo);
        readTo += n;
      }
      assertEquals(next - readTo, rb.readable());
      assertEquals(next - readTo, rb.held());
    }
    Statistics.label("payloads lent").collect(lentEver == 0 ? "none" : lentEver < 3 ? "1-2" : "3+");
    int n = (int) (next - readTo);
    byte[] rest = new byte[n];
    assertEquals(n, rb.read(rest, 0, n, true));
    assertArrayEquals(stream(readTo, n), rest);
    assertEquals(0, rb.held());
    assertEquals(POOL, pool.freeCount(), "every buffer went back");
  }

  /** Stream bytes [from, from + len): byte i is (i * 7 + 1). */
  private static byte[] stream(long from, int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) b[i] = (byte) ((from + i) * 7 + 1);
    return b;
  }

  private static byte[] packet(long from, int len) {
    OutboundSegment s = new OutboundSegment()
        .reset(IpAddress.parse("192.0.2.1"), IpAddress.parse("192.168.0.1"), 5001, 40000, 1 + (int) from, 1,
            TcpFlags.ACK, 500);
    System.arraycopy(stream(from, len), 0, s.payload(len), 0, len);
    return SegmentEmitter.emit(s);
  }
}
