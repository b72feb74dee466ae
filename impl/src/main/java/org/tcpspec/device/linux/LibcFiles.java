package org.tcpspec.device.linux;

import static org.tcpspec.device.linux.LibcLinker.STATE;
import static org.tcpspec.device.linux.LibcLinker.downcall;
import static org.tcpspec.device.linux.LibcLinker.linkFailure;
import static org.tcpspec.device.linux.LibcLinker.ptr;
import static org.tcpspec.device.linux.LibcLinker.rawResult;
import static org.tcpspec.device.linux.LibcLinker.result;
import static org.tcpspec.device.linux.LibcLinker.threadErrno;
import static org.tcpspec.device.linux.LibcLinker.uncaptured;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;

/**
 * The libc calls on file descriptors: open, close, read and write, readv and writev, fcntl,
 * eventfd, pipe, sendfile and splice. Each returns a {@link SysResult}, errno captured right after
 * the call, and never throws on a failing call ({@link LibcLinker} links them); pointers are {@link
 * MemorySegment}s the caller allocated. The data path's readv and writev ({@link #readvOrErrno},
 * {@link #writevOrErrno}) return a plain long instead, allocating nothing.
 */
public final class LibcFiles {
  private LibcFiles() {}

  /** The flags TunDevice opens its descriptors with, from the ABI table. */
  public static final int O_RDWR = Symbol.O_RDWR.value();
  public static final int O_NONBLOCK = Symbol.O_NONBLOCK.value();
  public static final int O_CLOEXEC = Symbol.O_CLOEXEC.value();
  public static final int EFD_NONBLOCK = Symbol.EFD_NONBLOCK.value();
  public static final int EFD_CLOEXEC = Symbol.EFD_CLOEXEC.value();

  private static final MethodHandle OPEN = downcall("open", 3, Linker.Option.firstVariadicArg(2));
  private static final MethodHandle CLOSE = downcall("close", 1);
  private static final MethodHandle READ = downcall("read", 3);
  private static final MethodHandle WRITE = downcall("write", 3);
  private static final MethodHandle READV = downcall("readv", 3);
  private static final MethodHandle WRITEV = downcall("writev", 3);
  private static final MethodHandle FCNTL = downcall("fcntl", 3, Linker.Option.firstVariadicArg(2));
  /** readv and writev without errno capture, for the data path (see {@link #readvOrErrno}). */
  private static final MethodHandle READV_UNCAPTURED = uncaptured("readv", 3);
  private static final MethodHandle WRITEV_UNCAPTURED = uncaptured("writev", 3);
  private static final int EAGAIN = Errno.EAGAIN.number();
  private static final MethodHandle EVENTFD = downcall("eventfd", 2);
  private static final MethodHandle PIPE = downcall("pipe", 1);
  private static final MethodHandle SENDFILE = downcall("sendfile", 4);
  private static final MethodHandle SPLICE = downcall("splice", 6);

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

  /** fcntl(2) with an int argument (F_GETFL ignores it, F_SETFL takes the flags). */
  public static SysResult<Void> fcntl(int fd, int cmd, int arg) {
    MemorySegment st = STATE.get();
    try {
      return result((int) (long) FCNTL.invokeExact(st, (long) fd, (long) cmd, (long) arg), st);
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
}
