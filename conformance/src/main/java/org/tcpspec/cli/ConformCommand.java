package org.tcpspec.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.conform.Conform;
import org.tcpspec.conformance.conform.Project;
import org.tcpspec.conformance.run.SutFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The main job: check the model, run the project's suite on both systems under test, write the
 * reports. Exits 0 only when TLC agrees with the manifest and every cell passed or is a reviewed
 * known divergence (or of a kind allowed explicitly); stale entries fail it.
 */
@Command(
    name = "conform",
    mixinStandardHelpOptions = true,
    description = {
      "Run the TLC check and the project's packetdrill suite on linux and java; write the report"
          + " (default: the project's reports/).",
      "Exit 0 when TLC agrees with spec/manifest.json and every cell passed or is a reviewed known"
          + " divergence; 1 otherwise (a system not available or an unsupported script too, unless"
          + " allowed); 2 for usage errors."
    })
final class ConformCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand TcpspecCli cli;

  @Mixin SuiteOptions suite;

  @Mixin ReportOptions report;

  @Mixin ProgressOption progress;

  @Option(names = "--no-tlc", description = "Skip the TLC check.")
  boolean noTlc;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    Optional<List<SutFactory>> factories = suite.factories("conform", err, cli::sut);
    if (factories.isEmpty()) return TcpspecCli.EXIT_USAGE;
    Optional<Project> project = suite.project("conform", err);
    if (project.isEmpty()) return TcpspecCli.EXIT_USAGE;
    if (!Files.isDirectory(project.get().suite())) {
      err.println("tcpspec conform: no suite at " + project.get().suite() + " (give the project root"
          + " with --root or $TCPSPEC_HOME; for scripts elsewhere use tcpspec run)");
      return TcpspecCli.EXIT_USAGE;
    }
    Conform.Outcome o = new Conform(project.get(), progress.on(out)).run(factories.get(), suite.jobs, suite.toleranceUsecs, !noTlc);
    Optional<String> tlcProblem = o.tlcAgrees() ? Optional.empty()
        : Optional.of("TLC differs from spec/manifest.json");
    return report.finish("conform", o.report(), tlcProblem, project.get().reports(), start, out, err);
  }
}
