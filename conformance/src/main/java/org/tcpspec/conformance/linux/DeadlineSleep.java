package org.tcpspec.conformance.linux;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Waits until a deadline as packetdrill's wait_for_event does (run.c): asleep on the kernel's
 * timer until shortly before the deadline, then spinning on the clock, since the scheduler wakes a
 * sleeping thread late. On this project's 2-vCPU VM (Linux 6.18, HZ 250) a SCHED_RR thread woken
 * by {@link LockSupport#parkNanos} ran 0.10 to 0.16 ms after its deadline on a quiet machine, in
 * every wait of three gtests scripts, so an injected packet or a system call went in that much
 * late and every later relative time moved with it. With the machine loaded by other work, 10 to
 * 20% of the wake-ups came 0.1 to 10 ms late (the kernel is PREEMPT_NONE: a woken real-time thread
 * waits until the task on its CPU leaves the kernel), most of them under 2 ms. packetdrill spins
 * its last 20 us (MAX_SPIN_USECS); the spin here covers that tail. The spin yields the CPU at every
 * turn (sched_yield), which lets a thread of the same real-time priority that is ready on this CPU
 * run first: every linux cell keeps to the last CPU ({@link CpuAffinity}, {@code
 * sut.HelperPlacement}), one at a time or with {@code run -j N}, where its interpreter's spin would
 * otherwise hold up its own call thread (or another cell's), woken by the packet just injected, for
 * up to the whole spin. A thread of lower priority does not get the CPU.
 */
public final class DeadlineSleep {
  private DeadlineSleep() {}

  /** How long before a deadline the wait stops sleeping and spins. */
  static final long SPIN_MICROS = 2_000;

  /** A way to sleep for a number of microseconds; the real one parks the thread. */
  interface Sleeper {
    void sleep(long micros) throws InterruptedException;
  }

  private static final Sleeper PARK = micros -> {
    LockSupport.parkNanos(micros * 1000);
    if (Thread.interrupted()) throw new InterruptedException();
  };

  /**
   * Returns once {@code nowMicros} reads {@code deadlineMicros} or later; at once when it already
   * does.
   */
  public static void until(LongSupplier nowMicros, long deadlineMicros) throws InterruptedException {
    until(nowMicros, deadlineMicros, PARK);
  }

  static void until(LongSupplier nowMicros, long deadlineMicros, Sleeper sleeper) throws InterruptedException {
    while (true) {
      long left = deadlineMicros - nowMicros.getAsLong();
      if (left <= 0) return;
      if (left > SPIN_MICROS) {
        sleeper.sleep(left - SPIN_MICROS);
      } else {
        if (Thread.interrupted()) throw new InterruptedException();
        Thread.yield();
      }
    }
  }
}
