package org.tcpspec.tcb;

/**
 * The chunks a {@link ReceiveBuffer} holds, a ring of references taken from the stack's {@link
 * ChunkPool} as bytes arrive and given back as they are read, and the buffer's reservation in the
 * pool: the first time the buffer holds bytes it reserves what its capacity can hold ({@link
 * ReceiveBuffer#chunksFor}), and more whenever the capacity grows, so the chunks it takes later are
 * made then, not while a packet waits. Positions count bytes from the start of the first chunk.
 * One per receive buffer; not thread-safe, as the buffer is not.
 */
final class ChunkRing {
  private static final int CHUNK = ChunkPool.CHUNK;
  private static final int SHIFT = ChunkPool.CHUNK_SHIFT;

  private final ChunkPool pool;
  /** The chunks held, a ring of references (a power of two long): {@code chunkCount} from {@code first}. */
  private byte[][] chunks = new byte[4][];
  private int first;
  int chunkCount;
  /** The chunks reserved in the pool ({@link ReceiveBuffer#chunksFor} the capacity), 0 before the first byte. */
  int reservedChunks;
  /** The connection was deleted: no more reservations. */
  private boolean released;

  ChunkRing(ChunkPool pool) {
    this.pool = pool;
  }

  /**
   * Reserves in the pool the chunks {@code capacity} can hold (the first time, or more after
   * growth), and sizes the ring of chunk references for them: both allocate here, not on the data
   * path.
   */
  void reserve(int capacity) {
    if (released) return;
    int need = ReceiveBuffer.chunksFor(capacity);
    if (need > reservedChunks) {
      pool.reserve(need - reservedChunks, reservedChunks == 0);
      reservedChunks = need;
    }
    if (chunks.length < need) ringOf(Integer.highestOneBit(need - 1) << 1);
  }

  /** The ring of chunk references made {@code length} long (a power of two), the chunks held kept in order. */
  private void ringOf(int length) {
    byte[][] more = new byte[length][];
    for (int k = 0; k < chunkCount; k++) more[k] = chunk(k);
    chunks = more;
    first = 0;
  }

  /**
   * The connection was deleted: its reservation ends (the chunks stay in the pool for the next
   * connection; any it still holds go back as they are read).
   */
  void release() {
    if (reservedChunks > 0) pool.unreserve(reservedChunks);
    reservedChunks = 0;
    released = true;
  }

  /** Chunks up to position {@code end}, reserving first for a buffer of {@code capacity}. */
  void ensureRoomTo(long end, int capacity) {
    if ((long) chunkCount << SHIFT >= end) return;
    if (reservedChunks == 0) reserve(capacity);
    while ((long) chunkCount << SHIFT < end) {
      if (chunkCount == chunks.length) ringOf(2 * chunks.length);
      chunks[(first + chunkCount) & (chunks.length - 1)] = pool.take();
      chunkCount++;
    }
  }

  /** The {@code k}th chunk held. */
  byte[] chunk(int k) {
    return chunks[(first + k) & (chunks.length - 1)];
  }

  /** Gives the last chunk back to the pool. */
  void releaseLast() {
    int k = (first + chunkCount - 1) & (chunks.length - 1);
    pool.give(chunks[k]);
    chunks[k] = null;
    chunkCount--;
  }

  /** Gives the first chunk back to the pool. */
  void releaseFirst() {
    pool.give(chunks[first]);
    chunks[first] = null;
    first = (first + 1) & (chunks.length - 1);
    chunkCount--;
  }

  /** Every chunk goes back to the pool. */
  void releaseAll() {
    while (chunkCount > 0) releaseFirst();
  }

  /** Copies {@code n} bytes of the chunks from position {@code p} (from the first chunk's start). */
  void copyFromChunks(int p, byte[] dst, int off, int n) {
    for (int done = 0; done < n; ) {
      int q = p + done;
      int piece = Math.min(n - done, CHUNK - (q & (CHUNK - 1)));
      System.arraycopy(chunk(q >>> SHIFT), q & (CHUNK - 1), dst, off + done, piece);
      done += piece;
    }
  }
}
