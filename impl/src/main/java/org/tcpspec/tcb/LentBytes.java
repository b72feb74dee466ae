package org.tcpspec.tcb;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.tcpspec.wire.PacketBuffer;

/**
 * The readable bytes of a {@link ReceiveBuffer} that stay in the packet buffers the event loop read
 * them into, in stream order: a ring of parts, each a run of bytes in one packet buffer, which gets
 * its part back once it was read or dropped (issue 15). Each part also says how many of the
 * buffer's readable bytes in its chunks come before it in the stream (copied while no packet buffer
 * could be lent, or being small); the chunks' readable bytes beyond those follow the last part. So
 * lending resumes as soon as a buffer is free again, while the chunks still hold unread bytes: a
 * reader that lags behind the loop keeps bytes in the chunks for as long as it lags, and with
 * lending only into an empty buffer the loop copied every payload of a kernel-to-stack transfer at
 * MTU 65000 once the pool had run dry (ReceiveBuffer.accept's copy, 9-10 % of all samples). Not
 * thread-safe: used under the stack's lock, as the receive buffer is.
 */
final class LentBytes {
  /**
   * Payloads shorter than this are copied into the chunks: a packet buffer is as large as the
   * largest packet (64 KB), so keeping one for a few bytes would hold far more memory than the
   * window says.
   */
  static final int MIN = 8 * 1024;

  /** A ring (a power of two long) of parts: {@code count} from {@code first}. */
  private PacketBuffer[] buffers = new PacketBuffer[0];
  private long[] at = new long[0];
  private int[] lengths = new int[0];
  /** Of each part, the readable bytes in the chunks that come before it and after the part before it. */
  private int[] chunkBytesBefore = new int[0];
  /** The sum of {@link #chunkBytesBefore} over the parts. */
  private int chunkBytesInParts;
  private int first;
  private int count;
  private int bytes;

  /** Whether the ring was made (lending began). */
  boolean reserved() {
    return buffers.length > 0;
  }

  /** The bytes held. */
  int bytes() {
    return bytes;
  }

  /** The parts held. */
  int count() {
    return count;
  }

  /** The bytes of the {@code k}th part (0 is the first). */
  int length(int k) {
    return lengths[index(k)];
  }

  /** The chunks' readable bytes that come right before the {@code k}th part. */
  int chunkBytesBefore(int k) {
    return chunkBytesBefore[index(k)];
  }

  /** The chunks' readable bytes that come before the last part (the rest of them follow it). */
  int chunkBytesInParts() {
    return chunkBytesInParts;
  }

  private int index(int k) {
    return (first + k) & (buffers.length - 1);
  }

  /**
   * Keeps bytes {@code [offset, offset + length)} of {@code buffer}'s memory as the next readable
   * ones, after the {@code chunkReadable} readable bytes in the chunks, if the buffer lends them;
   * false when it does not (the caller copies them instead). The ring grows to what a buffer of
   * {@code capacity} bytes can hold in parts of {@link #MIN}.
   */
  boolean keep(PacketBuffer buffer, long offset, int length, int capacity, int chunkReadable) {
    if (count == buffers.length) reserve(capacity);
    if (!buffer.lend()) return false;
    int i = index(count);
    buffers[i] = buffer;
    at[i] = offset;
    lengths[i] = length;
    chunkBytesBefore[i] = chunkReadable - chunkBytesInParts;
    chunkBytesInParts = chunkReadable;
    count++;
    bytes += length;
    return true;
  }

  /**
   * Makes the ring hold the parts a buffer of {@code capacity} bytes can hold (each at least {@link
   * #MIN} when kept; reads only shorten them), once lending began: the receive buffer calls it when
   * its capacity grows (autotuning, on the reading thread), so the loop's thread does not allocate
   * for it in a transfer's steady state.
   */
  void reserve(int capacity) {
    int needed = Math.max(count + 1, capacity / MIN + 2);
    if (buffers.length >= needed) return;
    int length = Integer.highestOneBit(needed - 1) << 1;
    buffers = unwrapped(buffers, new PacketBuffer[length]);
    at = unwrapped(at, new long[length]);
    lengths = unwrapped(lengths, new int[length]);
    chunkBytesBefore = unwrapped(chunkBytesBefore, new int[length]);
    first = 0;
  }

  /** The parts' entries of {@code ring} (one of the three rings) copied into {@code fresh} from index 0, in order. */
  private <A> A unwrapped(A ring, A fresh) {
    int ringLength = java.lang.reflect.Array.getLength(ring);
    int beforeEnd = Math.min(count, ringLength - first);
    System.arraycopy(ring, first, fresh, 0, beforeEnd);
    System.arraycopy(ring, 0, fresh, beforeEnd, count - beforeEnd);
    return fresh;
  }

  /** Copies {@code n} bytes of the {@code k}th part, from its byte {@code from}, into {@code dst} at {@code off}. */
  void copy(int k, int from, byte[] dst, int off, int n) {
    int i = index(k);
    MemorySegment.copy(buffers[i].memory(), ValueLayout.JAVA_BYTE, at[i] + from, dst, off, n);
  }

  /**
   * A read took the first {@code parts} parts whole (and the chunk bytes before each), then {@code
   * chunkBytesRead} of the chunk bytes before the next part and {@code partBytesRead} of its own
   * (the latter only once all of the former): the parts read whole go back to their buffers.
   */
  void consume(int parts, int chunkBytesRead, int partBytesRead) {
    for (int k = 0; k < parts; k++) dropFirst();
    if (count == 0) return;
    chunkBytesBefore[first] -= chunkBytesRead;
    chunkBytesInParts -= chunkBytesRead;
    at[first] += partBytesRead;
    lengths[first] -= partBytesRead;
    bytes -= partBytesRead;
  }

  /** Drops every part (their buffers get them back). */
  void clear() {
    while (count > 0) dropFirst();
    bytes = 0;
    chunkBytesInParts = 0;
  }

  private void dropFirst() {
    bytes -= lengths[first];
    chunkBytesInParts -= chunkBytesBefore[first];
    buffers[first].giveBack();
    buffers[first] = null;
    first = (first + 1) & (buffers.length - 1);
    count--;
  }
}
