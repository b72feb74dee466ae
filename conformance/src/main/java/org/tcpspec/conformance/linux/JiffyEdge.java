package org.tcpspec.conformance.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.locks.LockSupport;
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
 * <p>The wait takes one or two times(2) ticks, 8 to 24 ms, and spins only its last stretch. times(2)
 * counts USER_HZ (100) ticks made from jiffies (jiffies_64_to_clock_t: jiffies * TICK_NSEC / 10 ms,
 * rounded down), so at HZ 250 its edges come 2 or 3 jiffies apart, 8 or 12 ms (10 ms at HZ 100, 300
 * and 1000). The first edge is looked for asleep, {@link #STEP_MICROS} at a time; it came after the
 * last reading that did not see it, so the next one comes no earlier than {@link #MIN_GAP_MICROS}
 * after that reading, and the wait sleeps until {@link #SPIN_MICROS} before then and spins (as
 * packetdrill does throughout) from there, so the edge the start is taken from is still seen within
 * a turn of the spin. A wake-up that finds that edge already passed takes it as a first edge and
 * waits for the next. A whole spin of 8 to 24 ms on a real-time thread kept the JVM's compiler
 * threads (SCHED_OTHER) off this CPU until the script started, as traced in session 13, which
 * delayed the compiling of the interpreter's first events into the script's timeline. The spin
 * yields the CPU at every turn (sched_yield), as {@link DeadlineSleep}'s does, to any thread of
 * the same real-time priority ready on this CPU (another cell's, when cells share CPUs).
 */
public final class JiffyEdge {
  private JiffyEdge() {}

  /** How long after the edge the clock starts (packetdrill's JIFFY_OFFSET_USECS). */
  static final long OFFSET_MICROS = 250;
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

  /**
   * The least time between two edges of times(2): 2 jiffies at HZ 250, the shortest of the usual
   * HZ values' gaps (see the class comment).
   */
  static final long MIN_GAP_MICROS = 8_000;
  /** How long before the earliest next edge the wait stops sleeping and spins. */
  static final long SPIN_MICROS = 1_500;
  /** How long each sleep lasts while the first edge is looked for. */
  static final long STEP_MICROS = 1_000;

  /** A way to sleep for a number of microseconds; the real one parks the thread. */
  interface Sleeper {
    void sleep(long micros);
  }

  /** Parks the thread; an interrupt ends the park at once, so the wait then spins throughout. */
  private static final Sleeper PARK = micros -> LockSupport.parkNanos(micros * 1000);

  /** The clock's start on {@code nowMicros}: {@link #OFFSET_MICROS} after a tick's edge. */
  public static long startMicros(LongSupplier nowMicros) {
    return startMicros(JiffyEdge::ticks, nowMicros, PARK);
  }

  static long startMicros(LongSupplier ticks, LongSupplier nowMicros, Sleeper sleeper) {
    long giveUp = nowMicros.getAsLong() + GIVE_UP_MICROS;
    long readAt = nowMicros.getAsLong();
    long last = ticks.getAsLong();
    // The last edge found has come after this time; none found yet while Long.MIN_VALUE.
    long edgeAfter = Long.MIN_VALUE;
    boolean spinning = false;
    while (true) {
      long now = nowMicros.getAsLong();
      if (now > giveUp) return now + OFFSET_MICROS;
      long t = ticks.getAsLong();
      if (t != last) {
        last = t;
        // Seen within a turn of the spin, after an edge found before it: the start's edge.
        if (spinning) return now + OFFSET_MICROS;
        edgeAfter = edgeAfter == Long.MIN_VALUE ? readAt : Math.max(readAt, edgeAfter + MIN_GAP_MICROS);
      }
      readAt = now;
      if (edgeAfter == Long.MIN_VALUE) {
        sleeper.sleep(STEP_MICROS);
        spinning = false;
      } else if (now < edgeAfter + MIN_GAP_MICROS - SPIN_MICROS) {
        sleeper.sleep(edgeAfter + MIN_GAP_MICROS - SPIN_MICROS - now);
        spinning = false;
      } else {
        Thread.yield();
        spinning = true;
      }
    }
  }
}
