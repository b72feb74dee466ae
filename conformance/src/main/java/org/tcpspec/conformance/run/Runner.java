package org.tcpspec.conformance.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.tcpspec.conformance.profile.EventMarks;
import org.tcpspec.conformance.profile.PhaseProfile;
import org.tcpspec.conformance.script.Parser;
import org.tcpspec.conformance.script.Script;
import org.tcpspec.conformance.script.ScriptException;
import org.tcpspec.conformance.script.ScriptOption;

/**
 * Runs scripts on systems under test: parses each script once, opens a fresh system under test
 * per (script, system), plays it, and reports each result as it comes. Systems that allow it run
 * scripts in parallel, each run in its own namespace.
 */
public final class Runner {
  /** Directories of interpreter self-tests, skipped when a parent directory is given. */
  public static final String SELFTEST_DIR = "selftest";

  private final int jobs;
  private final RunOptions options;

  public Runner(int jobs) {
    this(jobs, RunOptions.DEFAULT);
  }

  public Runner(int jobs, RunOptions options) {
    this.jobs = Math.max(1, jobs);
    this.options = options;
  }

  /** The .pkt files under the given paths, sorted; self-test folders only when named. */
  public static List<Path> collect(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        boolean selftest = p.getFileName() != null && p.getFileName().toString().equals(SELFTEST_DIR);
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(f -> f.toString().endsWith(".pkt") && Files.isRegularFile(f))
              .filter(f -> selftest || !p.relativize(f).toString().contains(SELFTEST_DIR + "/"))
              .sorted(Comparator.comparing(Path::toString))
              .forEach(out::add);
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new IOException("no such file or directory: " + p);
      }
    }
    return out;
  }

  /** How many cells the scripts make: one per script and variant that applies to it. */
  public int cells(List<Path> scripts) {
    int n = 0;
    for (Path script : scripts) for (Variant v : options.variants()) if (v.appliesTo(script)) n++;
    return n;
  }

  /**
   * Plays every script in every variant that applies on each system under test, reporting each
   * result as it comes. With {@code jobs} above 1 (and a system that allows it) that many cells play
   * at once; with 1, cells play one at a time except while one sleeps on a long timer ({@link
   * IdleOverlap}), on a system that allows cells side by side; on one that does not, strictly one
   * at a time.
   */
  public List<RunResult> run(List<Path> scripts, List<SutFactory> suts, Consumer<RunResult> progress)
      throws InterruptedException {
    List<RunResult> results = new ArrayList<>();
    for (SutFactory sut : suts) {
      if (sut.unavailable().isEmpty()) sut.warmUp();
      int threads = sut.parallel() ? jobs : 1;
      boolean lending = sut.parallel() && threads == 1;
      IdleOverlap overlap = new IdleOverlap();
      try (ExecutorService pool = lending ? Executors.newCachedThreadPool()
          : Executors.newFixedThreadPool(threads)) {
        List<Future<RunResult>> futures = new ArrayList<>();
        for (Path script : scripts) {
          for (Variant variant : options.variants()) {
            if (!variant.appliesTo(script)) continue;
            IdleOverlap.Cell cell = lending ? overlap.admit(estimateNanos(script, variant)) : IdleOverlap.NONE;
            futures.add(pool.submit(() -> {
              RunResult r;
              try {
                r = runOne(script, sut, options, variant, cell);
              } finally {
                if (cell != IdleOverlap.NONE) cell.done();
              }
              synchronized (progress) {
                progress.accept(r);
              }
              return r;
            }));
          }
        }
        for (Future<RunResult> f : futures) {
          try {
            results.add(f.get());
          } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("runner thread failed", e.getCause());
          }
        }
      }
    }
    return results;
  }

  /** One script on one system under test, packetdrill's defaults; never throws. */
  public static RunResult runOne(Path path, SutFactory factory) {
    return runOne(path, factory, RunOptions.DEFAULT, Variant.NONE);
  }

  /** How long a cell will take, for {@link IdleOverlap}; a script that does not parse takes none. */
  private long estimateNanos(Path path, Variant variant) {
    List<ScriptOption> commandLine = new ArrayList<>(variant.options());
    commandLine.addAll(options.commandLine());
    try {
      return IdleOverlap.estimateNanos(Parser.parse(path, RunConfig.defines(commandLine)));
    } catch (ScriptException | RunConfig.BadOption | IOException | RuntimeException e) {
      return IdleOverlap.SETUP_NANOS;
    }
  }

  /** One script in one variant on one system under test, alone; never throws. */
  public static RunResult runOne(Path path, SutFactory factory, RunOptions options, Variant variant) {
    return runOne(path, factory, options, variant, IdleOverlap.NONE);
  }

  /**
   * One script in one variant on one system under test; never throws. The configuration is the
   * variant's options, then the command line's, over the script's header (packetdrill's order).
   */
  private static RunResult runOne(Path path, SutFactory factory, RunOptions options, Variant variant,
      IdleOverlap.Cell cell) {
    String name = path.toString();
    String v = variant.name();
    List<ScriptOption> commandLine = new ArrayList<>(variant.options());
    commandLine.addAll(options.commandLine());
    Script script;
    RunConfig.Result configured;
    try {
      // The header is configured before the events are parsed, as packetdrill does: a bad option
      // is the script's first error (Parser.HeaderCheck).
      AtomicReference<RunConfig.Result> header = new AtomicReference<>();
      script = Parser.parse(path, RunConfig.defines(commandLine), RunConfig.ipVersion(commandLine),
          scriptOptions -> header.set(
              RunConfig.of(scriptOptions, commandLine, options.defaultToleranceMicros())));
      if (!script.unsupported().isEmpty()) {
        List<String> features = script.unsupported().stream()
            .map(org.tcpspec.conformance.script.Unsupported::feature).distinct().toList();
        return new RunResult(name, factory.name(), new Verdict.Unsupported(features), 0, List.of(), v);
      }
      configured = header.get();
    } catch (ScriptException e) {
      return new RunResult(name, factory.name(), new Verdict.Error(e.getMessage()), 0, List.of(), v);
    } catch (RunConfig.BadOption e) {
      return new RunResult(name, factory.name(), new Verdict.Error(e.getMessage()), 0, List.of(), v);
    } catch (IOException e) {
      return new RunResult(name, factory.name(), new Verdict.Error(name + ": " + e), 0, List.of(), v);
    }
    if (configured.config().isEmpty()) {
      return new RunResult(name, factory.name(), new Verdict.Unsupported(configured.unsupported()), 0, List.of(), v);
    }
    RunConfig config = configured.config().get();
    if (config.dryRun()) {
      return new RunResult(name, factory.name(),
          new Verdict.Pass(List.of("--dry_run: parsed and configured, not run")), 0, List.of(), v);
    }
    if (factory.unavailable().isPresent()) {
      return new RunResult(name, factory.name(),
          new Verdict.NotAvailable(factory.unavailable().get()), 0, List.of(), v);
    }
    long start = System.nanoTime();
    PhaseProfile.Phase setup = PhaseProfile.begin("cell setup");
    try (SystemUnderTest sut = factory.open(name, config)) {
      setup.end();
      PhaseProfile.Phase play = PhaseProfile.begin("cell play");
      try {
        return new Interpreter(script, sut, config, v, cell).run();
      } finally {
        play.end();
        EventMarks.print(path.getFileName().toString());
      }
    } catch (UnsupportedFeature u) {
      return new RunResult(name, factory.name(), new Verdict.Unsupported(List.of(u.feature())),
          (System.nanoTime() - start) / 1_000_000, List.of(), v);
    } catch (IOException | RuntimeException e) {
      return new RunResult(name, factory.name(),
          new Verdict.Error(name + ": could not start " + factory.name() + ": " + e),
          (System.nanoTime() - start) / 1_000_000, List.of(), v);
    }
  }
}
