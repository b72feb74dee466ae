package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.tcpspec.abi.Symbol.IPPROTO_TCP;
import static org.tcpspec.abi.Symbol.SOL_SOCKET;
import static org.tcpspec.abi.Symbol.SO_MEMINFO;
import static org.tcpspec.abi.Symbol.TCP_INFO;
import static org.tcpspec.conformance.linux.CallBuffers.bytes;

import java.lang.foreign.MemorySegment;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.device.linux.LibcSockets;

/**
 * {@link KernelSockets}' setsockopt(2) and getsockopt(2): option values marshalled into the
 * call's memory, and what the kernel wrote back (an int, raw bytes, struct tcp_info, the
 * SO_MEMINFO counters) read out. What each call returns is documented on KernelSockets.
 */
final class SocketOptions {
  /** Room for struct tcp_info of kernels newer than {@link TcpInfo}. */
  private static final int TCP_INFO_BUFFER = 512;
  /** Room for more counters than Linux 6.18's nine, so a newer kernel's are read too. */
  private static final int SK_MEMINFO_MAX = 16;

  private SocketOptions() {}

  static SysResult<Void> setInt(int fd, int level, int name, int value) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(JAVA_INT);
      v.set(JAVA_INT, 0, value);
      return LibcSockets.setsockopt(fd, level, name, v, 4);
    }
  }

  static SysResult<Integer> getInt(int fd, int level, int name) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(JAVA_INT);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, 4);
      SysResult<Void> r = LibcSockets.getsockopt(fd, level, name, v, len);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), v.get(JAVA_INT, 0));
    }
  }

  static SysResult<TcpInfo> tcpInfo(int fd) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(TCP_INFO_BUFFER, 8);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, TCP_INFO_BUFFER);
      SysResult<Void> r = LibcSockets.getsockopt(fd, IPPROTO_TCP.value(), TCP_INFO.value(), v, len);
      if (r.failed()) return SysResult.error(r.errno());
      int returned = len.get(JAVA_INT, 0);
      return SysResult.ok(r.value(), TcpInfo.decode(bytes(v, returned), returned));
    }
  }

  /**
   * The SO_MEMINFO counters in the kernel's order (include/uapi/linux/sock_diag.h,
   * SK_MEMINFO_RMEM_ALLOC first), as many as it returned.
   */
  static SysResult<long[]> skMeminfo(int fd) {
    try (CallMemory memory = CallMemory.begin()) {
      int size = SK_MEMINFO_MAX * Integer.BYTES;
      MemorySegment v = memory.allocate(size, 4);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, size);
      SysResult<Void> r = LibcSockets.getsockopt(fd, SOL_SOCKET.value(), SO_MEMINFO.value(), v, len);
      if (r.failed()) return SysResult.error(r.errno());
      long[] values = new long[len.get(JAVA_INT, 0) / Integer.BYTES];
      for (int i = 0; i < values.length; i++) values[i] = Integer.toUnsignedLong(v.getAtIndex(JAVA_INT, i));
      return SysResult.ok(r.value(), values);
    }
  }

  /** The value's bytes in a buffer at least {@code optlen} long (zeros after them); optlen as given. */
  static SysResult<Void> setBytes(int fd, int level, int name, byte[] value, int optlen) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(Math.max(Math.max(value.length, optlen), 1), 8);
      MemorySegment.copy(MemorySegment.ofArray(value), 0, v, 0, value.length);
      return LibcSockets.setsockopt(fd, level, name, v, optlen);
    }
  }

  /** Into a zeroed buffer a byte longer than {@code optlen}; the bytes of the length written back. */
  static SysResult<byte[]> getBytes(int fd, int level, int name, int optlen) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(Math.max(optlen, 0) + 1L, 8);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, optlen);
      SysResult<Void> r = LibcSockets.getsockopt(fd, level, name, v, len);
      if (r.failed()) return SysResult.error(r.errno());
      int returned = len.get(JAVA_INT, 0);
      return SysResult.ok(r.value(), bytes(v, Math.max(0, Math.min(returned, optlen + 1))));
    }
  }
}
