package org.tcpspec.conformance.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JVM's own busy threads, the JIT compilers' and the garbage collector's, told apart by the
 * names the JVM gives them (/proc/self/task/TID/comm, cut to 15 bytes), so that they can be kept
 * off the CPU where a cell plays ({@link CpuAffinity#keep}). They run at the normal policy
 * (SCHED_OTHER), so a cell's real-time thread busy on that CPU (spinning to a deadline, or the
 * interpreter itself) holds them up: traced in session 13, the C1 compiler thread, woken on the
 * cell's CPU, waited behind the interpreter and compiled the cell's code only once it slept.
 */
public final class JvmHelperThreads {
  private JvmHelperThreads() {}

  /** What a thread of this JVM does, by its name. */
  public enum Kind {
    /** HotSpot's C1 and C2 compiler threads ("C1 CompilerThre" as comm cuts it). */
    COMPILER,
    /** ZGC's or G1's concurrent and worker threads. */
    GC,
    /** Everything else: Java threads, the VM thread, the runtime workers of safepoints. */
    OTHER
  }

  /**
   * The kind of a thread named {@code comm}. ZGC's threads (JDK 25): ZWorkerYoung#N, ZWorkerOld#N,
   * ZDirector, ZDriverMajor, ZDriverMinor, ZStat, ZUncommitter#N, ZUnmapper; G1's: GC Thread#N,
   * G1 Main Marker, G1 Conc#N, G1 Refine#N, G1 Service. RuntimeWorker#N (ZGC's safepoint helpers)
   * stays with the others: a cell's threads wait for a safepoint's end.
   */
  public static Kind classify(String comm) {
    String name = comm.strip();
    if (name.matches("C[12] CompilerThre.*")) return Kind.COMPILER;
    if (name.matches("Z(Worker|Director|Driver|Stat|Uncommitter|Unmapper).*")) return Kind.GC;
    if (name.startsWith("GC Thread#") || name.startsWith("G1 ")) return Kind.GC;
    return Kind.OTHER;
  }

  /** One thread of this process: its id and name. */
  public record Task(int tid, String comm) {}

  /** This process's threads now; one that ends while they are read is left out. */
  public static List<Task> tasks() {
    List<Task> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
      for (Path p : s.toList()) {
        try {
          out.add(new Task(Integer.parseInt(p.getFileName().toString()), Files.readString(p.resolve("comm")).strip()));
        } catch (IOException | NumberFormatException e) {
          // Gone meanwhile.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("/proc/self/task", e);
    }
    return out;
  }

  /** The compiler and GC threads among {@code tasks}. */
  public static List<Task> helpers(List<Task> tasks) {
    return tasks.stream().filter(t -> classify(t.comm()) != Kind.OTHER).toList();
  }
}
