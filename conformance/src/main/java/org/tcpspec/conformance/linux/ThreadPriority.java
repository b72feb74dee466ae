package org.tcpspec.conformance.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The scheduling policy of the calling thread, for the threads of a cell timed in real time.
 *
 * <p>A cell plays at SCHED_RR as packetdrill does (run.c, set_scheduling_priority), so its
 * threads wake for a packet or a returning call at once whatever else the machine runs. What a
 * cell starts besides (the {@code ip} processes that make and remove its namespace, python3, the
 * JVM's helper threads) runs at the normal policy: {@link #realTime} sets SCHED_RESET_ON_FORK, so
 * no child process or thread inherits the real-time policy unless started through {@link
 * #startInheriting}, as the shell of a script's shell lines is (packetdrill's system(3) children
 * inherit its policy; at the normal policy gtests' defaults.sh took 0.5 to 1.2 s on this loaded VM,
 * 0.2 s at SCHED_RR, and every cell took a second longer). Measured with {@code perf sched
 * timehist} during {@code run --sut linux -j 2} on this project's 2-vCPU VM: an {@code ip netns}
 * process of one cell that inherited SCHED_RR ran 9 ms on a CPU while the other cell's
 * interpreter, woken, waited for it (a real-time thread is not preempted by one of equal
 * priority), and that cell's blocking calls returned 5 to 10 ms late.
 *
 * <p>For the same reason the shell runs one real-time priority below the cell's threads ({@link
 * #SHELL_PRIORITY} under {@link #CELL_PRIORITY}): still ahead of all normal work, but preempted by
 * a cell thread that wakes. Traced (sched_switch, sched_wakeup) during {@code run --sut linux -j 2}
 * over gtests with both at the lowest priority: call threads and interpreters woken for a packet
 * waited 3 to 14 ms while the other cell's shell lines (defaults.sh, sysctl, bash, python3 through
 * pyenv, jspawnhelper) held both CPUs at the same priority; four blocking calls (connect, poll,
 * write, sendmsg) returned 5 to 16 ms late.
 */
public final class ThreadPriority {
  private ThreadPriority() {}

  private static final int SCHED_OTHER = 0;
  private static final int SCHED_RR = 2;
  /** sched.h: or-ed into the policy; children start at SCHED_OTHER (sched(7)). */
  private static final int SCHED_RESET_ON_FORK = 0x40000000;
  /** The real-time priority of a cell's threads: one above {@link #SHELL_PRIORITY}. */
  static final int CELL_PRIORITY = 2;
  /**
   * The real-time priority of the shell of shell lines: SCHED_RR's lowest, packetdrill's own
   * (run.c takes sched_get_priority_min).
   */
  static final int SHELL_PRIORITY = 1;

  private static final Linker LINKER = Linker.nativeLinker();
  // All arguments and the result JAVA_LONG, the shapes the Libc* downcalls have (see LibcLinker.longs): a
  // shape already linked costs no generated class. An int result is the register's low 32 bits.
  private static final MethodHandle SET_SCHEDULER = longs("sched_setscheduler", 3);
  private static final MethodHandle GET_SCHEDULER = longs("sched_getscheduler", 1);

  private static MethodHandle longs(String name, int arity) {
    ValueLayout[] args = new ValueLayout[arity];
    java.util.Arrays.fill(args, ValueLayout.JAVA_LONG);
    return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, args));
  }

  /** Whether the calling thread runs at SCHED_RR (with or without SCHED_RESET_ON_FORK), at any priority. */
  public static boolean isRealTime() {
    try {
      int policy = (int) (long) GET_SCHEDULER.invokeExact(0L);
      return policy >= 0 && (policy & ~SCHED_RESET_ON_FORK) == SCHED_RR;
    } catch (Throwable e) {
      throw new IllegalStateException("sched_getscheduler", e);
    }
  }

  /**
   * The calling thread to SCHED_RR at {@link #CELL_PRIORITY}, children at the normal policy; whether
   * the kernel allowed it (CAP_SYS_NICE is needed).
   */
  public static boolean realTime() {
    return set(SCHED_RR | SCHED_RESET_ON_FORK, CELL_PRIORITY);
  }

  /**
   * Starts the process at SCHED_RR, {@link #SHELL_PRIORITY}, when the calling thread is real-time,
   * as packetdrill's children inherit its own policy; below the cell's threads, so none of them
   * waits for it.
   */
  public static Process startInheriting(ProcessBuilder builder) throws IOException {
    if (!isRealTime()) return builder.start();
    set(SCHED_RR, SHELL_PRIORITY);
    try {
      return builder.start();
    } finally {
      realTime();
    }
  }

  /**
   * The calling thread to the normal policy (SCHED_OTHER) at nice {@link #SETUP_NICE}, which the
   * processes it starts inherit: behind every real-time thread, so a cell's setup never holds up
   * another cell's play, and ahead of the machine's other normal work. At nice 0, on this VM loaded
   * with others' builds, a cell's setup and teardown took about a second longer.
   */
  public static void normal() {
    if (!set(SCHED_OTHER, 0)) throw new IllegalStateException("sched_setscheduler(SCHED_OTHER) failed");
    try {
      // who 0 is the calling thread: a nice value is a thread's own (setpriority(2), BUGS).
      int r = (int) (long) SET_PRIORITY.invokeExact((long) PRIO_PROCESS, 0L, (long) SETUP_NICE);
      if (r != 0) throw new IllegalStateException("setpriority(" + SETUP_NICE + ") failed");
    } catch (IllegalStateException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("setpriority", e);
    }
  }

  /** The nice value of {@link #normal}. */
  static final int SETUP_NICE = -10;
  private static final int PRIO_PROCESS = 0;
  private static final MethodHandle SET_PRIORITY = longs("setpriority", 3);

  private static boolean set(int policy, int priority) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment param = arena.allocate(ValueLayout.JAVA_INT);
      param.set(ValueLayout.JAVA_INT, 0, priority);
      return (int) (long) SET_SCHEDULER.invokeExact(0L, (long) policy, param.address()) == 0;
    } catch (Throwable e) {
      throw new IllegalStateException("sched_setscheduler", e);
    }
  }
}
