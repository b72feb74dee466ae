package org.tcpspec.conformance.sut;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.linux.CpuAffinity;
import org.tcpspec.conformance.linux.JvmHelperThreads;

/**
 * For linux cells on two or more CPUs: the thread that plays a cell keeps to the last CPU, and the
 * JVM's compiler and GC threads ({@link JvmHelperThreads}) to the others, so the cell's real-time
 * thread never holds them up and they never run on the CPU where the cell's kernel timers are due.
 * Made again at each cell's opening, for threads the JVM started meanwhile. Cells played side by
 * side ({@code run -j 2}) share that CPU too: they mostly wait, and kept to a CPU each (sessions
 * 12-14) one cell's kernel timers were always armed on a CPU whose tick at a jiffy edge could come
 * before jiffies moved, a delayed ACK then a jiffy late (conformance README, session 14: gtests
 * {@code -j 2} 113 of real packetdrill's 114 in each of two runs, selftests 71 of 73; sharing the
 * last CPU, 114, 114 and 114, and 73).
 *
 * <p>Session 13 and 14 measured it against real packetdrill on the three selftests scripts whose
 * delayed ACKs miss a jiffy edge now and then (see the conformance README). Keeping every JVM
 * thread off the cell's CPU, and not only these, lost gtests scripts to system calls started 4 to
 * 98 ms late (session 12): the call threads and the JVM's safepoint work stay with the cell.
 */
final class HelperPlacement {
  private HelperPlacement() {}

  /** The cell's thread to {@code cellCpu}, the compiler and GC threads to {@code helperCpus}. */
  record Plan(int cellCpu, List<Integer> helperCpus) {}

  /** The plan made at the first cell's opening; null before. */
  private static Plan placed;

  /**
   * The plan for a cell opened on a thread that may run on {@code threadCpus}, given the plan
   * made before ({@code null} if none): none when the thread keeps to one CPU that is not the
   * plan's (kept there from outside, as by taskset; the suite no longer places threads) or when
   * there is one CPU only.
   */
  static Optional<Plan> plan(List<Integer> threadCpus, Plan before) {
    if (before != null && threadCpus.equals(List.of(before.cellCpu()))) return Optional.of(before);
    if (threadCpus.size() < 2) return Optional.empty();
    int cell = threadCpus.getLast();
    List<Integer> others = new ArrayList<>(threadCpus);
    others.remove(Integer.valueOf(cell));
    return Optional.of(new Plan(cell, List.copyOf(others)));
  }

  /** Places the calling thread, which opens a cell, and the JVM's compiler and GC threads. */
  static synchronized void apply() {
    List<Integer> own = CpuAffinity.allowed();
    Optional<Plan> plan = plan(own, placed);
    if (plan.isEmpty()) return;
    Plan p = plan.get();
    if (own.size() > 1 && !CpuAffinity.pin(p.cellCpu())) return;
    placed = p;
    for (JvmHelperThreads.Task t : JvmHelperThreads.helpers(JvmHelperThreads.tasks())) {
      CpuAffinity.keep(t.tid(), p.helperCpus());
    }
  }
}
