package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;

/**
 * Where a super-packet's payload lies when it is not copied behind the headers: a few runs of
 * native memory (the send buffer's, before and after its ring wraps), in stream order, which the
 * device's write gathers (writev(2)), as Linux's skb points at the pages tcp_sendmsg filled. Each
 * run keeps its memory reachable until {@link #clear()}, so memory the send buffer let go of (it
 * grew into a larger ring) stays valid until the write. Made once per packet slot: nothing is
 * allocated per packet.
 */
public final class NativeSlices {
  private final MemorySegment[] memory;
  private final long[] offsets;
  private final long[] lengths;
  private int count;
  private long bytes;

  /** Room for {@code capacity} runs. */
  public NativeSlices(int capacity) {
    memory = new MemorySegment[capacity];
    offsets = new long[capacity];
    lengths = new long[capacity];
  }

  /** Runs that can still be added. */
  public int room() {
    return memory.length - count;
  }

  /**
   * Adds bytes {@code [offset, offset + length)} of {@code m}, joining them to the last run when
   * they continue it. The caller made sure of {@link #room()}.
   */
  public void add(MemorySegment m, long offset, long length) {
    if (length == 0) return;
    if (count > 0 && memory[count - 1] == m && offsets[count - 1] + lengths[count - 1] == offset) {
      lengths[count - 1] += length;
    } else {
      if (count == memory.length) throw new IllegalStateException("no room for another run");
      memory[count] = m;
      offsets[count] = offset;
      lengths[count] = length;
      count++;
    }
    bytes += length;
  }

  public int count() {
    return count;
  }

  public MemorySegment memory(int i) {
    return memory[i];
  }

  public long offset(int i) {
    return offsets[i];
  }

  public long length(int i) {
    return lengths[i];
  }

  /** The bytes of all runs. */
  public long bytes() {
    return bytes;
  }

  /** Copies every run, in order, into {@code dst} from {@code at}. */
  public void copyTo(MemorySegment dst, long at) {
    for (int i = 0; i < count; i++) {
      MemorySegment.copy(memory[i], offsets[i], dst, at, lengths[i]);
      at += lengths[i];
    }
  }

  /** Empties the list and lets go of the memory it pointed at. */
  public void clear() {
    for (int i = 0; i < count; i++) memory[i] = null;
    count = 0;
    bytes = 0;
  }
}
