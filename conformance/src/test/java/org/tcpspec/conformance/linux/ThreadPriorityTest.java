package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thread at {@link ThreadPriority#realTime} runs at SCHED_RR while what it starts, a process (the
 * ip processes of a cell) or a thread, starts at SCHED_OTHER, unless started through {@link
 * ThreadPriority#startInheriting} (the shell of shell lines), which runs one real-time priority
 * below the thread. Needs CAP_SYS_NICE.
 */
class ThreadPriorityTest {

  /** The policy field of /proc/PID/task/TID/stat (field 41): 0 SCHED_OTHER, 2 SCHED_RR. */
  private static int policy(Path task) throws Exception {
    String stat = Files.readString(task.resolve("stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(fields[41 - 3]);
  }

  /** The rt_priority field of /proc/PID/task/TID/stat (field 40): 0 for a normal policy. */
  private static int rtPriority(Path task) throws Exception {
    String stat = Files.readString(task.resolve("stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(fields[40 - 3]);
  }

  /** The nice field of /proc/PID/task/TID/stat (field 19). */
  private static int nice(Path task) throws Exception {
    String stat = Files.readString(task.resolve("stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(fields[19 - 3]);
  }

  private static Path self() throws Exception {
    return Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
  }

  @Test
  void aRealTimeThreadStartsProcessesAndThreadsAtTheNormalPolicy() throws Exception {
    CompletableFuture<int[]> seen = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        boolean raised = ThreadPriority.realTime();
        if (!raised) {
          seen.complete(null);
          return;
        }
        int own = policy(self());
        int ownPriority = rtPriority(self());
        boolean isRealTime = ThreadPriority.isRealTime();
        Process sleep = new ProcessBuilder("sleep", "5").start();
        int child = policy(Path.of("/proc", Long.toString(sleep.pid())));
        sleep.destroy();
        Process inheriting = ThreadPriority.startInheriting(new ProcessBuilder("sleep", "5"));
        int inheritingChild = policy(Path.of("/proc", Long.toString(inheriting.pid())));
        int inheritingPriority = rtPriority(Path.of("/proc", Long.toString(inheriting.pid())));
        int priorityAfter = rtPriority(self());
        inheriting.destroy();
        boolean stillRealTime = ThreadPriority.isRealTime();
        CompletableFuture<Integer> inner = new CompletableFuture<>();
        Thread started = new Thread(() -> {
          try {
            inner.complete(policy(self()));
          } catch (Exception e) {
            inner.completeExceptionally(e);
          }
        });
        started.start();
        int thread = inner.get(5, TimeUnit.SECONDS);
        ThreadPriority.normal();
        int nice = nice(self());
        Process setUp = new ProcessBuilder("sleep", "5").start();
        int setUpNice = nice(Path.of("/proc", Long.toString(setUp.pid())));
        setUp.destroy();
        seen.complete(new int[] {own, isRealTime ? 1 : 0, child, thread, ThreadPriority.isRealTime() ? 1 : 0,
            inheritingChild, stillRealTime ? 1 : 0, nice, setUpNice, ownPriority, inheritingPriority, priorityAfter});
      } catch (Exception e) {
        seen.completeExceptionally(e);
      }
    });
    t.start();
    int[] r = seen.get(10, TimeUnit.SECONDS);
    assumeTrue(r != null, "skipped: sched_setscheduler(SCHED_RR) refused (needs CAP_SYS_NICE)");
    assertEquals(2, r[0], "the raised thread runs at SCHED_RR");
    assertTrue(r[1] == 1, "isRealTime sees SCHED_RR through SCHED_RESET_ON_FORK");
    assertEquals(0, r[2], "a process it starts runs at SCHED_OTHER");
    assertEquals(0, r[3], "a thread it starts runs at SCHED_OTHER");
    assertFalse(r[4] == 1, "normal() returns it to SCHED_OTHER");
    assertEquals(2, r[5], "a process started through startInheriting runs at SCHED_RR, as the shell of shell lines");
    assertTrue(r[6] == 1, "the thread stays real-time after startInheriting");
    assertEquals(ThreadPriority.SETUP_NICE, r[7], "normal() runs the thread at the setup's nice value");
    assertEquals(ThreadPriority.SETUP_NICE, r[8], "which the processes it starts inherit");
    assertEquals(ThreadPriority.CELL_PRIORITY, r[9], "the raised thread's real-time priority");
    assertEquals(ThreadPriority.SHELL_PRIORITY, r[10], "the shell's, one below, so a cell's woken thread preempts it");
    assertEquals(ThreadPriority.CELL_PRIORITY, r[11], "the thread is back at its own priority after startInheriting");
  }
}
