package org.tcpspec.conformance.profile;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run's wall time goes outside its cells' own timelines, for whoever makes runs faster:
 * with {@code TCPSPEC_PROFILE} set in the environment, each phase (the JVM's start, picocli's
 * parse, the warm-up, each cell's setup, play and teardown, the report) prints a line to standard
 * error as it ends, and the JVM's exit prints each phase's count and total. Times are
 * milliseconds since the launcher started ({@code TCPSPEC_PROFILE_T0}, its {@code
 * $EPOCHREALTIME}), or since the JVM started when it was not the launcher that ran it. Without the
 * variable every call returns at once and nothing is printed.
 */
public final class PhaseProfile {
  private PhaseProfile() {}

  /** Whether phases are timed in this JVM. */
  public static final boolean ON = System.getenv("TCPSPEC_PROFILE") != null;

  private static final PrintStream OUT = System.err;
  private static final long T0_MICROS = ON ? originMicros() : 0;
  private static final Map<String, long[]> TOTALS = new TreeMap<>();

  static {
    if (ON) {
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(PhaseProfile::printTotals));
    }
  }

  /** A phase that started at {@link #begin}; {@link #end} prints and counts it. */
  public record Phase(String name, long startMicros) {
    public void end() {
      if (!ON) return;
      long now = nowMicros();
      synchronized (TOTALS) {
        long[] t = TOTALS.computeIfAbsent(name, k -> new long[2]);
        t[0]++;
        t[1] += now - startMicros;
      }
      OUT.printf("tcpspec-profile: %9.1f ms  %-26s %8.1f ms (from %.1f)%n",
          (now - T0_MICROS) / 1000.0, name, (now - startMicros) / 1000.0, (startMicros - T0_MICROS) / 1000.0);
    }
  }

  private static final Phase OFF = new Phase("", 0);

  /** Starts timing phase {@code name}. */
  public static Phase begin(String name) {
    return ON ? new Phase(name, nowMicros()) : OFF;
  }

  /** A phase that started at the origin, such as the JVM's start up to {@code main}. */
  public static Phase sinceOrigin(String name) {
    return ON ? new Phase(name, T0_MICROS) : OFF;
  }

  private static long nowMicros() {
    return micros(Instant.now());
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  private static long originMicros() {
    String t0 = System.getenv("TCPSPEC_PROFILE_T0");
    if (t0 != null) {
      try {
        return Math.round(Double.parseDouble(t0) * 1e6);
      } catch (NumberFormatException e) {
        OUT.println("tcpspec-profile: TCPSPEC_PROFILE_T0 is not a time: " + t0);
      }
    }
    return ProcessHandle.current().info().startInstant().map(PhaseProfile::micros).orElseGet(PhaseProfile::nowMicros);
  }

  private static void printTotals() {
    long exit = nowMicros();
    synchronized (TOTALS) {
      OUT.printf("tcpspec-profile: exit at %.1f ms; per phase: count, total ms, mean ms%n", (exit - T0_MICROS) / 1000.0);
      TOTALS.forEach((name, t) -> OUT.printf("tcpspec-profile:   %-26s %4d %9.1f %8.1f%n",
          name, t[0], t[1] / 1000.0, t[1] / 1000.0 / t[0]));
    }
    printCpu();
  }

  /**
   * The CPU time of the JVM's threads still alive, by thread name with digits dropped (so the JIT
   * compilers' and the GC's threads add up), from /proc/self/task/TID/stat: utime and stime, in
   * clock ticks (USER_HZ, 100 a second on Linux), fields 14 and 15 after the name.
   */
  private static void printCpu() {
    Map<String, Long> ticks = new TreeMap<>();
    try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      for (var task : tasks.toList()) {
        String stat;
        try {
          stat = java.nio.file.Files.readString(task.resolve("stat"));
        } catch (java.io.IOException gone) {
          continue;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "#");
        String[] f = stat.substring(close + 2).split(" ");
        ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
      }
    } catch (java.io.IOException | RuntimeException e) {
      OUT.println("tcpspec-profile: no CPU times: " + e);
      return;
    }
    long all = ticks.values().stream().mapToLong(Long::longValue).sum();
    OUT.printf("tcpspec-profile: CPU of live threads %d ms:", all * 10);
    ticks.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> OUT.printf(" %s %d ms;", e.getKey(), e.getValue() * 10));
    OUT.println();
  }
}
