package org.tcpspec.tcb;

import java.util.function.LongSupplier;

/**
 * The fixed-size chunks that the receive buffers of one stack keep their bytes in (in order and
 * out of order), and take back when those are read or dropped. A buffer that grows takes chunks
 * here instead of allocating a larger ring and copying into it, and moving between connections
 * allocates nothing (issue 15: several connections whose buffers grew to their autotuned size in
 * turn allocated 1-27 kB per packet on the TUN path). Linux takes receive memory per skb from its
 * page allocator in the same spirit.
 *
 * <p>Sizing (issue 15, "0 bytes per packet after warm-up"): a buffer that starts holding bytes
 * reserves what its capacity can ever hold ({@link ReceiveBuffer#chunksFor}), and reserves more
 * when its capacity grows (autotuning, SO_RCVBUF); the pool makes chunks at that moment, not when
 * a packet needs one, so the data path takes from what is free. Linux's model bounds the total: a
 * socket holds at most its sk_rcvbuf (tcp_rmem's max when autotuned) and all of them at most
 * tcp_mem's high, so the pool makes at most the sum of the capacities of the buffers holding bytes,
 * and never more than tcp_mem's high (plus two chunks per buffer, for a partly read first and a
 * partly filled last chunk). A deleted connection's reservation ends; the chunks stay, for the next
 * connection. Without a reservation (or past tcp_mem's high, where the stack drops text anyway) a
 * take that finds nothing free makes a chunk, as before. Not thread-safe: the stack's callers
 * serialise access, as for the buffers.
 */
public final class ChunkPool {
  /** Bytes per chunk: a power of two; a TUN super-packet of 64 KB fills four or five. */
  public static final int CHUNK = 16 * 1024;
  static final int CHUNK_SHIFT = Integer.numberOfTrailingZeros(CHUNK);

  private byte[][] free = new byte[16][];
  private int freeCount;
  /** Written under the stack's serialisation, read by anyone (bench samples it from another thread). */
  private volatile long made;
  /** Chunks the buffers that reserved may hold at most, together. */
  private long reserved;
  /** Buffers with a reservation. */
  private int reservers;
  /** tcp_mem's high in bytes, read when the pool is to make chunks. */
  private final LongSupplier limitBytes;

  /** A pool without a stack-wide limit (a buffer or a TCB of its own, in tests). */
  public ChunkPool() {
    this(() -> Long.MAX_VALUE);
  }

  /** A pool that makes no more than {@code limitBytes} (tcp_mem's high) for reservations. */
  public ChunkPool(LongSupplier limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** A chunk: one given back earlier, or a new one. Its content is whatever it held before. */
  byte[] take() {
    if (freeCount == 0) {
      made(1);
      return new byte[CHUNK];
    }
    byte[] c = free[--freeCount];
    free[freeCount] = null;
    return c;
  }

  /** {@code chunk} (one of {@link #take}'s) is free again. */
  void give(byte[] chunk) {
    if (freeCount == free.length) room(freeCount + 1);
    free[freeCount++] = chunk;
  }

  /** A buffer reserves {@code chunks} (its first reservation when {@code first}); chunks are made now. */
  void reserve(int chunks, boolean first) {
    reserved += chunks;
    if (first) reservers++;
    long target = Math.min(reserved, limitBytes.getAsLong() / CHUNK + 2L * reservers);
    if (made >= target) return;
    int more = (int) (target - made);
    room(freeCount + more);
    for (int i = 0; i < more; i++) free[freeCount++] = new byte[CHUNK];
    made(more);
  }

  /** A buffer's reservation of {@code chunks} ends (its connection was deleted); the chunks stay. */
  void unreserve(int chunks) {
    reserved -= chunks;
    reservers--;
  }

  private void made(int n) {
    made += n;
    room((int) made);
  }

  /** The free list holds {@code n} (so a chunk given back never grows it on the data path). */
  private void room(int n) {
    if (n > free.length) free = java.util.Arrays.copyOf(free, Math.max(n, 2 * free.length));
  }

  /** Chunks made so far (each {@link #CHUNK} bytes): the pool's peak; any thread may ask. */
  public long chunksMade() {
    return made;
  }

  /** Chunks free now. */
  public int chunksFree() {
    return freeCount;
  }

  /** Chunks the buffers have reserved now. */
  public long chunksReserved() {
    return reserved;
  }
}
