package org.tcpspec.conformance.conform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.spec.Manifest;
import org.tcpspec.spec.ModelFiles;

/**
 * One conformance run: TLC on every model of the manifest, then the project's suite on each
 * system under test through the same {@link SuiteRun} that {@code tcpspec run} uses. Progress
 * goes to {@code progress} as it happens; the outcome says whether TLC agreed and holds the report.
 */
public final class Conform {

  /** Outcome: whether TLC agreed with its manifest, and the report. */
  public record Outcome(boolean tlcAgrees, Report report) {}

  private final Project project;
  private final Progress progress;

  public Conform(Project project, Progress progress) {
    this.project = project;
    this.progress = progress;
  }

  /** Checks every model of the manifest, printing one line each. */
  public List<ModelCheck> checkModels() throws IOException {
    Path dir = ModelFiles.extract();
    try {
      List<ModelCheck> checks = new ArrayList<>();
      for (Manifest.Entry e : Manifest.load(dir).entries()) {
        progress.line("tlc: checking " + e.spec() + " with " + e.config() + " ...");
        ModelCheck c = ModelCheck.run(dir, e, line -> {}, progress);
        progress.line("tlc: " + c.line());
        checks.add(c);
      }
      return checks;
    } finally {
      ModelFiles.deleteTree(dir);
    }
  }

  public Outcome run(List<SutFactory> suts, int jobs, long toleranceMicros, boolean withTlc)
      throws IOException, InterruptedException {
    boolean tlcAgrees = true;
    String tlcSummary = "not run (--no-tlc)";
    if (withTlc) {
      List<ModelCheck> checks = checkModels();
      tlcAgrees = checks.stream().allMatch(ModelCheck::agrees);
      tlcSummary = String.join("; ", checks.stream().map(ModelCheck::line).toList());
    }
    List<Path> scripts = Runner.collect(List.of(project.suite()));
    Report report = new SuiteRun(project, progress, jobs, toleranceMicros).run(scripts, suts, Optional.of(tlcSummary));
    return new Outcome(tlcAgrees, report);
  }
}
