package org.tcpspec.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@link PacketBuffer}s an event loop reads packets into: one at a time is the loop's, the
 * others are free or lent to receive buffers. All are made at once, from one allocation, so that a
 * deeper backlog of unread bytes allocates nothing on the data path (issue 15, ZeroAllocationTest);
 * when all are lent, receive buffers copy as they did before. The memory is the garbage
 * collector's to free ({@link Arena#ofAuto}), so a buffer that an application never reads stays
 * valid for as long as its receive buffer holds it. The loop takes buffers without the stack's
 * lock (to queue a packet in its backlog, see the runtime's ReceivePath) while receive buffers
 * give theirs back under it, so the free list has a monitor of its own.
 */
public final class PacketBufferPool {
  /**
   * Bytes before each buffer's memory that belong to it ({@link PacketBuffer#framed()}): room for a
   * device's header read in front of the packet (the virtio-net header of a TUN read through
   * io_uring, which reads header and packet into one buffer).
   */
  public static final int HEADROOM = 16;

  private final PacketBuffer[] free;
  private int freeCount;

  /** {@code limit} buffers of {@code bufferSize} bytes, each behind {@link #HEADROOM} bytes. */
  public PacketBufferPool(long bufferSize, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit " + limit);
    long stride = (HEADROOM + bufferSize + 63) & ~63L;
    MemorySegment slab = Arena.ofAuto().allocate(stride * limit, 64);
    this.free = new PacketBuffer[limit];
    for (int i = limit - 1; i >= 0; i--) {
      free[freeCount++] = new PacketBuffer(slab.asSlice(i * stride, HEADROOM + bufferSize), this);
    }
  }

  /** A buffer for the loop's next read, or null when every one is lent. */
  public synchronized PacketBuffer take() {
    if (freeCount == 0) return null;
    PacketBuffer b = free[--freeCount];
    free[freeCount] = null;
    b.reading(true);
    return b;
  }

  /**
   * The loop is done with {@code b} (it read the next packet elsewhere, and the stack took this
   * one): free now if nothing holds part of it, else when the last part is given back. Under the
   * stack's lock, as {@link PacketBuffer#giveBack} is.
   */
  public void doneReading(PacketBuffer b) {
    b.reading(false);
    if (!b.lent()) free(b);
  }

  /** Whether {@link #take} would return a buffer. */
  synchronized boolean canReplace() {
    return freeCount > 0;
  }

  synchronized void free(PacketBuffer b) {
    free[freeCount++] = b;
  }

  /** Buffers free now (neither the loop's nor lent). */
  public synchronized int freeCount() {
    return freeCount;
  }
}
