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
import org.tcpspec.abi.SysResult;

/**
 * The plumbing of tcpspec's libc bindings ({@link LibcFiles}, {@link LibcPoll}, {@link
 * LibcSockets}, {@link LibcNamespaces}, {@link LibcClock}): FFM downcalls that capture errno
 * right after the call (Linker.Option.captureCallState), so the value is the one C would read and
 * not one clobbered by the JVM in between. Every binding returns a {@link SysResult} built here
 * and never throws on a failing call; the data path's few return a plain long instead, with this
 * thread's errno cell read without a call.
 *
 * <p>Blocking calls (read, accept4, connect on a blocking socket, poll) block the calling thread;
 * on a virtual thread they pin its carrier, so callers that block should use platform threads or
 * non-blocking descriptors with {@link LibcPoll#poll}.
 *
 * <p>Pointers are {@link MemorySegment}s the caller allocated; their size is the caller's promise.
 */
// Downcalls and reading C strings are restricted FFM methods; this class is where tcpspec uses
// them on purpose (native access is enabled for the unnamed module).
@SuppressWarnings("restricted")
final class LibcLinker {
  private LibcLinker() {}

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  /** One call-state buffer per thread: no allocation per call, GC-managed with the thread. */
  static final ThreadLocal<MemorySegment> STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

  /**
   * The downcall of libc's {@code name} taking {@code arity} arguments, errno captured: every
   * argument and the result are JAVA_LONG ({@link #longs}).
   */
  static MethodHandle downcall(String name, int arity, Linker.Option... more) {
    Linker.Option[] options = new Linker.Option[more.length + 1];
    options[0] = CAPTURE_ERRNO;
    System.arraycopy(more, 0, options, 1, more.length);
    return LINKER.downcallHandle(symbol(name), longs(arity), options);
  }

  /** As {@link #downcall}, without errno capture. */
  static MethodHandle uncaptured(String name, int arity) {
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
  static FunctionDescriptor longs(int arity) {
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
  static long ptr(MemorySegment s) {
    if (!s.isNative()) throw new IllegalArgumentException("heap segment passed as a pointer: " + s);
    return s.address();
  }

  /** The result of a call whose errno was captured into {@code state}: -1 is a failure. */
  static SysResult<Void> result(long value, MemorySegment state) {
    return value == -1 ? SysResult.error(Errno.of((int) ERRNO.get(state, 0L))) : SysResult.ok(value);
  }

  /** As {@link #result}, without a result object: the value, or minus the errno. */
  static long rawResult(long value, MemorySegment state) {
    return value == -1 ? -(int) ERRNO.get(state, 0L) : value;
  }

  static IllegalStateException linkFailure(Throwable t) {
    return new IllegalStateException("FFM downcall failed to run (not a syscall error)", t);
  }

  /** This thread's errno cell (glibc's __errno_location: one address per thread, for its life). */
  private static final ThreadLocal<MemorySegment> ERRNO_CELL = ThreadLocal.withInitial(() -> {
    try {
      return MemorySegment.ofAddress((long) uncaptured("__errno_location", 0).invokeExact())
          .reinterpret(Integer.BYTES);
    } catch (Throwable t) {
      throw linkFailure(t);
    }
  });

  /**
   * This thread's errno as the C library holds it, read without a call: right after a downcall
   * without capture it is usually the call's, but the JVM may have run code in between (a
   * safepoint), so only EAGAIN, the data path's expected failure, is believed from it.
   */
  static int threadErrno() {
    return ERRNO_CELL.get().get(JAVA_INT, 0);
  }
}
