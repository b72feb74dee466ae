package org.tcpspec.conformance.conform;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A real-time scheduling priority for the thread that plays the cells of a system timed in real
 * time, as packetdrill gives its own threads one (run.c, {@code set_scheduling_priority}: SCHED_RR
 * at the lowest real-time priority when the machine has more than one CPU). Threads made meanwhile
 * inherit it: the runner's, the system under test's call and drain threads, so a thread that wakes
 * for a socket call or a packet does not queue behind a build on a busy machine. The kernel keeps
 * 5 % of every second for other work ({@code sched_rt_runtime_us}). Needs CAP_SYS_NICE, which root
 * has (the linux system under test needs root anyway); without it, or on one CPU, nothing changes
 * and {@link #refused()} says why. {@link #close()} puts the thread back to the normal policy.
 */
final class RealTimePriority implements AutoCloseable {
  private static final int SCHED_OTHER = 0;
  private static final int SCHED_RR = 2;

  private final Optional<String> refused;

  private RealTimePriority(Optional<String> refused) {
    this.refused = refused;
  }

  /** Raises the calling thread to SCHED_RR at its lowest priority, when allowed. */
  static RealTimePriority raise() {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return new RealTimePriority(Optional.of("one CPU: a real-time thread could starve the machine"));
    }
    try {
      int min = (int) priorityMin().invokeExact(SCHED_RR);
      int r = set(SCHED_RR, min);
      return new RealTimePriority(r == 0 ? Optional.empty()
          : Optional.of("sched_setscheduler(SCHED_RR) refused (CAP_SYS_NICE is needed)"));
    } catch (Throwable e) {
      return new RealTimePriority(Optional.of("sched_setscheduler is not reachable: " + e));
    }
  }

  /** Why the priority was not raised; empty when it was. */
  Optional<String> refused() {
    return refused;
  }

  @Override
  public void close() {
    if (refused.isPresent()) return;
    try {
      set(SCHED_OTHER, 0);
    } catch (Throwable e) {
      throw new IllegalStateException("could not return the thread to SCHED_OTHER", e);
    }
  }

  /** sched_setscheduler(0, policy, &{priority}) for the calling thread; its return value. */
  private static int set(int policy, int priority) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment param = arena.allocate(ValueLayout.JAVA_INT);
      param.set(ValueLayout.JAVA_INT, 0, priority);
      return (int) setScheduler().invokeExact(0, policy, param);
    }
  }

  private static MethodHandle setScheduler() {
    Linker linker = Linker.nativeLinker();
    return linker.downcallHandle(linker.defaultLookup().find("sched_setscheduler").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
  }

  private static MethodHandle priorityMin() {
    Linker linker = Linker.nativeLinker();
    return linker.downcallHandle(linker.defaultLookup().find("sched_get_priority_min").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  }
}
