package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.tcpspec.conformance.linux.CallBuffers.SOCKADDR_STORAGE;
import static org.tcpspec.conformance.linux.CallBuffers.bytes;
import static org.tcpspec.conformance.linux.CallBuffers.copy;
import static org.tcpspec.conformance.linux.CallBuffers.outgoing;
import static org.tcpspec.conformance.linux.CallBuffers.sockaddr;
import static org.tcpspec.conformance.linux.CallBuffers.zeros;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.List;
import java.util.Optional;
import org.tcpspec.abi.SysResult;
import org.tcpspec.device.linux.LibcFiles;
import org.tcpspec.device.linux.LibcSockets;
import org.tcpspec.device.linux.SockAddr;

/**
 * {@link KernelSockets}' calls that move data: read(2), recv(2), write(2) and send(2) with one
 * buffer, sendto(2) with its address, sendmsg(2) and recvmsg(2) with a struct msghdr (name,
 * iovecs, control data, flags), readv(2) and writev(2). What each returns is documented on
 * KernelSockets.
 */
final class DataCalls {
  /** sizeof(struct msghdr) on x86-64, and the offsets of its fields (glibc's bits/socket.h). */
  private static final int MSGHDR_SIZE = 56;
  private static final int MSG_NAME = 0; // void *msg_name
  private static final int MSG_NAMELEN = 8; // socklen_t msg_namelen
  private static final int MSG_IOV = 16; // struct iovec *msg_iov
  private static final int MSG_IOVLEN = 24; // size_t msg_iovlen
  private static final int MSG_CONTROL = 32; // void *msg_control
  private static final int MSG_CONTROLLEN = 40; // size_t msg_controllen
  private static final int MSG_FLAGS = 48; // int msg_flags
  /** sizeof(struct iovec): void *iov_base; size_t iov_len. */
  private static final int IOVEC_SIZE = 16;

  private DataCalls() {}

  static SysResult<byte[]> read(int fd, int count) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment buf = memory.allocate(Math.max(count, 1));
      SysResult<Void> r = LibcFiles.read(fd, buf, count);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), bytes(buf, r.intValue()));
    }
  }

  static SysResult<byte[]> recv(int fd, int count, int flags) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment buf = memory.allocate(Math.max(count, 1));
      SysResult<Void> r = LibcSockets.recv(fd, buf, count, flags);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), bytes(buf, r.intValue()));
    }
  }

  static SysResult<Void> write(int fd, byte[] data) {
    try (CallMemory memory = CallMemory.begin()) {
      return LibcFiles.write(fd, outgoing(memory, data), data.length);
    }
  }

  static SysResult<Void> send(int fd, byte[] data, int flags) {
    try (CallMemory memory = CallMemory.begin()) {
      return LibcSockets.send(fd, outgoing(memory, data), data.length, flags);
    }
  }

  static SysResult<Void> sendto(int fd, byte[] data, boolean nullBuffer, int flags, Optional<SockAddr> to,
      int bareFamily) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment addr;
      int addrLen;
      if (to.isPresent()) {
        addr = sockaddr(memory, to.get());
        addrLen = to.get().size();
      } else {
        addr = memory.allocate(SOCKADDR_STORAGE, 8);
        addr.set(JAVA_SHORT, 0, (short) bareFamily);
        addrLen = SOCKADDR_STORAGE;
      }
      return LibcSockets.sendto(fd, nullBuffer ? MemorySegment.NULL : outgoing(memory, data), data.length, flags, addr, addrLen);
    }
  }

  /** An array of iovecs of these lengths: zeros to send ({@link CallBuffers#zeros}), or new buffers to receive into. */
  private static MemorySegment iovecs(SegmentAllocator memory, List<Integer> lengths, boolean toSend) {
    MemorySegment iov = memory.allocate((long) Math.max(lengths.size(), 1) * IOVEC_SIZE, 8);
    for (int i = 0; i < lengths.size(); i++) {
      int length = Math.max(lengths.get(i), 1);
      iov.set(ADDRESS, (long) i * IOVEC_SIZE, toSend ? zeros(length) : memory.allocate(length));
      iov.set(JAVA_LONG, (long) i * IOVEC_SIZE + 8, lengths.get(i));
    }
    return iov;
  }

  static SysResult<Void> sendmsg(int fd, List<Integer> iovLengths, Optional<SockAddr> to, byte[] control, int flags) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment msg = memory.allocate(MSGHDR_SIZE, 8);
      if (to.isPresent()) {
        msg.set(ADDRESS, MSG_NAME, sockaddr(memory, to.get()));
        msg.set(JAVA_INT, MSG_NAMELEN, to.get().size());
      }
      msg.set(ADDRESS, MSG_IOV, iovecs(memory, iovLengths, true));
      msg.set(JAVA_LONG, MSG_IOVLEN, iovLengths.size());
      msg.set(ADDRESS, MSG_CONTROL, copy(memory, control));
      msg.set(JAVA_LONG, MSG_CONTROLLEN, control.length);
      return LibcSockets.sendmsg(fd, msg, flags);
    }
  }

  static SysResult<ReceivedMessage> recvmsg(int fd, List<Integer> iovLengths, byte[] control, int msgFlags, int flags) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment msg = memory.allocate(MSGHDR_SIZE, 8);
      msg.set(ADDRESS, MSG_NAME, memory.allocate(SOCKADDR_STORAGE, 8));
      msg.set(JAVA_INT, MSG_NAMELEN, SOCKADDR_STORAGE);
      msg.set(ADDRESS, MSG_IOV, iovecs(memory, iovLengths, false));
      msg.set(JAVA_LONG, MSG_IOVLEN, iovLengths.size());
      MemorySegment buffer = copy(memory, control);
      msg.set(ADDRESS, MSG_CONTROL, buffer);
      msg.set(JAVA_LONG, MSG_CONTROLLEN, control.length);
      msg.set(JAVA_INT, MSG_FLAGS, msgFlags);
      SysResult<Void> r = LibcSockets.recvmsg(fd, msg, flags);
      if (r.failed()) return SysResult.error(r.errno());
      int controlLength = (int) Math.min(msg.get(JAVA_LONG, MSG_CONTROLLEN), control.length);
      return SysResult.ok(r.value(), new ReceivedMessage(msg.get(JAVA_INT, MSG_FLAGS), bytes(buffer, controlLength)));
    }
  }

  static SysResult<Void> readv(int fd, List<Integer> iovLengths) {
    try (CallMemory memory = CallMemory.begin()) {
      return LibcFiles.readv(fd, iovecs(memory, iovLengths, false), iovLengths.size());
    }
  }

  static SysResult<Void> writev(int fd, List<Integer> iovLengths) {
    try (CallMemory memory = CallMemory.begin()) {
      return LibcFiles.writev(fd, iovecs(memory, iovLengths, true), iovLengths.size());
    }
  }
}
