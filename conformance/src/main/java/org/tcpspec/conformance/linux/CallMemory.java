package org.tcpspec.conformance.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * The native memory one thread's kernel calls pass their arguments in: a block per thread, reused
 * call after call, handed out in zeroed slices that are the call's until its {@link #close}. It
 * stands where a confined arena per call stood: making one, allocating from it and closing it
 * (malloc, zeroing, a cleanup list, free) cost 25 to 30 us of the interpreter's thread per call
 * while that code was still interpreted (warm-up runs it too few times for the JIT), and every
 * microsecond before a packet moves the script's later events with it (see {@link JiffyEdge}).
 *
 * <p>One call at a time per thread: {@link #begin} while the thread's previous call is open throws.
 */
final class CallMemory implements SegmentAllocator, AutoCloseable {
  /** Enough for every call but large reads and writes, which grow the block. */
  private static final long INITIAL_SIZE = 16 << 10;
  private static final long BLOCK_ALIGNMENT = 16;
  private static final ThreadLocal<CallMemory> OF_THREAD = ThreadLocal.withInitial(CallMemory::new);

  /** Freed by the garbage collector with the last slice of it, like the thread's call state. */
  private MemorySegment block = Arena.ofAuto().allocate(INITIAL_SIZE, BLOCK_ALIGNMENT);
  private long used;
  private boolean open;

  private CallMemory() {}

  /** The calling thread's call memory, empty, for one call. */
  static CallMemory begin() {
    CallMemory m = OF_THREAD.get();
    if (m.open) throw new IllegalStateException("a kernel call of this thread is still using its call memory");
    m.open = true;
    return m;
  }

  /**
   * {@code byteSize} zeroed bytes at {@code byteAlignment}; when the block is full, a larger one
   * takes its place (the slices already handed out keep the old one alive until they go).
   */
  @Override
  public MemorySegment allocate(long byteSize, long byteAlignment) {
    long base = block.address();
    long at = ((base + used + byteAlignment - 1) & -byteAlignment) - base;
    if (at + byteSize > block.byteSize()) {
      block = Arena.ofAuto().allocate(Math.max(2 * block.byteSize(), byteSize), Math.max(BLOCK_ALIGNMENT, byteAlignment));
      at = 0;
    }
    used = at + byteSize;
    return block.asSlice(at, byteSize).fill((byte) 0);
  }

  /** Ends the call: its slices are free for the thread's next call. */
  @Override
  public void close() {
    used = 0;
    open = false;
  }
}
