package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM's threads told apart by their comm names (JDK 25, cut to 15 bytes as the kernel keeps them). */
class JvmHelperThreadsTest {

  @Test
  void compilerThreadsAreTheJitsOnly() {
    assertEquals(JvmHelperThreads.Kind.COMPILER, JvmHelperThreads.classify("C1 CompilerThre"));
    assertEquals(JvmHelperThreads.Kind.COMPILER, JvmHelperThreads.classify("C2 CompilerThre\n"));
    assertEquals(JvmHelperThreads.Kind.OTHER, JvmHelperThreads.classify("C3 CompilerThre"));
  }

  @Test
  void zgcAndG1ThreadsAreGc() {
    for (String gc : List.of("ZWorkerYoung#0", "ZWorkerOld#1", "ZDirector", "ZDriverMajor", "ZDriverMinor",
        "ZStat", "ZUncommitter#0", "ZUnmapper", "GC Thread#0", "G1 Main Marker", "G1 Conc#0", "G1 Refine#0")) {
      assertEquals(JvmHelperThreads.Kind.GC, JvmHelperThreads.classify(gc), gc);
    }
  }

  @Test
  void everythingElseIsOther() {
    for (String other : List.of("java", "VM Thread", "RuntimeWorker#0", "Reference Handl", "Signal Dispatch",
        "Service Thread", "Common-Cleaner", "pool-1-thread-1", "linux-warm-up", "tcpspec-sut-1-dr", "Zebra")) {
      assertEquals(JvmHelperThreads.Kind.OTHER, JvmHelperThreads.classify(other), other);
    }
  }

  @Test
  void thisJvmsHelpersIncludeACompilerThreadAndNotTheCallingThread() {
    List<JvmHelperThreads.Task> tasks = JvmHelperThreads.tasks();
    assertTrue(tasks.stream().allMatch(t -> t.tid() > 0 && !t.comm().isEmpty()), tasks.toString());
    List<JvmHelperThreads.Task> helpers = JvmHelperThreads.helpers(tasks);
    // A JVM with a JIT has its compiler threads from the start (unless run with -Xint).
    assertTrue(helpers.stream().anyMatch(t -> JvmHelperThreads.classify(t.comm()) == JvmHelperThreads.Kind.COMPILER),
        tasks.toString());
    assertFalse(helpers.stream().anyMatch(t -> t.comm().equals(Thread.currentThread().getName())), helpers.toString());
  }
}
