package org.tcpspec.tcb;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.tcpspec.wire.PacketBuffer;

/**
 * The readable bytes of a {@link ReceiveBuffer} that stay in the packet buffers the event loop read
 * them into, in stream order: a ring of parts, each a run of bytes in one packet buffer, which gets
 * its part back once it was read or dropped (issue 15). Not thread-safe: used under the stack's
 * lock, as the receive buffer is.
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

  /**
   * Keeps bytes {@code [offset, offset + length)} of {@code buffer}'s memory as the next readable
   * ones, if the buffer lends them; false when it does not (the caller copies them instead). The
   * ring grows to what a buffer of {@code capacity} bytes can hold in parts of {@link #MIN}.
   */
  boolean keep(PacketBuffer buffer, long offset, int length, int capacity) {
    if (count == buffers.length) reserve(capacity);
    if (!buffer.lend()) return false;
    int i = (first + count) & (buffers.length - 1);
    buffers[i] = buffer;
    at[i] = offset;
    lengths[i] = length;
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

  /**
   * Copies up to {@code len} of the bytes, from the first, into {@code dst} at {@code off} and
   * returns how many; {@code consume} removes them, giving each part read whole back to its buffer.
   */
  int read(byte[] dst, int off, int len, boolean consume) {
    int n = Math.min(len, bytes);
    int k = 0;
    for (int done = 0; done < n; ) {
      int i = (first + k) & (buffers.length - 1);
      int piece = Math.min(n - done, lengths[i]);
      MemorySegment.copy(buffers[i].memory(), ValueLayout.JAVA_BYTE, at[i], dst, off + done, piece);
      done += piece;
      if (!consume) {
        k++;
      } else if (piece == lengths[i]) {
        dropFirst();
      } else {
        at[i] += piece;
        lengths[i] -= piece;
      }
    }
    if (consume) bytes -= n;
    return n;
  }

  /** Drops every part (their buffers get them back). */
  void clear() {
    while (count > 0) dropFirst();
    bytes = 0;
  }

  private void dropFirst() {
    buffers[first].giveBack();
    buffers[first] = null;
    first = (first + 1) & (buffers.length - 1);
    count--;
  }
}
