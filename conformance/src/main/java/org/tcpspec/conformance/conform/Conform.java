package org.tcpspec.conformance.conform;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.spec.Manifest;
import org.tcpspec.spec.ModelFiles;

/**
 * One conformance run: TLC on every model of the manifest, then the project's suite on each
 * system under test through the same {@link SuiteRun} that {@code tcpspec run} uses. Progress
 * goes to {@code out} as it happens; the outcome says whether TLC agreed and holds the report.
 */
public final class Conform {

  /** Outcome: whether TLC agreed with its manifest, and the report. */
  public record Outcome(boolean tlcAgrees, Report report) {}

  private final Project project;
  private final PrintWriter out;

  public Conform(Project project, PrintWriter out) {
    this.project = project;
    this.out = out;
  }

  /** Checks every model of the manifest, printing one line each. */
  public List<ModelCheck> checkModels() throws IOException {
    Path dir = ModelFiles.extract();
    try {
      List<ModelCheck> checks = new ArrayList<>();
      for (Manifest.Entry e : Manifest.load(dir).entries()) {
        out.println("tlc: checking " + e.spec() + " with " + e.config() + " ...");
        out.flush();
        ModelCheck c = ModelCheck.run(dir, e, line -> {});
        out.println("tlc: " + c.line());
        out.flush();
        checks.add(c);
      }
      return checks;
    } finally {
      ModelFiles.deleteTree(dir);
    }
  }

  public Outcome run(List<SutFactory> suts, int jobs, RunOptions options, boolean withTlc)
      throws IOException, InterruptedException {
    boolean tlcAgrees = true;
    String tlcSummary = "not run (--no-tlc)";
    if (withTlc) {
      List<ModelCheck> checks = checkModels();
      tlcAgrees = checks.stream().allMatch(ModelCheck::agrees);
      tlcSummary = String.join("; ", checks.stream().map(ModelCheck::line).toList());
    }
    List<Path> scripts = Runner.collect(List.of(project.suite()));
    Report report = new SuiteRun(project, out, jobs, options).run(scripts, suts, Optional.of(tlcSummary));
    return new Outcome(tlcAgrees, report);
  }
}
