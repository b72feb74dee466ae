package org.tcpspec.conformance.conform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.tcpspec.conformance.report.Cell;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.suite.ScriptHeader;
import org.tcpspec.conformance.suite.SpecActions;

/**
 * What {@code run} and {@code conform} share: play scripts on each system under test, show
 * progress (judged against the project's known divergences, so a reviewed one reads "known"), and
 * build the report. In a log every cell gets a line, and every few seconds a line says how many
 * are done and failed, the time elapsed and the time left; on a terminal only the cells that did
 * not pass get a line, under a bar with the same counts. A system under test that is not
 * available gets one line saying why instead of one per script. Script names are relative to the project's suite folder when
 * every script is in it (as known-divergences names them), else to the scripts' common folder.
 */
public final class SuiteRun {
  private final Project project;
  private final Progress progress;
  private final int jobs;
  private final long toleranceMicros;

  public SuiteRun(Project project, Progress progress, int jobs, long toleranceMicros) {
    this.project = project;
    this.progress = progress;
    this.jobs = jobs;
    this.toleranceMicros = toleranceMicros;
  }

  public Report run(List<Path> scripts, List<SutFactory> suts, Optional<String> tlcSummary)
      throws IOException, InterruptedException {
    List<Path> named = scripts.stream().map(SuiteRun::relativeToWorkingDir).toList();
    Path base = !named.isEmpty() && named.stream().allMatch(project::isInSuite) ? project.suite() : commonFolder(named);
    Map<String, ScriptHeader> headers = new HashMap<>();
    for (Path p : named) headers.put(p.toString(), ScriptHeader.read(p));
    Map<String, Double> wall = new LinkedHashMap<>();
    List<Cell> cells = new ArrayList<>();
    for (SutFactory sut : suts) {
      Optional<String> unavailable = sut.unavailable();
      if (unavailable.isPresent()) {
        progress.line(sut.name() + ": " + unavailable.get() + "; " + scripts(named.size()) + " not run");
      } else {
        progress.line("suite: " + scripts(named.size()) + " on " + sut.name());
      }
      AtomicInteger done = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      long start = System.nanoTime();
      List<RunResult> results = new Runner(jobs, toleranceMicros).run(named, List.of(sut), r -> {
        if (unavailable.isPresent()) return;
        Cell c = judge(r);
        if (c.status() == Cell.Status.FAIL || c.status() == Cell.Status.ERROR || c.status() == Cell.Status.STALE) {
          failed.incrementAndGet();
        }
        int n = done.incrementAndGet();
        cellLine(n, named.size(), c, base);
        double elapsed = (System.nanoTime() - start) / 1e9;
        progress.status(String.format("suite: %s %d/%d, %d failed, %s elapsed, about %s left", sut.name(), n,
            named.size(), failed.get(), Progress.duration(elapsed),
            Progress.duration(elapsed / n * (named.size() - n))), n / (double) named.size());
      });
      progress.endStatus();
      double seconds = (System.nanoTime() - start) / 1e9;
      wall.put(sut.name(), seconds);
      if (unavailable.isEmpty()) {
        progress.line(String.format("suite: %s done in %.1f s, %d failed", sut.name(), seconds, failed.get()));
      }
      results.forEach(r -> cells.add(judge(r)));
    }
    List<String> notes = new ArrayList<>(project.notes());
    long outside = named.stream().filter(p -> !project.isInSuite(p)).count();
    if (project.knownDivergences().isPresent() && outside > 0) {
      notes.add("The project's known divergences apply to scripts under its packetdrill-scripts/ only; "
          + outside + " of " + named.size() + " scripts here are elsewhere.");
    }
    // Coverage of actions, Figure 5 arrows and §3.5.2 rules means something only for scripts whose
    // headers name actions (the suite's do; other people's scripts usually don't).
    boolean namesActions = headers.values().stream().anyMatch(h -> !h.actions().isEmpty());
    if (!namesActions) {
      notes.add("Coverage of TLA+ actions, Figure 5 arrows and §3.5.2 rules left out: no script here"
          + " names actions in its header (// Actions: ...).");
    }
    Optional<Set<String>> vocabulary = namesActions ? Optional.of(SpecActions.names()) : Optional.empty();
    return new Report(cells, headers, vocabulary, wall, tlcSummary, base, notes);
  }

  private Cell judge(RunResult r) {
    return Cell.judge(r, project.divergencesFor(Path.of(r.script())));
  }

  /**
   * {@code [3/102] known java rst/x.pkt (0.01 s)}, then the reason when the cell did not pass; on
   * a terminal a passing cell only moves the bar.
   */
  private void cellLine(int done, int total, Cell c, Path base) {
    if (c.status() == Cell.Status.PASS && progress.mode() == Progress.Mode.BAR) return;
    RunResult r = c.result();
    StringBuilder b = new StringBuilder(String.format("[%d/%d] %-11s %-5s %s (%.2f s)", done, total,
        c.status().tag(), r.sut(), Report.nameUnder(base, r.script()), r.wallMillis() / 1000.0));
    var lines = switch (c.status()) {
      case PASS -> Stream.<String>empty();
      case KNOWN -> c.message().lines().limit(1);
      case FAIL, ERROR, STALE, UNSUPPORTED, NOT_AVAILABLE -> c.message().lines();
    };
    lines.forEach(l -> b.append("\n      ").append(l));
    progress.line(b.toString());
  }

  private static String scripts(int n) {
    return n + (n == 1 ? " script" : " scripts");
  }

  /** A path under the working directory as relative to it, so messages and reports need no checkout path. */
  static Path relativeToWorkingDir(Path script) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = script.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs) : script.normalize();
  }

  /** The deepest folder holding every script (a single script's own folder). */
  static Path commonFolder(List<Path> scripts) {
    Path common = null;
    for (Path s : scripts) {
      Path dir = s.toAbsolutePath().normalize().getParent();
      if (common == null) {
        common = dir;
      } else {
        while (!dir.startsWith(common)) common = common.getParent();
      }
    }
    return common == null ? Path.of("").toAbsolutePath() : common;
  }
}
