package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.tcpspec.device.linux.LibcLinker.linkFailure;
import static org.tcpspec.device.linux.LibcLinker.ptr;
import static org.tcpspec.device.linux.LibcLinker.uncaptured;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** The process's CPU clock through libc, for the bench's processor time per GB. */
public final class LibcClock {
  private LibcClock() {}

  private static final MethodHandle CLOCK_GETTIME = uncaptured("clock_gettime", 2);
  /** CLOCK_PROCESS_CPUTIME_ID of Linux's uapi/linux/time.h (the same on x86-64 and arm64). */
  private static final long CLOCK_PROCESS_CPUTIME_ID = 2;

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
}
