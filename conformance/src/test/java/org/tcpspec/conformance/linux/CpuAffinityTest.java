package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link CpuAffinity}: a thread kept to one CPU runs there, and so do the threads and processes it
 * starts (a cell's call threads and shell); other threads keep theirs.
 */
class CpuAffinityTest {

  /** The CPU list of a task's Cpus_allowed_list line in /proc, as "1" or "0-1". */
  private static String allowedList(Path task) throws Exception {
    return Files.readAllLines(task.resolve("status")).stream()
        .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
        .substring("Cpus_allowed_list:".length()).trim();
  }

  private static Path self() throws Exception {
    return Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
  }

  @Test
  void theAllowedCpusAreThoseProcShows() throws Exception {
    List<Integer> cpus = CpuAffinity.allowed();
    assertFalse(cpus.isEmpty());
    String list = allowedList(self());
    assertTrue(list.startsWith(Integer.toString(cpus.getFirst())), list + " vs " + cpus);
    assertTrue(list.endsWith(Integer.toString(cpus.getLast())), list + " vs " + cpus);
  }

  @Test
  void aPinnedThreadAndWhatItStartsRunOnItsCpu() throws Exception {
    List<Integer> before = CpuAffinity.allowed();
    int cpu = before.getLast();
    CompletableFuture<String[]> seen = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        boolean pinned = CpuAffinity.pin(cpu);
        List<Integer> own = CpuAffinity.allowed();
        CompletableFuture<List<Integer>> inner = new CompletableFuture<>();
        Thread started = new Thread(() -> inner.complete(CpuAffinity.allowed()));
        started.start();
        Process sleep = new ProcessBuilder("sleep", "5").start();
        String child = allowedList(Path.of("/proc", Long.toString(sleep.pid())));
        sleep.destroy();
        seen.complete(new String[] {Boolean.toString(pinned), own.toString(),
            inner.get(5, TimeUnit.SECONDS).toString(), child});
      } catch (Exception e) {
        seen.completeExceptionally(e);
      }
    });
    t.start();
    String[] r = seen.get(10, TimeUnit.SECONDS);
    assertEquals("true", r[0], "the kernel allowed it");
    assertEquals(List.of(cpu).toString(), r[1], "the pinned thread runs on its CPU only");
    assertEquals(List.of(cpu).toString(), r[2], "a thread it starts inherits the CPU");
    assertEquals(Integer.toString(cpu), r[3], "a process it starts inherits the CPU");
    assertEquals(before, CpuAffinity.allowed(), "other threads keep their CPUs");
  }

  @Test
  void aCpuOutsideTheSetIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CpuAffinity.pin(-1));
    assertThrows(IllegalArgumentException.class, () -> CpuAffinity.pin(1024));
  }
}
