package org.tcpspec.stack;

import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * The arrays of the send side's per-segment rings ({@link RetransmitQueue}, {@link SendTimes},
 * {@link SendSkbs}) of one stack: a ring that grows takes its larger arrays here and gives its old
 * ones back, and a connection whose sending is over gives back all it holds (TIME-WAIT, or its
 * deletion; like Linux's small timewait socket it keeps none), for the next connection. Linux keeps its skbs in a slab cache
 * (skbuff_head_cache) in the same spirit: memory a socket gave back serves the next one.
 *
 * <p>Why (issue 15, "0 bytes per packet after warm-up"): a bulk sender's rings grow when its
 * send buffer first reaches tcp_wmem's max, which with 16 connections sharing the path can be
 * seconds into a transfer (bench, stack to kernel at MTU 65000: 7 connections grew theirs between
 * a quarter and three quarters of the transfer, 30,352 bytes on the event loop's thread, each a
 * doubling of all seven arrays from 64 to 128 segments). With the pool, the arrays of the
 * connections before them serve that growth.
 *
 * <p>Lengths are powers of two (the rings index with a mask). A take gets a free array of the asked
 * length rounded up to a power of two, else a new one; exactly that length, so that the parallel
 * rings of one queue stay of one length. The pool keeps at most {@link #KEPT_PER_LENGTH} arrays of one type and length and {@link
 * #KEPT_BYTES} in all; what does not fit is left to the garbage collector. Not thread-safe: the
 * stack's callers serialise access, as for the rings.
 */
final class SegmentRingPool {
  /** Arrays kept of one element type and length. */
  static final int KEPT_PER_LENGTH = 64;
  /** Bytes of arrays kept in all (4 MB for 4 MB of send buffer in 1448-byte segments is ~120 KB). */
  static final long KEPT_BYTES = 16L << 20;
  /** Lengths up to 2^30. */
  private static final int LENGTHS = 31;

  /** What a released ring holds until it is used again: nothing. */
  static final int[] NO_INTS = new int[0];
  static final long[] NO_LONGS = new long[0];
  static final byte[] NO_BYTES = new byte[0];

  private final Shelf<int[]> ints = new Shelf<>(int[]::new, a -> a.length, Integer.BYTES);
  private final Shelf<long[]> longs = new Shelf<>(long[]::new, a -> a.length, Long.BYTES);
  private final Shelf<byte[]> bytes = new Shelf<>(byte[]::new, a -> a.length, Byte.BYTES);
  private long keptBytes;
  /** Written under the stack's serialisation, read by anyone (tests and bench read it). */
  private volatile long bytesMade;

  int[] ints(int length) {
    return ints.take(length);
  }

  long[] longs(int length) {
    return longs.take(length);
  }

  byte[] bytes(int length) {
    return bytes.take(length);
  }

  void give(int[] array) {
    ints.give(array);
  }

  void give(long[] array) {
    longs.give(array);
  }

  void give(byte[] array) {
    bytes.give(array);
  }

  /** Bytes of arrays this pool made (not those it handed out again). */
  long bytesMade() {
    return bytesMade;
  }

  /** Bytes of arrays kept for the next take. */
  long keptBytes() {
    return keptBytes;
  }

  /** The length a ring of at least {@code length} elements gets: a power of two. */
  static int ringLength(int length) {
    return length <= 1 ? 1 : Integer.highestOneBit(length - 1) << 1;
  }

  /** The free arrays of one element type, by length (index: log2 of the length). */
  private final class Shelf<A> {
    private final IntFunction<A> make;
    private final ToIntFunction<A> lengthOf;
    private final int elementBytes;
    private final Object[][] free = new Object[LENGTHS][];
    private final int[] count = new int[LENGTHS];

    Shelf(IntFunction<A> make, ToIntFunction<A> lengthOf, int elementBytes) {
      this.make = make;
      this.lengthOf = lengthOf;
      this.elementBytes = elementBytes;
    }

    @SuppressWarnings("unchecked")
    A take(int length) {
      int wanted = ringLength(length);
      int k = Integer.numberOfTrailingZeros(wanted);
      if (count[k] == 0) {
        bytesMade += bytes(wanted);
        return make.apply(wanted);
      }
      A a = (A) free[k][--count[k]];
      free[k][count[k]] = null;
      keptBytes -= bytes(wanted);
      return a;
    }

    void give(A array) {
      int length = lengthOf.applyAsInt(array);
      if (length == 0) return;
      if (Integer.bitCount(length) != 1) throw new IllegalArgumentException("not a ring's length: " + length);
      int k = Integer.numberOfTrailingZeros(length);
      if (count[k] == KEPT_PER_LENGTH || keptBytes + bytes(length) > KEPT_BYTES) return;
      if (free[k] == null) free[k] = new Object[KEPT_PER_LENGTH];
      free[k][count[k]++] = array;
      keptBytes += bytes(length);
    }

    private long bytes(int length) {
      return (long) length * elementBytes;
    }
  }
}
