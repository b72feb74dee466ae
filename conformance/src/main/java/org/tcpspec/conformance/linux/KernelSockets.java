package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.tcpspec.abi.Symbol.F_GETFL;
import static org.tcpspec.abi.Symbol.F_SETFL;
import static org.tcpspec.abi.Symbol.IPPROTO_TCP;
import static org.tcpspec.abi.Symbol.O_NONBLOCK;
import static org.tcpspec.abi.Symbol.SHUT_RDWR;
import static org.tcpspec.abi.Symbol.SOL_SOCKET;
import static org.tcpspec.abi.Symbol.SO_LINGER;
import static org.tcpspec.abi.Symbol.TCP_CONGESTION;
import static org.tcpspec.abi.Symbol.TCP_INFO;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.device.linux.Libc;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.SockAddrIn;

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
  /** TCP_CA_NAME_MAX: congestion control names are at most 16 bytes with the NUL. */
  private static final int CA_NAME_MAX = 16;

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

  /** socket(2), created on the namespace's thread. */
  public SysResult<Void> socket(int domain, int type, int protocol) {
    SysResult<Void> r;
    try {
      r = netns.call(() -> Libc.socket(domain, type, protocol));
    } catch (Exception e) {
      throw new IllegalStateException("namespace thread of " + netns + " failed", e);
    }
    if (r.succeeded()) open.add(r.intValue());
    return r;
  }

  public SysResult<Void> bind(int fd, SockAddrIn address) {
    try (Arena arena = Arena.ofConfined()) {
      return Libc.bind(fd, address.allocate(arena), SockAddrIn.SIZE);
    }
  }

  public SysResult<Void> listen(int fd, int backlog) {
    return Libc.listen(fd, backlog);
  }

  /** accept(2): accept4 with no flags. */
  public SysResult<SockAddrIn> accept(int fd) {
    return accept4(fd, 0);
  }

  /** accept4(2); the new descriptor is the result's value, the peer address the output. */
  public SysResult<SockAddrIn> accept4(int fd, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment addr = arena.allocate(SockAddrIn.SIZE, 4);
      MemorySegment len = arena.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, SockAddrIn.SIZE);
      SysResult<Void> r = Libc.accept4(fd, addr, len, flags);
      if (r.failed()) return SysResult.error(r.errno());
      open.add(r.intValue());
      return SysResult.ok(r.value(), SockAddrIn.read(addr));
    }
  }

  /** connect(2); on a non-blocking socket, -1 EINPROGRESS while the handshake runs. */
  public SysResult<Void> connect(int fd, SockAddrIn address) {
    try (Arena arena = Arena.ofConfined()) {
      return Libc.connect(fd, address.allocate(arena), SockAddrIn.SIZE);
    }
  }

  public SysResult<SockAddrIn> getsockname(int fd) {
    return name(fd, true);
  }

  public SysResult<SockAddrIn> getpeername(int fd) {
    return name(fd, false);
  }

  private SysResult<SockAddrIn> name(int fd, boolean local) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment addr = arena.allocate(SockAddrIn.SIZE, 4);
      MemorySegment len = arena.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, SockAddrIn.SIZE);
      SysResult<Void> r = local ? Libc.getsockname(fd, addr, len) : Libc.getpeername(fd, addr, len);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), SockAddrIn.read(addr));
    }
  }

  /** read(2) of up to {@code count} bytes; the output holds exactly the bytes read. */
  public SysResult<byte[]> read(int fd, int count) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(Math.max(count, 1));
      SysResult<Void> r = Libc.read(fd, buf, count);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), bytes(buf, r.intValue()));
    }
  }

  /** recv(2) with flags (MSG_PEEK 0x2, MSG_DONTWAIT 0x40, ...). */
  public SysResult<byte[]> recv(int fd, int count, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(Math.max(count, 1));
      SysResult<Void> r = Libc.recv(fd, buf, count, flags);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), bytes(buf, r.intValue()));
    }
  }

  public SysResult<Void> write(int fd, byte[] data) {
    try (Arena arena = Arena.ofConfined()) {
      return Libc.write(fd, copy(arena, data), data.length);
    }
  }

  /** send(2) with flags (MSG_NOSIGNAL 0x4000, MSG_DONTWAIT 0x40, MSG_OOB 0x1, ...). */
  public SysResult<Void> send(int fd, byte[] data, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      return Libc.send(fd, copy(arena, data), data.length, flags);
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
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = arena.allocate(JAVA_INT);
      v.set(JAVA_INT, 0, value);
      return Libc.setsockopt(fd, level, name, v, 4);
    }
  }

  /** getsockopt(2) of an int option; SO_ERROR reads and clears the pending error. */
  public SysResult<Integer> getsockopt(int fd, int level, int name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = arena.allocate(JAVA_INT);
      MemorySegment len = arena.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, 4);
      SysResult<Void> r = Libc.getsockopt(fd, level, name, v, len);
      return r.failed() ? SysResult.error(r.errno()) : SysResult.ok(r.value(), v.get(JAVA_INT, 0));
    }
  }

  public SysResult<Void> setLinger(int fd, Linger linger) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = arena.allocate(Linger.SIZE, 4);
      v.set(JAVA_INT, 0, linger.on() ? 1 : 0);
      v.set(JAVA_INT, 4, linger.seconds());
      return Libc.setsockopt(fd, SOL_SOCKET.value(), SO_LINGER.value(), v, Linger.SIZE);
    }
  }

  public SysResult<Linger> getLinger(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = arena.allocate(Linger.SIZE, 4);
      MemorySegment len = arena.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, Linger.SIZE);
      SysResult<Void> r = Libc.getsockopt(fd, SOL_SOCKET.value(), SO_LINGER.value(), v, len);
      if (r.failed()) return SysResult.error(r.errno());
      return SysResult.ok(r.value(), new Linger(v.get(JAVA_INT, 0) != 0, v.get(JAVA_INT, 4)));
    }
  }

  /** TCP_CONGESTION: selects the algorithm by name ("reno", "cubic"). */
  public SysResult<Void> setCongestion(int fd, String algorithm) {
    try (Arena arena = Arena.ofConfined()) {
      byte[] name = algorithm.getBytes(StandardCharsets.US_ASCII);
      return Libc.setsockopt(fd, IPPROTO_TCP.value(), TCP_CONGESTION.value(), copy(arena, name), name.length);
    }
  }

  public SysResult<String> getCongestion(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = arena.allocate(CA_NAME_MAX);
      MemorySegment len = arena.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, CA_NAME_MAX);
      SysResult<Void> r = Libc.getsockopt(fd, IPPROTO_TCP.value(), TCP_CONGESTION.value(), v, len);
      if (r.failed()) return SysResult.error(r.errno());
      return SysResult.ok(r.value(), v.getString(0, StandardCharsets.US_ASCII));
    }
  }

  /** getsockopt(TCP_INFO), decoded for as many bytes as the kernel returned. */
  public SysResult<TcpInfo> tcpInfo(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = arena.allocate(TCP_INFO_BUFFER, 8);
      MemorySegment len = arena.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, TCP_INFO_BUFFER);
      SysResult<Void> r = Libc.getsockopt(fd, IPPROTO_TCP.value(), TCP_INFO.value(), v, len);
      if (r.failed()) return SysResult.error(r.errno());
      int returned = len.get(JAVA_INT, 0);
      return SysResult.ok(r.value(), TcpInfo.decode(bytes(v, returned), returned));
    }
  }

  /**
   * ioctl(2) that reads an int: SIOCINQ (bytes waiting to be read) or SIOCOUTQ (bytes not yet
   * acknowledged) on a TCP socket.
   */
  public SysResult<Integer> ioctlInt(int fd, long request) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = arena.allocate(JAVA_INT);
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
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment array = arena.allocate(Math.max(fds.size(), 1) * Libc.POLLFD_SIZE, 4);
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

  private static MemorySegment copy(Arena arena, byte[] data) {
    MemorySegment s = arena.allocate(Math.max(data.length, 1));
    MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 0, data.length);
    return s;
  }

  private static byte[] bytes(MemorySegment buf, int n) {
    return buf.asSlice(0, n).toArray(JAVA_BYTE);
  }
}
