package org.tcpspec.device.linux;

import static org.tcpspec.device.linux.LibcLinker.STATE;
import static org.tcpspec.device.linux.LibcLinker.downcall;
import static org.tcpspec.device.linux.LibcLinker.linkFailure;
import static org.tcpspec.device.linux.LibcLinker.ptr;
import static org.tcpspec.device.linux.LibcLinker.rawResult;
import static org.tcpspec.device.linux.LibcLinker.threadErrno;
import static org.tcpspec.device.linux.LibcLinker.uncaptured;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;

/**
 * The io_uring system calls (io_uring_setup(2), io_uring_enter(2), io_uring_register(2)) through
 * libc's syscall(2), which glibc has no wrappers for, and mmap(2) for the rings. Each returns a
 * plain long, the result or minus the errno, so that {@link #enter}, the event loop's wait, builds no
 * result object ({@link LibcLinker#rawResult}). The numbers are x86-64's and AArch64's (the
 * io_uring calls have the same numbers on both: they came after the generic table was unified).
 */
final class LibcUring {
  private LibcUring() {}

  private static final long SYS_IO_URING_SETUP = 425;
  private static final long SYS_IO_URING_ENTER = 426;
  private static final long SYS_IO_URING_REGISTER = 427;

  private static final MethodHandle SYSCALL_3 = downcall("syscall", 3, Linker.Option.firstVariadicArg(1));
  private static final MethodHandle SYSCALL_5 = downcall("syscall", 5, Linker.Option.firstVariadicArg(1));
  private static final MethodHandle SYSCALL_7 = downcall("syscall", 7, Linker.Option.firstVariadicArg(1));
  /** syscall(2) without errno capture, for the wait (see {@link #enter}). */
  private static final MethodHandle SYSCALL_7_UNCAPTURED = uncaptured7();
  private static final MethodHandle MMAP = downcall("mmap", 6);
  private static final MethodHandle MUNMAP = downcall("munmap", 2);

  static final long PROT_READ_WRITE = 0x1 | 0x2;
  static final long MAP_SHARED_POPULATE = 0x01 | 0x8000;
  static final long MAP_FAILED = -1;

  private static MethodHandle uncaptured7() {
    // As LibcLinker.uncaptured, with the variadic marker syscall(2) needs.
    return Linker.nativeLinker().downcallHandle(
        Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
        LibcLinker.longs(7), Linker.Option.firstVariadicArg(1));
  }

  /** io_uring_setup(entries, params): the ring's descriptor, or minus the errno. */
  static long setup(int entries, MemorySegment params) {
    try {
      MemorySegment st = STATE.get();
      return rawResult((long) SYSCALL_3.invokeExact(st, SYS_IO_URING_SETUP, (long) entries, ptr(params)), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(params);
    }
  }

  /** io_uring_register(fd, opcode, arg, nrArgs): 0 or more, or minus the errno. */
  static long register(int fd, int opcode, MemorySegment arg, int nrArgs) {
    try {
      MemorySegment st = STATE.get();
      return rawResult(
          (long) SYSCALL_5.invokeExact(st, SYS_IO_URING_REGISTER, (long) fd, (long) opcode, ptr(arg), (long) nrArgs),
          st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(arg);
    }
  }

  /**
   * io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize) without a result object or errno
   * capture (which allocates per call, see {@link LibcFiles#readvOrErrno}): the count submitted, or
   * minus the errno read from the thread's cell. Only the expected failures of a wait are believed
   * from the cell (ETIME, the timeout; EINTR); any other is asked again with capture by {@link
   * #enterCaptured}, which the caller does.
   */
  static long enter(int fd, int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
    try {
      long n = (long) SYSCALL_7_UNCAPTURED.invokeExact(SYS_IO_URING_ENTER, (long) fd, (long) toSubmit,
          (long) minComplete, (long) flags, arg.address(), argSize);
      return n == -1 ? -threadErrno() : n;
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(arg);
    }
  }

  /** As {@link #enter}, with errno captured: for the failure path only. */
  static long enterCaptured(int fd, int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
    try {
      MemorySegment st = STATE.get();
      return rawResult((long) SYSCALL_7.invokeExact(st, SYS_IO_URING_ENTER, (long) fd, (long) toSubmit,
          (long) minComplete, (long) flags, arg.address(), argSize), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    } finally {
      Reference.reachabilityFence(arg);
    }
  }

  /** mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_POPULATE, fd, offset): the address, or minus the errno. */
  static long mmapShared(long length, int fd, long offset) {
    try {
      MemorySegment st = STATE.get();
      long r = (long) MMAP.invokeExact(st, 0L, length, PROT_READ_WRITE, MAP_SHARED_POPULATE, (long) fd, offset);
      return rawResult(r, st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }

  /** munmap(address, length): 0, or minus the errno. */
  static long munmap(long address, long length) {
    try {
      MemorySegment st = STATE.get();
      return rawResult((long) MUNMAP.invokeExact(st, address, length), st);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  }
}
