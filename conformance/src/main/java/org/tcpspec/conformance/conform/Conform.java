package org.tcpspec.conformance.conform;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.tcpspec.conformance.report.Cell;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.report.ReportWriter;
import org.tcpspec.conformance.run.Console;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.suite.KnownDivergences;
import org.tcpspec.conformance.suite.ScriptHeader;
import org.tcpspec.conformance.suite.SpecActions;
import org.tcpspec.spec.Manifest;
import org.tcpspec.spec.ModelFiles;
import org.tcpspec.spec.Tlc;
import org.tcpspec.spec.TlcResult;

/**
 * One conformance run: TLC, the suite on each system under test, reports. Progress goes to
 * {@code out} as it happens; the result says whether everything agreed.
 */
public final class Conform {

  /** Where the project's files are: the suite, reports/. */
  public record Layout(Path root) {
    public Path suite() {
      return root.resolve("packetdrill-scripts");
    }

    public Path reports() {
      return root.resolve("reports");
    }

    public Path knownDivergences() {
      return reports().resolve("known-divergences");
    }
  }

  /** Outcome: whether TLC agreed with its manifest, and the report. */
  public record Outcome(boolean tlcAgrees, Report report) {}

  private final Layout layout;
  private final PrintWriter out;

  public Conform(Layout layout, PrintWriter out) {
    this.layout = layout;
    this.out = out;
  }

  /** Checks every model of the manifest; returns a one-line summary and whether all agreed. */
  public Map.Entry<String, Boolean> checkModels() throws IOException {
    Path dir = ModelFiles.extract();
    try {
      Manifest manifest = Manifest.load(dir);
      List<String> lines = new ArrayList<>();
      boolean agrees = true;
      for (Manifest.Entry e : manifest.entries()) {
        out.println("tlc: checking " + e.spec() + " with " + e.config() + " ...");
        out.flush();
        AtomicInteger lineCount = new AtomicInteger();
        TlcResult r = Tlc.run(dir, e.spec(), e.config(), List.of(), l -> lineCount.incrementAndGet());
        List<String> diffs = r.differencesFrom(e);
        agrees &= diffs.isEmpty();
        String line = e.name() + ": " + r.verdict() + ", " + r.distinctStates() + " distinct states,"
            + " depth " + r.depth() + String.format(" (%.1f s)", r.time().toMillis() / 1000.0)
            + (diffs.isEmpty() ? ", as the manifest says" : "; differs from the manifest: " + diffs);
        out.println("tlc: " + line);
        out.flush();
        lines.add(line);
      }
      return Map.entry(String.join("; ", lines), agrees);
    } finally {
      ModelFiles.deleteTree(dir);
    }
  }

  public Outcome run(List<SutFactory> suts, int jobs, long toleranceMicros, boolean withTlc) throws IOException, InterruptedException {
    boolean tlcAgrees = true;
    Optional<String> tlcSummary = Optional.empty();
    if (withTlc) {
      var tlc = checkModels();
      tlcSummary = Optional.of(tlc.getKey());
      tlcAgrees = tlc.getValue();
    } else {
      tlcSummary = Optional.of("not run (--no-tlc)");
    }
    List<Path> scripts = Runner.collect(List.of(layout.suite()));
    KnownDivergences known = KnownDivergences.load(layout.knownDivergences());
    Map<String, ScriptHeader> headers = new HashMap<>();
    for (Path p : scripts) headers.put(p.toString(), ScriptHeader.read(p));
    Map<String, Double> wall = new LinkedHashMap<>();
    List<RunResult> results = new ArrayList<>();
    long epochMicros = System.currentTimeMillis() * 1000;
    for (SutFactory sut : suts) {
      out.println("suite: " + scripts.size() + " scripts on " + sut.name()
          + sut.unavailable().map(r -> " (not available: " + r + ")").orElse(""));
      out.flush();
      AtomicInteger done = new AtomicInteger();
      long start = System.nanoTime();
      results.addAll(new Runner(jobs, toleranceMicros).run(scripts, List.of(sut), r -> {
        out.printf("[%d/%d] ", done.incrementAndGet(), scripts.size());
        Console.line(out, r);
      }));
      double seconds = (System.nanoTime() - start) / 1e9;
      wall.put(sut.name(), seconds);
      out.printf("suite: %s done in %.1f s%n", sut.name(), seconds);
      out.flush();
    }
    List<Cell> cells = results.stream().map(r -> Cell.judge(r, known)).toList();
    Report report = new Report(cells, headers, SpecActions.names(), wall, tlcSummary,
        layout.suite());
    ReportWriter.write(report, layout.reports(), epochMicros);
    return new Outcome(tlcAgrees, report);
  }
}
