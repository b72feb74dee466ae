package org.tcpspec.tcb;

import java.util.Arrays;

/**
 * The fixed-size chunks that the receive buffers of one stack keep their in-order bytes in, and
 * take back when those are read. A buffer that grows takes chunks here instead of allocating a
 * larger ring and copying into it, so once the stack has held its peak of unread bytes, growing,
 * shrinking and moving between connections allocate nothing (issue 15: several connections whose
 * buffers grew to their autotuned size in turn allocated 1-27 kB per packet on the TUN path). Linux
 * takes receive memory per skb from its page allocator in the same spirit.
 *
 * <p>The pool keeps every chunk given back: what it holds is at most the stack's peak of unread
 * in-order bytes (plus a partly filled chunk per connection), which tcp_mem bounds ({@code
 * StackMemory}). Not thread-safe: the stack's callers serialise access, as for the buffers.
 */
public final class ChunkPool {
  /** Bytes per chunk: a power of two; a TUN super-packet of 64 KB fills four or five. */
  public static final int CHUNK = 16 * 1024;
  static final int CHUNK_SHIFT = Integer.numberOfTrailingZeros(CHUNK);

  private byte[][] free = new byte[16][];
  private int freeCount;
  /** Written under the stack's serialisation, read by anyone (bench samples it from another thread). */
  private volatile long made;

  /** A chunk: one given back earlier, or a new one. Its content is whatever it held before. */
  byte[] take() {
    if (freeCount == 0) {
      made++;
      return new byte[CHUNK];
    }
    byte[] c = free[--freeCount];
    free[freeCount] = null;
    return c;
  }

  /** {@code chunk} (one of {@link #take}'s) is free again. */
  void give(byte[] chunk) {
    if (freeCount == free.length) free = Arrays.copyOf(free, 2 * free.length);
    free[freeCount++] = chunk;
  }

  /** Chunks made so far (each {@link #CHUNK} bytes): the pool's peak; any thread may ask. */
  public long chunksMade() {
    return made;
  }

  /** Chunks free now. */
  public int chunksFree() {
    return freeCount;
  }
}
