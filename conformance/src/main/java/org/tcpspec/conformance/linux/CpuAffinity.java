package org.tcpspec.conformance.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPUs a thread may run on (sched_setaffinity(2)): linux cells keep to the last CPU and the
 * JVM's compiler and GC threads to the others ({@code sut.HelperPlacement}). Threads and processes
 * started by a thread inherit its affinity, so a cell's call threads, shell and python3 stay on
 * its CPU. Until session 14 cells played side by side kept to a CPU each, for the reason below;
 * that put one cell's timers on the CPU that does not move jiffies (conformance README).
 *
 * <p>Why: a kernel timer (the delayed ACK, a retransmission) is queued on the CPU whose thread made
 * the kernel arm it, the one that injected the packet or made the call. At a jiffy edge, a CPU that
 * is running a task takes its tick and looks for due timers before the CPU that keeps jiffies
 * (tick_do_timer_cpu) has moved them (run_local_timers), and the timer waits a whole jiffy more.
 * Traced (timer:timer_expire_entry with now past baseclk, and the task on that CPU at the missed
 * tick) during {@code run --sut linux -j 2} on this project's 2-vCPU VM (Linux 6.18, HZ 250): the
 * delayed ACK of gtests' fin-close-socket FIN went out 6.9 ms after the FIN, a jiffy late, because
 * the other cell's python3 ran on that CPU at the edge. In five such runs over 26 gtests scripts,
 * more than half of the CPUs at the ticks that late TCP timers missed ran shell-line processes
 * (bash, sysctl, defaults.sh, python3). Real packetdrill two at a time ({@code xargs -P 2}) misses
 * ticks the same way.
 */
public final class CpuAffinity {
  private CpuAffinity() {}

  /** Bytes of the cpu_set_t passed: glibc's, room for 1024 CPUs. */
  private static final int CPU_SET_BYTES = 128;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle SET_AFFINITY = LINKER.downcallHandle(
      LINKER.defaultLookup().find("sched_setaffinity").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
  private static final MethodHandle GET_AFFINITY = LINKER.downcallHandle(
      LINKER.defaultLookup().find("sched_getaffinity").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

  /** The CPUs the calling thread may run on, in ascending order. */
  public static List<Integer> allowed() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment set = arena.allocate(CPU_SET_BYTES);
      if ((int) GET_AFFINITY.invokeExact(0, (long) CPU_SET_BYTES, set) != 0) {
        throw new IllegalStateException("sched_getaffinity failed");
      }
      List<Integer> cpus = new ArrayList<>();
      for (int cpu = 0; cpu < CPU_SET_BYTES * 8; cpu++) {
        if ((set.get(ValueLayout.JAVA_BYTE, cpu / 8) & (1 << (cpu % 8))) != 0) cpus.add(cpu);
      }
      return cpus;
    } catch (IllegalStateException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("sched_getaffinity", e);
    }
  }

  /** The calling thread to run on {@code cpu} only; whether the kernel allowed it. */
  public static boolean pin(int cpu) {
    return keep(0, List.of(cpu));
  }

  /**
   * Thread {@code tid} of this process (0: the calling thread) to run on {@code cpus} only;
   * whether the kernel allowed it (a thread that has ended meanwhile is not).
   */
  public static boolean keep(int tid, List<Integer> cpus) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment set = arena.allocate(CPU_SET_BYTES);
      for (int cpu : cpus) {
        if (cpu < 0 || cpu >= CPU_SET_BYTES * 8) throw new IllegalArgumentException("no such CPU: " + cpu);
        set.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (set.get(ValueLayout.JAVA_BYTE, cpu / 8) | (1 << (cpu % 8))));
      }
      return (int) SET_AFFINITY.invokeExact(tid, (long) CPU_SET_BYTES, set) == 0;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("sched_setaffinity", e);
    }
  }
}
