package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import org.tcpspec.device.linux.SockAddr;

/**
 * How {@link KernelSockets}' calls pass bytes to the kernel and read them back: native copies of
 * buffers and socket addresses in a call's memory ({@link CallMemory}), the zeros a write sends
 * from, and the bytes a call wrote.
 */
final class CallBuffers {
  /** sizeof(struct sockaddr_storage): room for any address a call may write. */
  static final int SOCKADDR_STORAGE = SockAddr.STORAGE_SIZE;

  private CallBuffers() {}

  /**
   * Zeros for the kernel to send from, never written and never freed: a MSG_ZEROCOPY send keeps
   * reading the caller's pages after the call returns, until the data is acknowledged, as
   * packetdrill's calls send from buffers that stay zero. Grown (the old one kept) when a call
   * needs more.
   */
  private static MemorySegment zeroPages = Arena.global().allocate(1 << 16, 4096);

  static synchronized MemorySegment zeros(long size) {
    if (zeroPages.byteSize() < size) zeroPages = Arena.global().allocate(Math.max(size, 2 * zeroPages.byteSize()), 4096);
    return zeroPages;
  }

  /** The bytes a write sends: {@link #zeros} when they are all zero (the script's {@code ...}), else a copy. */
  static MemorySegment outgoing(SegmentAllocator memory, byte[] data) {
    for (byte b : data) {
      if (b != 0) return copy(memory, data);
    }
    return zeros(Math.max(data.length, 1));
  }

  /** A native copy of a socket address, {@link SockAddr#size} bytes. */
  static MemorySegment sockaddr(SegmentAllocator memory, SockAddr address) {
    MemorySegment s = memory.allocate(address.size(), 4);
    address.write(s);
    return s;
  }

  static MemorySegment copy(SegmentAllocator memory, byte[] data) {
    MemorySegment s = memory.allocate(Math.max(data.length, 1));
    MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 0, data.length);
    return s;
  }

  static byte[] bytes(MemorySegment buf, int n) {
    return buf.asSlice(0, n).toArray(JAVA_BYTE);
  }
}
