package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;

/**
 * The C library functions tcpspec calls, as FFM downcalls that capture errno right after the call
 * (Linker.Option.captureCallState), so the value is the one C would read and not one clobbered by
 * the JVM in between. Every function returns a {@link SysResult} and never throws on a failing
 * call.
 *
 * <p>Blocking calls (read, accept4, connect on a blocking socket, poll) block the calling thread;
 * on a virtual thread they pin its carrier, so callers that block should use platform threads or
 * non-blocking descriptors with {@link #poll}.
 *
 * <p>Pointers are {@link MemorySegment}s the caller allocated; their size is the caller's promise.
 */
// Downcalls and reading C strings are restricted FFM methods; this class is where tcpspec uses
// them on purpose (native access is enabled for the unnamed module).
@SuppressWarnings("restricted")
public final class Libc {
  private Libc() {}

  /** The flags TunDevice opens its descriptors with, from the ABI table. */
  public static final int O_RDWR = Symbol.O_RDWR.value();
  public static final int O_NONBLOCK = Symbol.O_NONBLOCK.value();
  public static final int O_CLOEXEC = Symbol.O_CLOEXEC.value();
  public static final int EFD_NONBLOCK = Symbol.EFD_NONBLOCK.value();
  public static final int EFD_CLOEXEC = Symbol.EFD_CLOEXEC.value();
  public static final short POLLIN = (short) Symbol.POLLIN.value();

  /** struct pollfd: int fd; short events; short revents. */
  public static final long POLLFD_SIZE = 8;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  /** One call-state buffer per thread: no allocation per call, GC-managed with the thread. */
  private static final ThreadLocal<MemorySegment> STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

  /**
   * The downcall of libc's {@code name} taking {@code arity} arguments, errno captured: every
   * argument and the result are JAVA_LONG ({@link #longs}).
   */
  private static MethodHandle downcall(String name, int arity, Linker.Option... more) {
    Linker.Option[] options = new Linker.Option[more.length + 1];
    options[0] = CAPTURE_ERRNO;
    System.arraycopy(more, 0, options, 1, more.length);
    return LINKER.downcallHandle(symbol(name), longs(arity), options);
  }

  /** As {@link #downcall}, without errno capture. */
  private static MethodHandle uncaptured(String name, int arity) {
    return LINKER.downcallHandle(symbol(name), longs(arity));
  }

  private static MemorySegment symbol(String name) {
    return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
  }

  /**
   * The one shape of downcall per arity: all arguments and the result JAVA_LONG. The linker
   * generates a class per shape (FunctionDescriptor and options), about 15 ms each in a cold JVM on
   * this project's VM, and every run of the CLI links these at start: with each function's own C
   * types there were 27 shapes, now 10. It is the C calling convention of Linux on x86-64 (System V)
   * and AArch64 (AAPCS64) that makes this exact: int, long and pointer arguments travel alike in
   * the integer registers (the callee reads an int's low 32 bits), and an int result is the low 32
   * bits of the register, so it is cast to int before use. Pointers are passed as their address
   * ({@link #ptr}); the variadic functions (open, ioctl, fcntl) keep their firstVariadicArg.
   */
  private static FunctionDescriptor longs(int arity) {
    MemoryLayout[] args = new MemoryLayout[arity];
    java.util.Arrays.fill(args, JAVA_LONG);
    return FunctionDescriptor.of(JAVA_LONG, args);
  }

  /**
   * The address of a native segment, for a pointer argument. A heap segment has none a C function
   * could use (FFM's ADDRESS refuses it too). The caller keeps {@code s} reachable until the call
   * returns ({@link Reference#reachabilityFence}): an automatic arena frees its memory once the
   * segment is unreachable, and a segment whose address was taken no longer needs to be reachable.
   */
  private static long ptr(MemorySegment s) {
    if (!s.isNative()) throw new IllegalArgumentException("heap segment passed as a pointer: " + s);
    return s.address();
  }

  private static final MethodHandle OPEN = downcall("open", 3, Linker.Option.firstVariadicArg(2));
  private static final MethodHandle CLOSE = downcall("close", 1);
  private static final MethodHandle READ = downcall("read", 3);
  private static final MethodHandle WRITE = downcall("write", 3);
  private static final MethodHandle READV = downcall("readv", 3);
  private static final MethodHandle WRITEV = downcall("writev", 3);
  private static final MethodHandle IOCTL = downcall("ioctl", 3, Linker.Option.firstVariadicArg(2));
  private static final MethodHandle FCNTL = downcall("fcntl", 3, Linker.Option.firstVariadicArg(2));
  private static final MethodHandle POLL = downcall("poll", 3);
  private static final MethodHandle PPOLL = downcall("ppoll", 4);
  /** ppoll without errno capture: capturing slices the state segment per call (see {@link #ppollReady}). */
  private static final MethodHandle PPOLL_READY = uncaptured("ppoll", 4);
  /** readv and writev without errno capture, for the data path (see {@link #readvOrErrno}). */
  private static final MethodHandle READV_UNCAPTURED = uncaptured("readv", 3);
  private static final MethodHandle WRITEV_UNCAPTURED = uncaptured("writev", 3);
  private static final int EAGAIN = Errno.EAGAIN.number();
  /** This thread's errno cell (glibc's __errno_location: one address per thread, for its life). */
  private static final ThreadLocal<MemorySegment> ERRNO_CELL = ThreadLocal.withInitial(() -> {
    try {
      return MemorySegment.ofAddress((long) uncaptured("__errno_location", 0).invokeExact())
          .reinterpret(Integer.BYTES);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  });
  private static final MethodHandle SETNS = downcall("setns", 2);
  private static final MethodHandle CLOCK_GETTIME = uncaptured("clock_gettime", 2);
  /** CLOCK_PROCESS_CPUTIME_ID of Linux's uapi/linux/time.h (the same on x86-64 and arm64). */
  private static final long CLOCK_PROCESS_CPUTIME_ID = 2;
  private static final MethodHandle EVENTFD = downcall("eventfd", 2);
  private static final MethodHandle SOCKET = downcall("socket", 3);
  private static final MethodHandle BIND = downcall("bind", 3);
  private static final MethodHandle CONNECT = downcall("connect", 3);
  private static final MethodHandle LISTEN = downcall("listen", 2);
  private static final MethodHandle ACCEPT4 = downcall("accept4", 4);
  private static final MethodHandle GETSOCKNAME = downcall("getsockname", 3);
  private static final MethodHandle GETPEERNAME = downcall("getpeername", 3);
  private static final MethodHandle SEND = downcall("send", 4);
  private static final MethodHandle RECV = downcall("recv", 4);
  private static final MethodHandle RECVMSG = downcall("recvmsg", 3);
  private static final MethodHandle SHUTDOWN = downcall("shutdown", 2);
  private static final MethodHandle SETSOCKOPT = downcall("setsockopt", 5);
  private static final MethodHandle GETSOCKOPT = downcall("getsockopt", 5);
  private static final MethodHandle SENDTO = downcall("sendto", 6);
  private static final MethodHandle SENDMSG = downcall("sendmsg", 3);
  private static final MethodHandle EPOLL_CREATE = downcall("epoll_create", 1);
  private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl", 4);
  private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait", 4);
  private static final MethodHandle PIPE = downcall("pipe", 1);
  private static final MethodHandle SENDFILE = downcall("sendfile", 4);
  private static final MethodHandle SPLICE = downcall("splice", 6);

  private static SysResult<Void> result(long value, MemorySegment state) {
    return value == -1 ? SysResult.error(Errno.of((int) ERRNO.get(state, 0L))) : SysResult.ok(value);
  }

  private static IllegalStateException linkFailure(Throwable t) {
    return new IllegalStateException("FFM downcall failed to run (not a syscall error)", t);
  }

  /** open(2) on a path; {@code mode} matters only with O_CREAT. */
  public static SysResult<Void> open(String path, int flags) {
    MemorySegment st = STATE.get();
    try (Arena arena = Arena.ofConfined()) {
      return result((int) (long) OPEN.invokeExact(st, ptr(arena.allocateFrom(path)), (long) flags, 0L), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  public static SysResult<Void> close(int fd) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) CLOSE.invokeExact(st, (long) fd), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  public static SysResult<Void> read(int fd, MemorySegment buf, long count) {
    MemorySegment st = STATE.get();
    try {
      return result((long) READ.invokeExact(st, (long) fd, ptr(buf), (long) count), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(buf);
    }
  }

  public static SysResult<Void> write(int fd, MemorySegment buf, long count) {
    MemorySegment st = STATE.get();
    try {
      return result((long) WRITE.invokeExact(st, (long) fd, ptr(buf), (long) count), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(buf);
    }
  }

  /** struct iovec: void *iov_base; size_t iov_len. */
  public static final long IOVEC_SIZE = 16;

  /** readv(2) into {@code count} struct iovec entries at {@code iov}. */
  public static SysResult<Void> readv(int fd, MemorySegment iov, int count) {
    MemorySegment st = STATE.get();
    try {
      return result((long) READV.invokeExact(st, (long) fd, ptr(iov), (long) count), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(iov);
    }
  }

  /** writev(2) from {@code count} struct iovec entries at {@code iov}. */
  public static SysResult<Void> writev(int fd, MemorySegment iov, int count) {
    MemorySegment st = STATE.get();
    try {
      return result((long) WRITEV.invokeExact(st, (long) fd, ptr(iov), (long) count), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(iov);
    }
  }

  /**
   * readv(2) without a result object: the bytes read, or minus the errno. For the event loop's data
   * path, which must allocate nothing per packet: FFM's errno capture slices its state segment on
   * every call (SharedUtils.checkCaptureSegment), which only C2's escape analysis removes, and
   * under load it did not (bench: 1.8 MB per run on the loop's thread). So the call goes without
   * capture, and an EAGAIN (the empty device, once per cycle) is read from the thread's errno
   * cell; any other failure is asked again with capture, which a failed readv or writev allows
   * (it moved no byte): a value the JVM may have put into errno in between is never believed
   * beyond EAGAIN, and a real failure that shows as EAGAIN comes back on the next call.
   */
  public static long readvOrErrno(int fd, MemorySegment iov, int count) {
    try {
      long n = (long) READV_UNCAPTURED.invokeExact((long) fd, ptr(iov), (long) count);
      if (n != -1 || threadErrno() == EAGAIN) return n == -1 ? -EAGAIN : n;
      MemorySegment st = STATE.get();
      return rawResult((long) READV.invokeExact(st, (long) fd, ptr(iov), (long) count), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(iov);
    }
  }

  /** writev(2) without a result object: the bytes written, or minus the errno (as {@link #readvOrErrno}). */
  public static long writevOrErrno(int fd, MemorySegment iov, int count) {
    try {
      long n = (long) WRITEV_UNCAPTURED.invokeExact((long) fd, ptr(iov), (long) count);
      if (n != -1 || threadErrno() == EAGAIN) return n == -1 ? -EAGAIN : n;
      MemorySegment st = STATE.get();
      return rawResult((long) WRITEV.invokeExact(st, (long) fd, ptr(iov), (long) count), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(iov);
    }
  }

  /**
   * This thread's errno as the C library holds it, read without a call: right after a downcall
   * without capture it is usually the call's, but the JVM may have run code in between (a
   * safepoint), so only EAGAIN, the data path's expected failure, is believed from it.
   */
  private static int threadErrno() {
    return ERRNO_CELL.get().get(JAVA_INT, 0);
  }

  /**
   * ppoll(2) for a caller that needs no errno: the number of ready descriptors, or -1 when the call
   * failed. Without a result object, an arena or errno capture per call: FFM's capture slices the
   * call-state segment on every call (SharedUtils.checkCaptureSegment), an allocation that only C2's
   * escape analysis removes, and an event loop waits here whenever it is idle. {@code timespec} is
   * the caller's own 16-byte struct timespec (NULL waits forever).
   */
  public static int ppollReady(MemorySegment fds, long nfds, MemorySegment timespec) {
    try {
      return (int) (long) PPOLL_READY.invokeExact(ptr(fds), (long) nfds, ptr(timespec), 0L);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(fds);
      Reference.reachabilityFence(timespec);
    }
  }

  /**
   * The processor time of this process so far, all its threads, user and system, in nanoseconds:
   * clock_gettime(2) with CLOCK_PROCESS_CPUTIME_ID, the scheduler's own account. (The JDK's
   * OperatingSystemMXBean.getProcessCpuTime reads times(2) on Linux, in 10 ms ticks: a short bench
   * row showed 482 % of a two-processor machine.)
   */
  public static long processCpuNanos() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ts = arena.allocate(16, 8);
      long r;
      try {
        r = (long) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, ptr(ts));
      } catch (Throwable t) {
        throw linkFailure(t);
      }
      if (r != 0) throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed: " + r);
      return ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
    }
  }

  private static long rawResult(long value, MemorySegment state) {
    return value == -1 ? -(int) ERRNO.get(state, 0L) : value;
  }

  /** ioctl(2) whose third argument is a pointer (struct ifreq, struct rtentry, int*). */
  public static SysResult<Void> ioctl(int fd, long request, MemorySegment arg) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) IOCTL.invokeExact(st, (long) fd, (long) request, ptr(arg)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(arg);
    }
  }

  /** fcntl(2) with an int argument (F_GETFL ignores it, F_SETFL takes the flags). */
  public static SysResult<Void> fcntl(int fd, int cmd, int arg) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) FCNTL.invokeExact(st, (long) fd, (long) cmd, (long) arg), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /**
   * poll(2) over {@code nfds} struct pollfd at {@code fds}; timeout in milliseconds, -1 = forever.
   */
  public static SysResult<Void> poll(MemorySegment fds, long nfds, int timeoutMillis) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) POLL.invokeExact(st, ptr(fds), (long) nfds, (long) timeoutMillis), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(fds);
    }
  }

  /** ppoll(2) with a nanosecond timeout (negative = forever) and no signal mask change. */
  public static SysResult<Void> ppoll(MemorySegment fds, long nfds, long timeoutNanos) {
    MemorySegment st = STATE.get();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment timespec = MemorySegment.NULL;
      if (timeoutNanos >= 0) {
        timespec = arena.allocate(16, 8);
        timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
      }
      return result((int) (long) PPOLL.invokeExact(st, ptr(fds), (long) nfds, ptr(timespec), 0L), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(fds);
    }
  }

  /** setns(2): moves the calling thread into the namespace {@code fd} refers to. */
  public static SysResult<Void> setns(int fd, int nstype) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) SETNS.invokeExact(st, (long) fd, (long) nstype), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  public static SysResult<Void> eventfd(int initval, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) EVENTFD.invokeExact(st, (long) initval, (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /** socket(2). The socket lives in the network namespace of the calling thread. */
  public static SysResult<Void> socket(int domain, int type, int protocol) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) SOCKET.invokeExact(st, (long) domain, (long) type, (long) protocol), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  public static SysResult<Void> bind(int fd, MemorySegment addr, int addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) BIND.invokeExact(st, (long) fd, ptr(addr), (long) addrLen), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
    }
  }

  public static SysResult<Void> connect(int fd, MemorySegment addr, int addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) CONNECT.invokeExact(st, (long) fd, ptr(addr), (long) addrLen), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
    }
  }

  public static SysResult<Void> listen(int fd, int backlog) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) LISTEN.invokeExact(st, (long) fd, (long) backlog), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /** accept4(2); {@code addr}/{@code addrLen} may be {@link MemorySegment#NULL}. */
  public static SysResult<Void> accept4(
      int fd, MemorySegment addr, MemorySegment addrLen, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) ACCEPT4.invokeExact(st, (long) fd, ptr(addr), ptr(addrLen), (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
      Reference.reachabilityFence(addrLen);
    }
  }

  public static SysResult<Void> getsockname(int fd, MemorySegment addr, MemorySegment addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) GETSOCKNAME.invokeExact(st, (long) fd, ptr(addr), ptr(addrLen)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
      Reference.reachabilityFence(addrLen);
    }
  }

  public static SysResult<Void> getpeername(int fd, MemorySegment addr, MemorySegment addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) GETPEERNAME.invokeExact(st, (long) fd, ptr(addr), ptr(addrLen)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(addr);
      Reference.reachabilityFence(addrLen);
    }
  }

  public static SysResult<Void> send(int fd, MemorySegment buf, long len, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((long) SEND.invokeExact(st, (long) fd, ptr(buf), (long) len, (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(buf);
    }
  }

  public static SysResult<Void> recv(int fd, MemorySegment buf, long len, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((long) RECV.invokeExact(st, (long) fd, ptr(buf), (long) len, (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(buf);
    }
  }

  /** recvmsg(2); {@code msghdr} is a struct msghdr the caller laid out (56 bytes on x86-64). */
  public static SysResult<Void> recvmsg(int fd, MemorySegment msghdr, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((long) RECVMSG.invokeExact(st, (long) fd, ptr(msghdr), (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(msghdr);
    }
  }

  public static SysResult<Void> shutdown(int fd, int how) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) SHUTDOWN.invokeExact(st, (long) fd, (long) how), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  public static SysResult<Void> setsockopt(
      int fd, int level, int name, MemorySegment value, int valueLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) SETSOCKOPT.invokeExact(st, (long) fd, (long) level, (long) name, ptr(value), (long) valueLen), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(value);
    }
  }

  /** getsockopt(2); {@code valueLen} points to a socklen_t (int) in and out. */
  public static SysResult<Void> getsockopt(
      int fd, int level, int name, MemorySegment value, MemorySegment valueLen) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) GETSOCKOPT.invokeExact(st, (long) fd, (long) level, (long) name, ptr(value), ptr(valueLen)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(value);
      Reference.reachabilityFence(valueLen);
    }
  }

  /** sendto(2); {@code addr} is a sockaddr of {@code addrLen} bytes, or NULL. */
  public static SysResult<Void> sendto(
      int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
    MemorySegment st = STATE.get();
    try {
      return result((long) SENDTO.invokeExact(st, (long) fd, ptr(buf), (long) len, (long) flags, ptr(addr), (long) addrLen), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(buf);
      Reference.reachabilityFence(addr);
    }
  }

  /** sendmsg(2); {@code msghdr} is a struct msghdr the caller laid out (56 bytes on x86-64). */
  public static SysResult<Void> sendmsg(int fd, MemorySegment msghdr, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((long) SENDMSG.invokeExact(st, (long) fd, ptr(msghdr), (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(msghdr);
    }
  }

  public static SysResult<Void> epollCreate(int size) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) EPOLL_CREATE.invokeExact(st, (long) size), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /** epoll_ctl(2); {@code event} is a struct epoll_event (12 bytes, packed on x86-64). */
  public static SysResult<Void> epollCtl(int epfd, int op, int fd, MemorySegment event) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) EPOLL_CTL.invokeExact(st, (long) epfd, (long) op, (long) fd, ptr(event)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(event);
    }
  }

  /** epoll_wait(2) into room for {@code maxEvents} struct epoll_event. */
  public static SysResult<Void> epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) EPOLL_WAIT.invokeExact(st, (long) epfd, ptr(events), (long) maxEvents, (long) timeoutMillis), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(events);
    }
  }

  /** pipe(2); {@code fds} holds two ints. */
  public static SysResult<Void> pipe(MemorySegment fds) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) PIPE.invokeExact(st, ptr(fds)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(fds);
    }
  }

  /** sendfile(2); {@code offset} points to an off_t (8 bytes), or is NULL. */
  public static SysResult<Void> sendfile(int outFd, int inFd, MemorySegment offset, long count) {
    MemorySegment st = STATE.get();
    try {
      return result((long) SENDFILE.invokeExact(st, (long) outFd, (long) inFd, ptr(offset), (long) count), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(offset);
    }
  }

  /** splice(2); the offsets point to loff_t (8 bytes) or are NULL. */
  public static SysResult<Void> splice(
      int inFd, MemorySegment inOffset, int outFd, MemorySegment outOffset, long length, int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((long) SPLICE.invokeExact(st, (long) inFd, ptr(inOffset), (long) outFd, ptr(outOffset), (long) length, (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(inOffset);
      Reference.reachabilityFence(outOffset);
    }
  }

  private static final MethodHandle UNSHARE = downcall("unshare", 1);
  private static final MethodHandle MOUNT = downcall("mount", 5);
  private static final MethodHandle UMOUNT2 = downcall("umount2", 2);

  /**
   * unshare(2). With CLONE_NEWNET it moves only the calling thread into a new network namespace
   * (a thread's namespaces are its own, so a multi-threaded process may do this).
   */
  public static SysResult<Void> unshare(int flags) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) UNSHARE.invokeExact(st, (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /**
   * mount(2) without filesystem data; an empty {@code source} or {@code type} is passed as "",
   * as mount(8) passes it for propagation changes ({@code mount --make-shared}).
   */
  public static SysResult<Void> mount(String source, String target, String type, long flags) {
    MemorySegment st = STATE.get();
    try (Arena arena = Arena.ofConfined()) {
      return result((int) (long) MOUNT.invokeExact(st, ptr(arena.allocateFrom(source)), ptr(arena.allocateFrom(target)), ptr(arena.allocateFrom(type)), (long) flags, 0L), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /** umount2(2). */
  public static SysResult<Void> umount2(String target, int flags) {
    MemorySegment st = STATE.get();
    try (Arena arena = Arena.ofConfined()) {
      return result((int) (long) UMOUNT2.invokeExact(st, ptr(arena.allocateFrom(target)), (long) flags), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }
}
