package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.tcpspec.abi.Symbol.F_GETFL;
import static org.tcpspec.abi.Symbol.F_SETFL;
import static org.tcpspec.abi.Symbol.O_NONBLOCK;
import static org.tcpspec.abi.Symbol.SHUT_RDWR;
import static org.tcpspec.conformance.linux.CallBuffers.SOCKADDR_STORAGE;
import static org.tcpspec.conformance.linux.CallBuffers.sockaddr;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.device.linux.LibcFiles;
import org.tcpspec.device.linux.LibcPoll;
import org.tcpspec.device.linux.LibcSockets;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.SockAddr;

/**
 * The Linux kernel's socket API, called through FFM on real kernel sockets that live in one {@link
 * Netns}: what packetdrill's system calls become on the Linux system under test. Every method
 * returns what the kernel returned, errno included, and what it wrote through pointers ({@link
 * SysResult}); a failing call is a result, never an exception. Arguments are passed through unchanged, so a script can make the
 * kernel reject them (bad fd, bad option length) and see the kernel's errno.
 *
 * <p>{@link #socket} runs on the namespace's thread so the socket belongs to the namespace; every
 * other call runs on the calling thread, on descriptors that keep their namespace. Calls that block
 * (connect and accept on blocking sockets, read, poll) block the calling thread: call them from a
 * platform thread, or use non-blocking sockets and {@link #poll}.
 *
 * <p>A call blocked in connect or accept returns when another thread calls {@code shutdown(fd,
 * SHUT_RDWR)} (connect with ECONNRESET, accept with EINVAL, as measured on Linux 6.18); close(2)
 * alone does not wake it. {@link #close()} therefore shuts down, then closes, every descriptor this
 * instance made that is still open, so no thread stays blocked and the namespace can go away after
 * a failed run.
 *
 * <p>This class keeps the descriptors' lifecycle and the calls on addresses and files; the bodies
 * of the others are in {@link SocketOptions} (setsockopt, getsockopt, tcp_info, SO_MEMINFO),
 * {@link DataCalls} (read, write, send, recv, sendto, sendmsg, recvmsg, readv, writev) and {@link
 * Polling} (poll, epoll_ctl, epoll_wait), over {@link CallBuffers}; {@link NamespaceJoin} has
 * {@link #joinNamespace}'s setns.
 */
public final class KernelSockets implements AutoCloseable {
  private final Netns netns;
  private final Set<Integer> open = ConcurrentHashMap.newKeySet();

  public KernelSockets(Netns netns) {
    this.netns = netns;
  }

  public Netns netns() {
    return netns;
  }

  /**
   * socket(2), created in the namespace: on the calling thread when it has {@link #joinNamespace
   * joined} it, else on the namespace's thread.
   */
  public SysResult<Void> socket(int domain, int type, int protocol) {
    SysResult<Void> r;
    if (joined.get()) {
      r = LibcSockets.socket(domain, type, protocol);
    } else {
      try {
        r = netns.call(() -> LibcSockets.socket(domain, type, protocol));
      } catch (Exception e) {
        throw new IllegalStateException("namespace thread of " + netns + " failed", e);
      }
    }
    if (r.succeeded()) open.add(r.intValue());
    return r;
  }

  /**
   * Makes the calling thread's own native memory for its calls now, before a script's clock starts:
   * made at the thread's first call instead, it cost that call 0.27 ms.
   */
  public static void prepareThread() {
    CallMemory.begin().close();
  }

  /** Whether the calling thread is in the namespace (see {@link #joinNamespace}). */
  private final ThreadLocal<Boolean> joined = ThreadLocal.withInitial(() -> false);

  /** The calling thread's way back from {@link #joinNamespace}. */
  public interface Joined extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Moves the calling thread into the namespace (setns(2), which moves one thread) until the
   * returned handle is closed, as packetdrill's process lives in the namespace it runs in: its
   * socket(2) is then a system call like any other, where handing it to the namespace's thread
   * took that thread's wake-up, up to a millisecond here, at the start of every script.
   */
  public Joined joinNamespace() throws IOException {
    return NamespaceJoin.join(netns, joined);
  }

  /** bind(2) to a sockaddr_in or a sockaddr_in6, whose size is the length passed. */
  public SysResult<Void> bind(int fd, SockAddr address) {
    try (CallMemory memory = CallMemory.begin()) {
      return LibcSockets.bind(fd, sockaddr(memory, address), address.size());
    }
  }

  public SysResult<Void> listen(int fd, int backlog) {
    return LibcSockets.listen(fd, backlog);
  }

  /** accept(2): accept4 with no flags. */
  public SysResult<Optional<SockAddr>> accept(int fd) {
    return accept4(fd, 0);
  }

  /**
   * accept4(2) into a sockaddr_storage; the new descriptor is the result's value, the peer's
   * address the output (a sockaddr_in from an AF_INET listener, a sockaddr_in6 from an AF_INET6
   * one, an IPv4 peer's in its mapped form; empty for another family).
   */
  public SysResult<Optional<SockAddr>> accept4(int fd, int flags) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment addr = memory.allocate(SockAddr.STORAGE_SIZE, 8);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, SockAddr.STORAGE_SIZE);
      SysResult<Void> r = LibcSockets.accept4(fd, addr, len, flags);
      if (r.failed()) return SysResult.error(r.errno());
      open.add(r.intValue());
      return SysResult.ok(r.value(), SockAddr.read(addr, len.get(JAVA_INT, 0)));
    }
  }

  /** connect(2); on a non-blocking socket, -1 EINPROGRESS while the handshake runs. */
  public SysResult<Void> connect(int fd, SockAddr address) {
    try (CallMemory memory = CallMemory.begin()) {
      return LibcSockets.connect(fd, sockaddr(memory, address), address.size());
    }
  }

  /**
   * connect(2) to a zeroed sockaddr_storage holding only {@code family}, as packetdrill passes a
   * bare family: AF_UNSPEC dissolves the socket's association.
   */
  public SysResult<Void> connectBare(int fd, int family) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment addr = memory.allocate(SOCKADDR_STORAGE, 8);
      addr.set(JAVA_SHORT, 0, (short) family);
      return LibcSockets.connect(fd, addr, SOCKADDR_STORAGE);
    }
  }

  /** getsockname(2): the socket's own address, of its family (see {@link #accept4}). */
  public SysResult<Optional<SockAddr>> getsockname(int fd) {
    return name(fd, true);
  }

  /** getpeername(2): the connected peer's address, of the socket's family. */
  public SysResult<Optional<SockAddr>> getpeername(int fd) {
    return name(fd, false);
  }

  private SysResult<Optional<SockAddr>> name(int fd, boolean local) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment addr = memory.allocate(SockAddr.STORAGE_SIZE, 8);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, SockAddr.STORAGE_SIZE);
      SysResult<Void> r = local ? LibcSockets.getsockname(fd, addr, len) : LibcSockets.getpeername(fd, addr, len);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), SockAddr.read(addr, len.get(JAVA_INT, 0)));
    }
  }

  /** read(2) of up to {@code count} bytes; the output holds exactly the bytes read. */
  public SysResult<byte[]> read(int fd, int count) {
    return DataCalls.read(fd, count);
  }

  /** recv(2) with flags (MSG_PEEK 0x2, MSG_DONTWAIT 0x40, ...). */
  public SysResult<byte[]> recv(int fd, int count, int flags) {
    return DataCalls.recv(fd, count, flags);
  }

  public SysResult<Void> write(int fd, byte[] data) {
    return DataCalls.write(fd, data);
  }

  /** send(2) with flags (MSG_NOSIGNAL 0x4000, MSG_DONTWAIT 0x40, MSG_OOB 0x1, ...). */
  public SysResult<Void> send(int fd, byte[] data, int flags) {
    return DataCalls.send(fd, data, flags);
  }

  /** write(2) (send(2) with flags) of {@code count} bytes from a NULL buffer: the kernel's EFAULT. */
  public SysResult<Void> writeFromNull(int fd, int count, int flags) {
    return flags == 0 ? LibcFiles.write(fd, MemorySegment.NULL, count) : LibcSockets.send(fd, MemorySegment.NULL, count, flags);
  }

  /** read(2) (recv(2) with flags) of up to {@code count} bytes into a NULL buffer. */
  public SysResult<Void> readIntoNull(int fd, int count, int flags) {
    return flags == 0 ? LibcFiles.read(fd, MemorySegment.NULL, count) : LibcSockets.recv(fd, MemorySegment.NULL, count, flags);
  }

  /** shutdown(SHUT_RDWR) on every socket still open, which wakes any call blocked on one. */
  public void shutdownAll() {
    for (int fd : open) LibcSockets.shutdown(fd, SHUT_RDWR.value());
  }

  public SysResult<Void> shutdown(int fd, int how) {
    return LibcSockets.shutdown(fd, how);
  }

  /** close(2). The descriptor is forgotten even when close fails, as POSIX leaves it closed. */
  public SysResult<Void> close(int fd) {
    open.remove(fd);
    return LibcFiles.close(fd);
  }

  /** setsockopt(2) with an int value (SO_REUSEADDR, SO_RCVBUF, TCP_NODELAY, TCP_MAXSEG, ...). */
  public SysResult<Void> setsockopt(int fd, int level, int name, int value) {
    return SocketOptions.setInt(fd, level, name, value);
  }

  /** getsockopt(2) of an int option; SO_ERROR reads and clears the pending error. */
  public SysResult<Integer> getsockopt(int fd, int level, int name) {
    return SocketOptions.getInt(fd, level, name);
  }

  /** getsockopt(TCP_INFO), decoded for as many bytes as the kernel returned. */
  public SysResult<TcpInfo> tcpInfo(int fd) {
    return SocketOptions.tcpInfo(fd);
  }

  /**
   * getsockopt(SO_MEMINFO): the socket's memory counters in the kernel's order
   * (include/uapi/linux/sock_diag.h, SK_MEMINFO_RMEM_ALLOC first), as many as it returned.
   */
  public SysResult<long[]> skMeminfo(int fd) {
    return SocketOptions.skMeminfo(fd);
  }

  /**
   * ioctl(2) that reads an int: SIOCINQ (bytes waiting to be read) or SIOCOUTQ (bytes not yet
   * acknowledged) on a TCP socket.
   */
  public SysResult<Integer> ioctlInt(int fd, long request) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(JAVA_INT);
      SysResult<Void> r = LibcSockets.ioctl(fd, request, v);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), v.get(JAVA_INT, 0));
    }
  }

  /** fcntl(2) with an int argument: F_GETFL returns the flags, F_SETFL sets them. */
  public SysResult<Void> fcntl(int fd, int cmd, int arg) {
    return LibcFiles.fcntl(fd, cmd, arg);
  }

  /** F_GETFL then F_SETFL with O_NONBLOCK set or cleared; the first failure is returned. */
  public SysResult<Void> setNonBlocking(int fd, boolean nonBlocking) {
    SysResult<Void> flags = LibcFiles.fcntl(fd, F_GETFL.value(), 0);
    if (flags.failed()) return flags;
    int f = flags.intValue();
    return LibcFiles.fcntl(fd, F_SETFL.value(), nonBlocking ? f | O_NONBLOCK.value() : f & ~O_NONBLOCK.value());
  }

  /** poll(2); the output repeats {@code fds} with the revents the kernel wrote. */
  public SysResult<List<PollFd>> poll(List<PollFd> fds, int timeoutMillis) {
    return Polling.poll(fds, timeoutMillis);
  }

  /**
   * sendto(2) to a sockaddr_in or sockaddr_in6 {@code to}, or, when it is empty, to a zeroed
   * sockaddr_storage holding only {@code bareFamily} (AF_UNSPEC), as packetdrill passes them. With
   * {@code nullBuffer} the buffer pointer is NULL and {@code data}'s length the count.
   */
  public SysResult<Void> sendto(int fd, byte[] data, boolean nullBuffer, int flags, Optional<SockAddr> to,
      int bareFamily) {
    return DataCalls.sendto(fd, data, nullBuffer, flags, to, bareFamily);
  }

  /**
   * sendmsg(2) of zero-filled iovecs, with msg_name {@code to} when present and these control
   * bytes (msg_controllen is their length).
   */
  public SysResult<Void> sendmsg(int fd, List<Integer> iovLengths, Optional<SockAddr> to, byte[] control, int flags) {
    return DataCalls.sendmsg(fd, iovLengths, to, control, flags);
  }

  /**
   * recvmsg(2) into iovecs of these lengths, a sockaddr_storage for the name, msg_flags preset to
   * {@code msgFlags} and a control buffer holding {@code control} (msg_controllen its length); the
   * output is msg_flags and msg_controllen bytes of the control buffer after the call (a failed
   * call leaves both as they were).
   */
  public SysResult<ReceivedMessage> recvmsg(int fd, List<Integer> iovLengths, byte[] control, int msgFlags, int flags) {
    return DataCalls.recvmsg(fd, iovLengths, control, msgFlags, flags);
  }

  /** readv(2) into iovecs of these lengths. */
  public SysResult<Void> readv(int fd, List<Integer> iovLengths) {
    return DataCalls.readv(fd, iovLengths);
  }

  /** writev(2) of zero-filled iovecs of these lengths. */
  public SysResult<Void> writev(int fd, List<Integer> iovLengths) {
    return DataCalls.writev(fd, iovLengths);
  }

  /**
   * setsockopt(2) with a value of any shape: its bytes in a buffer at least {@code optlen} long
   * (zeros after them), and {@code optlen} passed as given, so a script can make the kernel see a
   * short or long option on purpose.
   */
  public SysResult<Void> setsockopt(int fd, int level, int name, byte[] value, int optlen) {
    return SocketOptions.setBytes(fd, level, name, value, optlen);
  }

  /**
   * getsockopt(2) into a zeroed buffer of {@code optlen} bytes; the output is the bytes of the
   * length the kernel wrote back into optlen.
   */
  public SysResult<byte[]> getsockopt(int fd, int level, int name, int optlen) {
    return SocketOptions.getBytes(fd, level, name, optlen);
  }

  /** ioctl(2) without a third argument (NULL is passed). */
  public SysResult<Void> ioctl(int fd, long request) {
    return LibcSockets.ioctl(fd, request, MemorySegment.NULL);
  }

  /** open(2) of a file; the descriptor is closed with the others at {@link #close()}. */
  public SysResult<Void> open(String path, int flags) {
    SysResult<Void> r = LibcFiles.open(path, flags);
    if (r.succeeded()) open.add(r.intValue());
    return r;
  }

  /** pipe(2); the output is the read and the write end. */
  public SysResult<List<Integer>> pipe() {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment fds = memory.allocate(JAVA_INT, 2);
      SysResult<Void> r = LibcFiles.pipe(fds);
      if (r.failed()) return SysResult.error(r.errno());
      List<Integer> ends = List.of(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
      open.addAll(ends);
      return SysResult.ok(r.value(), ends);
    }
  }

  public SysResult<Void> epollCreate(int size) {
    SysResult<Void> r = LibcPoll.epollCreate(size);
    if (r.succeeded()) open.add(r.intValue());
    return r;
  }

  /** epoll_ctl(2) with a struct epoll_event of these events and data. */
  public SysResult<Void> epollCtl(int epfd, int op, int fd, int events, long data) {
    return Polling.epollCtl(epfd, op, fd, events, data);
  }

  /** epoll_wait(2) into a zeroed array of {@code maxEvents}; the output is its first event. */
  public SysResult<EpollEvent> epollWait(int epfd, int maxEvents, int timeoutMillis) {
    return Polling.epollWait(epfd, maxEvents, timeoutMillis);
  }

  /** sendfile(2) from {@code inFd} starting at {@code offset}. */
  public SysResult<Void> sendfile(int outFd, int inFd, long offset, int count) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment off = memory.allocate(JAVA_LONG);
      off.set(JAVA_LONG, 0, offset);
      return LibcFiles.sendfile(outFd, inFd, off, count);
    }
  }

  /**
   * splice(2) with the offsets passed as packetdrill passes them: as the pointer values
   * themselves, so 0 is NULL (the pipe or socket's own position) and anything else an address.
   */
  public SysResult<Void> splice(int inFd, long inOffset, int outFd, long outOffset, int length, int flags) {
    return LibcFiles.splice(inFd, MemorySegment.ofAddress(inOffset), outFd, MemorySegment.ofAddress(outOffset), length, flags);
  }

  /** Descriptors made by this instance and not yet closed through it. */
  public Set<Integer> openDescriptors() {
    return Set.copyOf(open);
  }

  /** Shuts down (waking blocked calls) and closes every descriptor still open; idempotent. */
  @Override
  public void close() {
    for (int fd : List.copyOf(open)) {
      LibcSockets.shutdown(fd, SHUT_RDWR.value());
      close(fd);
    }
  }
}
