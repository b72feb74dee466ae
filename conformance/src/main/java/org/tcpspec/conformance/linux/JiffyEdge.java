package org.tcpspec.conformance.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.LongSupplier;

/**
 * When a script's clock starts, as packetdrill's schedule_start_time_usecs picks it (run.c): a
 * little after an edge of the kernel's tick, found by spinning on times(2), whose count moves
 * with jiffies. The kernel's timers (delayed ACK, retransmission, TIME-WAIT) fire on jiffy
 * edges, 4 ms apart at this kernel's HZ 250, so a script whose clock started at a random phase of
 * the tick sees a timer's packet up to a jiffy later or earlier than one started where packetdrill
 * starts it, and its authors wrote their times against packetdrill's.
 *
 * <p>Even from the right start, a timer due at the next edge may fire one edge later, as traced
 * (timer:timer_start, timer:timer_expire_entry, tick_nohz_handler) on this project's 2-vCPU VM
 * with Linux 6.18: the delayed ACK of a FIN (gtests close-remote-fin-then-close) is armed with
 * {@code expires = jiffies} on the CPU that took the packet in; at the next edge that CPU's tick
 * raises the timer softirq only if jiffies has already moved (run_local_timers), and jiffies is
 * moved by the tick of one CPU only (tick_do_timer_cpu). When the arming CPU is busy at the edge,
 * is not that CPU and its tick runs first (they came 1 to 15 us apart, in either order), the timer
 * waits a whole jiffy. An injection whose processing ends just before an edge, with the interpreter
 * still running at it, is the likeliest to lose; packetdrill's thread is asleep by then.
 *
 * <p>The spin takes one or two times(2) ticks, 8 to 24 ms, so it yields the CPU at every turn
 * (sched_yield), as {@link DeadlineSleep}'s does, to any thread of the same real-time priority ready
 * on this CPU (another cell's, when cells share CPUs), which would otherwise wait that long.
 */
public final class JiffyEdge {
  private JiffyEdge() {}

  /** How long after the edge the clock starts (packetdrill's JIFFY_OFFSET_USECS). */
  static final long OFFSET_MICROS = 250;
  /**
   * Edges waited for: the first one seen after the spin starts may be seen late if the thread was
   * not running at it; packetdrill waits for 10, 100 ms at times(2)'s 100 per second.
   */
  static final int EDGES = 2;
  /** When no edge comes (a clock that does not move), the start is now, after this long. */
  static final long GIVE_UP_MICROS = 100_000;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle TIMES = LINKER.downcallHandle(
      LINKER.defaultLookup().find("times").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

  /** times(NULL): clock ticks since an arbitrary point, moving with the kernel's jiffies. */
  static long ticks() {
    try {
      return (long) TIMES.invokeExact(MemorySegment.NULL);
    } catch (Throwable e) {
      throw new IllegalStateException("times", e);
    }
  }

  /** The clock's start on {@code nowMicros}: {@link #OFFSET_MICROS} after a tick's edge. */
  public static long startMicros(LongSupplier nowMicros) {
    return startMicros(JiffyEdge::ticks, nowMicros);
  }

  static long startMicros(LongSupplier ticks, LongSupplier nowMicros) {
    long giveUp = nowMicros.getAsLong() + GIVE_UP_MICROS;
    long last = ticks.getAsLong();
    long edge = -1;
    int seen = 0;
    while (seen < EDGES) {
      long now = nowMicros.getAsLong();
      if (now > giveUp) return now + OFFSET_MICROS;
      long t = ticks.getAsLong();
      if (t != last) {
        edge = now;
        last = t;
        seen++;
      } else {
        Thread.yield();
      }
    }
    return edge + OFFSET_MICROS;
  }
}
