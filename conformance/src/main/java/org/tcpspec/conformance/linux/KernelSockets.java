package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.tcpspec.abi.Symbol.CLONE_NEWNET;
import static org.tcpspec.abi.Symbol.F_GETFL;
import static org.tcpspec.abi.Symbol.F_SETFL;
import static org.tcpspec.abi.Symbol.IPPROTO_TCP;
import static org.tcpspec.abi.Symbol.O_CLOEXEC;
import static org.tcpspec.abi.Symbol.O_NONBLOCK;
import static org.tcpspec.abi.Symbol.O_RDONLY;
import static org.tcpspec.abi.Symbol.SHUT_RDWR;
import static org.tcpspec.abi.Symbol.SOL_SOCKET;
import static org.tcpspec.abi.Symbol.SO_MEMINFO;
import static org.tcpspec.abi.Symbol.TCP_INFO;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.device.linux.Libc;
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
 */
public final class KernelSockets implements AutoCloseable {
  /** Room for struct tcp_info of kernels newer than {@link TcpInfo}. */
  private static final int TCP_INFO_BUFFER = 512;

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
      r = Libc.socket(domain, type, protocol);
    } else {
      try {
        r = netns.call(() -> Libc.socket(domain, type, protocol));
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
    int cloexec = O_RDONLY.value() | O_CLOEXEC.value();
    SysResult<Void> home = Libc.open("/proc/thread-self/ns/net", cloexec);
    if (home.failed()) throw new IOException("open /proc/thread-self/ns/net: " + home);
    SysResult<Void> target = Libc.open("/run/netns/" + netns.name(), cloexec);
    if (target.failed()) {
      Libc.close(home.intValue());
      throw new IOException("open /run/netns/" + netns.name() + ": " + target);
    }
    SysResult<Void> in = Libc.setns(target.intValue(), CLONE_NEWNET.value());
    Libc.close(target.intValue());
    if (in.failed()) {
      Libc.close(home.intValue());
      throw new IOException("setns " + netns.name() + ": " + in);
    }
    joined.set(true);
    return () -> {
      joined.set(false);
      SysResult<Void> back = Libc.setns(home.intValue(), CLONE_NEWNET.value());
      Libc.close(home.intValue());
      if (back.failed()) throw new IllegalStateException("setns back from " + netns.name() + ": " + back);
    };
  }

  /** bind(2) to a sockaddr_in or a sockaddr_in6, whose size is the length passed. */
  public SysResult<Void> bind(int fd, SockAddr address) {
    try (CallMemory memory = CallMemory.begin()) {
      return Libc.bind(fd, sockaddr(memory, address), address.size());
    }
  }

  public SysResult<Void> listen(int fd, int backlog) {
    return Libc.listen(fd, backlog);
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
      SysResult<Void> r = Libc.accept4(fd, addr, len, flags);
      if (r.failed()) return SysResult.error(r.errno());
      open.add(r.intValue());
      return SysResult.ok(r.value(), SockAddr.read(addr, len.get(JAVA_INT, 0)));
    }
  }

  /** connect(2); on a non-blocking socket, -1 EINPROGRESS while the handshake runs. */
  public SysResult<Void> connect(int fd, SockAddr address) {
    try (CallMemory memory = CallMemory.begin()) {
      return Libc.connect(fd, sockaddr(memory, address), address.size());
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
      return Libc.connect(fd, addr, SOCKADDR_STORAGE);
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
      SysResult<Void> r = local ? Libc.getsockname(fd, addr, len) : Libc.getpeername(fd, addr, len);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), SockAddr.read(addr, len.get(JAVA_INT, 0)));
    }
  }

  /** read(2) of up to {@code count} bytes; the output holds exactly the bytes read. */
  public SysResult<byte[]> read(int fd, int count) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment buf = memory.allocate(Math.max(count, 1));
      SysResult<Void> r = Libc.read(fd, buf, count);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), bytes(buf, r.intValue()));
    }
  }

  /** recv(2) with flags (MSG_PEEK 0x2, MSG_DONTWAIT 0x40, ...). */
  public SysResult<byte[]> recv(int fd, int count, int flags) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment buf = memory.allocate(Math.max(count, 1));
      SysResult<Void> r = Libc.recv(fd, buf, count, flags);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), bytes(buf, r.intValue()));
    }
  }

  public SysResult<Void> write(int fd, byte[] data) {
    try (CallMemory memory = CallMemory.begin()) {
      return Libc.write(fd, outgoing(memory, data), data.length);
    }
  }

  /** send(2) with flags (MSG_NOSIGNAL 0x4000, MSG_DONTWAIT 0x40, MSG_OOB 0x1, ...). */
  public SysResult<Void> send(int fd, byte[] data, int flags) {
    try (CallMemory memory = CallMemory.begin()) {
      return Libc.send(fd, outgoing(memory, data), data.length, flags);
    }
  }

  /** write(2) (send(2) with flags) of {@code count} bytes from a NULL buffer: the kernel's EFAULT. */
  public SysResult<Void> writeFromNull(int fd, int count, int flags) {
    return flags == 0 ? Libc.write(fd, MemorySegment.NULL, count) : Libc.send(fd, MemorySegment.NULL, count, flags);
  }

  /** read(2) (recv(2) with flags) of up to {@code count} bytes into a NULL buffer. */
  public SysResult<Void> readIntoNull(int fd, int count, int flags) {
    return flags == 0 ? Libc.read(fd, MemorySegment.NULL, count) : Libc.recv(fd, MemorySegment.NULL, count, flags);
  }

  /** shutdown(SHUT_RDWR) on every socket still open, which wakes any call blocked on one. */
  public void shutdownAll() {
    for (int fd : open) Libc.shutdown(fd, SHUT_RDWR.value());
  }

  public SysResult<Void> shutdown(int fd, int how) {
    return Libc.shutdown(fd, how);
  }

  /** close(2). The descriptor is forgotten even when close fails, as POSIX leaves it closed. */
  public SysResult<Void> close(int fd) {
    open.remove(fd);
    return Libc.close(fd);
  }

  /** setsockopt(2) with an int value (SO_REUSEADDR, SO_RCVBUF, TCP_NODELAY, TCP_MAXSEG, ...). */
  public SysResult<Void> setsockopt(int fd, int level, int name, int value) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(JAVA_INT);
      v.set(JAVA_INT, 0, value);
      return Libc.setsockopt(fd, level, name, v, 4);
    }
  }

  /** getsockopt(2) of an int option; SO_ERROR reads and clears the pending error. */
  public SysResult<Integer> getsockopt(int fd, int level, int name) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(JAVA_INT);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, 4);
      SysResult<Void> r = Libc.getsockopt(fd, level, name, v, len);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), v.get(JAVA_INT, 0));
    }
  }

  /** getsockopt(TCP_INFO), decoded for as many bytes as the kernel returned. */
  public SysResult<TcpInfo> tcpInfo(int fd) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(TCP_INFO_BUFFER, 8);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, TCP_INFO_BUFFER);
      SysResult<Void> r = Libc.getsockopt(fd, IPPROTO_TCP.value(), TCP_INFO.value(), v, len);
      if (r.failed()) return SysResult.error(r.errno());
      int returned = len.get(JAVA_INT, 0);
      return SysResult.ok(r.value(), TcpInfo.decode(bytes(v, returned), returned));
    }
  }

  /**
   * getsockopt(SO_MEMINFO): the socket's memory counters in the kernel's order
   * (include/uapi/linux/sock_diag.h, SK_MEMINFO_RMEM_ALLOC first), as many as it returned.
   */
  public SysResult<long[]> skMeminfo(int fd) {
    try (CallMemory memory = CallMemory.begin()) {
      int size = SK_MEMINFO_MAX * Integer.BYTES;
      MemorySegment v = memory.allocate(size, 4);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, size);
      SysResult<Void> r = Libc.getsockopt(fd, SOL_SOCKET.value(), SO_MEMINFO.value(), v, len);
      if (r.failed()) return SysResult.error(r.errno());
      long[] values = new long[len.get(JAVA_INT, 0) / Integer.BYTES];
      for (int i = 0; i < values.length; i++) values[i] = Integer.toUnsignedLong(v.getAtIndex(JAVA_INT, i));
      return SysResult.ok(r.value(), values);
    }
  }

  /** Room for more counters than Linux 6.18's nine, so a newer kernel's are read too. */
  private static final int SK_MEMINFO_MAX = 16;

  /**
   * ioctl(2) that reads an int: SIOCINQ (bytes waiting to be read) or SIOCOUTQ (bytes not yet
   * acknowledged) on a TCP socket.
   */
  public SysResult<Integer> ioctlInt(int fd, long request) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(JAVA_INT);
      SysResult<Void> r = Libc.ioctl(fd, request, v);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), v.get(JAVA_INT, 0));
    }
  }

  /** fcntl(2) with an int argument: F_GETFL returns the flags, F_SETFL sets them. */
  public SysResult<Void> fcntl(int fd, int cmd, int arg) {
    return Libc.fcntl(fd, cmd, arg);
  }

  /** F_GETFL then F_SETFL with O_NONBLOCK set or cleared; the first failure is returned. */
  public SysResult<Void> setNonBlocking(int fd, boolean nonBlocking) {
    SysResult<Void> flags = Libc.fcntl(fd, F_GETFL.value(), 0);
    if (flags.failed()) return flags;
    int f = flags.intValue();
    return Libc.fcntl(fd, F_SETFL.value(), nonBlocking ? f | O_NONBLOCK.value() : f & ~O_NONBLOCK.value());
  }

  /** poll(2); the output repeats {@code fds} with the revents the kernel wrote. */
  public SysResult<List<PollFd>> poll(List<PollFd> fds, int timeoutMillis) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment array = memory.allocate(Math.max(fds.size(), 1) * Libc.POLLFD_SIZE, 4);
      for (int i = 0; i < fds.size(); i++) {
        array.set(JAVA_INT, i * Libc.POLLFD_SIZE, fds.get(i).fd());
        array.set(JAVA_SHORT, i * Libc.POLLFD_SIZE + 4, (short) fds.get(i).events());
      }
      SysResult<Void> r = Libc.poll(array, fds.size(), timeoutMillis);
      if (r.failed()) return SysResult.error(r.errno());
      List<PollFd> answered = new ArrayList<>(fds.size());
      for (int i = 0; i < fds.size(); i++) {
        int revents = array.get(JAVA_SHORT, i * Libc.POLLFD_SIZE + 6) & 0xFFFF;
        answered.add(new PollFd(fds.get(i).fd(), fds.get(i).events(), revents));
      }
      return SysResult.ok(r.value(), List.copyOf(answered));
    }
  }

  /** sizeof(struct msghdr) on x86-64, and the offsets of its fields. */
  private static final int MSGHDR_SIZE = 56;
  private static final int MSG_NAME = 0;
  private static final int MSG_NAMELEN = 8;
  private static final int MSG_IOV = 16;
  private static final int MSG_IOVLEN = 24;
  private static final int MSG_CONTROL = 32;
  private static final int MSG_CONTROLLEN = 40;
  private static final int MSG_FLAGS = 48;
  /** sizeof(struct iovec): void *iov_base; size_t iov_len. */
  private static final int IOVEC_SIZE = 16;
  /** sizeof(struct sockaddr_storage): room for any address a call may write. */
  private static final int SOCKADDR_STORAGE = SockAddr.STORAGE_SIZE;

  /**
   * sendto(2) to a sockaddr_in or sockaddr_in6 {@code to}, or, when it is empty, to a zeroed
   * sockaddr_storage holding only {@code bareFamily} (AF_UNSPEC), as packetdrill passes them. With
   * {@code nullBuffer} the buffer pointer is NULL and {@code data}'s length the count.
   */
  public SysResult<Void> sendto(int fd, byte[] data, boolean nullBuffer, int flags, Optional<SockAddr> to,
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
      return Libc.sendto(fd, nullBuffer ? MemorySegment.NULL : outgoing(memory, data), data.length, flags, addr, addrLen);
    }
  }

  /** An array of iovecs of these lengths: zeros to send ({@link #zeros}), or new buffers to receive into. */
  private static MemorySegment iovecs(SegmentAllocator memory, List<Integer> lengths, boolean toSend) {
    MemorySegment iov = memory.allocate((long) Math.max(lengths.size(), 1) * IOVEC_SIZE, 8);
    for (int i = 0; i < lengths.size(); i++) {
      int length = Math.max(lengths.get(i), 1);
      iov.set(ADDRESS, (long) i * IOVEC_SIZE, toSend ? zeros(length) : memory.allocate(length));
      iov.set(JAVA_LONG, (long) i * IOVEC_SIZE + 8, lengths.get(i));
    }
    return iov;
  }

  /**
   * sendmsg(2) of zero-filled iovecs, with msg_name {@code to} when present and these control
   * bytes (msg_controllen is their length).
   */
  public SysResult<Void> sendmsg(int fd, List<Integer> iovLengths, Optional<SockAddr> to, byte[] control, int flags) {
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
      return Libc.sendmsg(fd, msg, flags);
    }
  }

  /**
   * recvmsg(2) into iovecs of these lengths, a sockaddr_storage for the name, msg_flags preset to
   * {@code msgFlags} and a control buffer holding {@code control} (msg_controllen its length); the
   * output is msg_flags and msg_controllen bytes of the control buffer after the call (a failed
   * call leaves both as they were).
   */
  public SysResult<ReceivedMessage> recvmsg(int fd, List<Integer> iovLengths, byte[] control, int msgFlags, int flags) {
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
      SysResult<Void> r = Libc.recvmsg(fd, msg, flags);
      if (r.failed()) return SysResult.error(r.errno());
      int controlLength = (int) Math.min(msg.get(JAVA_LONG, MSG_CONTROLLEN), control.length);
      return SysResult.ok(r.value(), new ReceivedMessage(msg.get(JAVA_INT, MSG_FLAGS), bytes(buffer, controlLength)));
    }
  }

  /** readv(2) into iovecs of these lengths. */
  public SysResult<Void> readv(int fd, List<Integer> iovLengths) {
    try (CallMemory memory = CallMemory.begin()) {
      return Libc.readv(fd, iovecs(memory, iovLengths, false), iovLengths.size());
    }
  }

  /** writev(2) of zero-filled iovecs of these lengths. */
  public SysResult<Void> writev(int fd, List<Integer> iovLengths) {
    try (CallMemory memory = CallMemory.begin()) {
      return Libc.writev(fd, iovecs(memory, iovLengths, true), iovLengths.size());
    }
  }

  /**
   * setsockopt(2) with a value of any shape: its bytes in a buffer at least {@code optlen} long
   * (zeros after them), and {@code optlen} passed as given, so a script can make the kernel see a
   * short or long option on purpose.
   */
  public SysResult<Void> setsockopt(int fd, int level, int name, byte[] value, int optlen) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(Math.max(Math.max(value.length, optlen), 1), 8);
      MemorySegment.copy(MemorySegment.ofArray(value), 0, v, 0, value.length);
      return Libc.setsockopt(fd, level, name, v, optlen);
    }
  }

  /**
   * getsockopt(2) into a zeroed buffer of {@code optlen} bytes; the output is the bytes of the
   * length the kernel wrote back into optlen.
   */
  public SysResult<byte[]> getsockopt(int fd, int level, int name, int optlen) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment v = memory.allocate(Math.max(optlen, 0) + 1L, 8);
      MemorySegment len = memory.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, optlen);
      SysResult<Void> r = Libc.getsockopt(fd, level, name, v, len);
      if (r.failed()) return SysResult.error(r.errno());
      int returned = len.get(JAVA_INT, 0);
      return SysResult.ok(r.value(), bytes(v, Math.max(0, Math.min(returned, optlen + 1))));
    }
  }

  /** ioctl(2) without a third argument (NULL is passed). */
  public SysResult<Void> ioctl(int fd, long request) {
    return Libc.ioctl(fd, request, MemorySegment.NULL);
  }

  /** open(2) of a file; the descriptor is closed with the others at {@link #close()}. */
  public SysResult<Void> open(String path, int flags) {
    SysResult<Void> r = Libc.open(path, flags);
    if (r.succeeded()) open.add(r.intValue());
    return r;
  }

  /** pipe(2); the output is the read and the write end. */
  public SysResult<List<Integer>> pipe() {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment fds = memory.allocate(JAVA_INT, 2);
      SysResult<Void> r = Libc.pipe(fds);
      if (r.failed()) return SysResult.error(r.errno());
      List<Integer> ends = List.of(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
      open.addAll(ends);
      return SysResult.ok(r.value(), ends);
    }
  }

  public SysResult<Void> epollCreate(int size) {
    SysResult<Void> r = Libc.epollCreate(size);
    if (r.succeeded()) open.add(r.intValue());
    return r;
  }

  /** epoll_ctl(2) with a struct epoll_event of these events and data. */
  public SysResult<Void> epollCtl(int epfd, int op, int fd, int events, long data) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment ev = memory.allocate(EpollEvent.SIZE, 4);
      ev.set(JAVA_INT, 0, events);
      ev.set(JAVA_LONG_UNALIGNED, 4, data);
      return Libc.epollCtl(epfd, op, fd, ev);
    }
  }

  /** epoll_wait(2) into a zeroed array of {@code maxEvents}; the output is its first event. */
  public SysResult<EpollEvent> epollWait(int epfd, int maxEvents, int timeoutMillis) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment events = memory.allocate((long) Math.max(maxEvents, 1) * EpollEvent.SIZE, 4);
      SysResult<Void> r = Libc.epollWait(epfd, events, maxEvents, timeoutMillis);
      if (r.failed()) return SysResult.error(r.errno());
      return SysResult.ok(r.value(), new EpollEvent(events.get(JAVA_INT, 0), events.get(JAVA_LONG_UNALIGNED, 4)));
    }
  }

  /** sendfile(2) from {@code inFd} starting at {@code offset}. */
  public SysResult<Void> sendfile(int outFd, int inFd, long offset, int count) {
    try (CallMemory memory = CallMemory.begin()) {
      MemorySegment off = memory.allocate(JAVA_LONG);
      off.set(JAVA_LONG, 0, offset);
      return Libc.sendfile(outFd, inFd, off, count);
    }
  }

  /**
   * splice(2) with the offsets passed as packetdrill passes them: as the pointer values
   * themselves, so 0 is NULL (the pipe or socket's own position) and anything else an address.
   */
  public SysResult<Void> splice(int inFd, long inOffset, int outFd, long outOffset, int length, int flags) {
    return Libc.splice(inFd, MemorySegment.ofAddress(inOffset), outFd, MemorySegment.ofAddress(outOffset), length, flags);
  }

  /** Descriptors made by this instance and not yet closed through it. */
  public Set<Integer> openDescriptors() {
    return Set.copyOf(open);
  }

  /** Shuts down (waking blocked calls) and closes every descriptor still open; idempotent. */
  @Override
  public void close() {
    for (int fd : List.copyOf(open)) {
      Libc.shutdown(fd, SHUT_RDWR.value());
      close(fd);
    }
  }

  /**
   * Zeros for the kernel to send from, never written and never freed: a MSG_ZEROCOPY send keeps
   * reading the caller's pages after the call returns, until the data is acknowledged, as
   * packetdrill's calls send from buffers that stay zero. Grown (the old one kept) when a call
   * needs more.
   */
  private static MemorySegment zeroPages = Arena.global().allocate(1 << 16, 4096);

  private static synchronized MemorySegment zeros(long size) {
    if (zeroPages.byteSize() < size) zeroPages = Arena.global().allocate(Math.max(size, 2 * zeroPages.byteSize()), 4096);
    return zeroPages;
  }

  /** The bytes a write sends: {@link #zeros} when they are all zero (the script's {@code ...}), else a copy. */
  private static MemorySegment outgoing(SegmentAllocator memory, byte[] data) {
    for (byte b : data) {
      if (b != 0) return copy(memory, data);
    }
    return zeros(Math.max(data.length, 1));
  }

  /** A native copy of a socket address, {@link SockAddr#size} bytes. */
  private static MemorySegment sockaddr(SegmentAllocator memory, SockAddr address) {
    MemorySegment s = memory.allocate(address.size(), 4);
    address.write(s);
    return s;
  }

  private static MemorySegment copy(SegmentAllocator memory, byte[] data) {
    MemorySegment s = memory.allocate(Math.max(data.length, 1));
    MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 0, data.length);
    return s;
  }

  private static byte[] bytes(MemorySegment buf, int n) {
    return buf.asSlice(0, n).toArray(JAVA_BYTE);
  }
}
