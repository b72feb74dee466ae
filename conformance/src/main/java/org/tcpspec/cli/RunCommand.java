package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.conform.Project;
import org.tcpspec.conformance.conform.SuiteRun;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.profile.PhaseProfile;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Runs packetdrill scripts from anywhere on disk on the chosen systems under test: one progress
 * line per run, then the same report and exit code as {@code conform}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run packetdrill scripts (files or folders) on linux and/or java and write a report.",
      "Exit 0 when every cell passed or is a reviewed known divergence; 1 when one failed, had an"
          + " error, was unsupported or not available (unless allowed), or no script was found;"
          + " 2 for usage errors."
    })
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand TcpspecCli cli;

  @Mixin SuiteOptions suite;

  @Mixin ReportOptions report;

  @Mixin PacketdrillOptions packetdrill;
  @Mixin ProgressOption progress;

  @Option(names = "--known-divergences", paramLabel = "FILE",
      description = "Reviewed cells of scripts outside the project's packetdrill-scripts/ (other people's"
          + " corpora: the project keeps reports/known-divergences-gtests for google/packetdrill's gtests and"
          + " reports/known-divergences-selftests for Linux's packetdrill selftests),"
          + " in the format of reports/known-divergences; an entry applies to a script whose path ends with it,"
          + " in every address family or in those it names (x.pkt [ipv6]).")
  Path outsideDivergences;

  @Option(names = "--no-judge",
      description = "Do not have the model judge the linux cells (one TLC run, 2 to 10 s, per invocation).")
  boolean noJudge;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = ".pkt files or folders of them.")
  List<Path> paths;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    Optional<List<SutFactory>> factories = suite.factories("run", err, cli::sut);
    if (factories.isEmpty()) return TcpspecCli.EXIT_USAGE;
    Optional<RunOptions> options = packetdrill.runOptions("run", suite.defaultToleranceUsecs, err);
    if (options.isEmpty()) return TcpspecCli.EXIT_USAGE;
    List<Path> scripts;
    try {
      scripts = Runner.collect(paths);
    } catch (IOException e) {
      err.println("tcpspec run: " + e.getMessage());
      return TcpspecCli.EXIT_USAGE;
    }
    Optional<Project> project = suite.project("run", err, Optional.ofNullable(outsideDivergences));
    if (project.isEmpty()) return TcpspecCli.EXIT_USAGE;
    if (scripts.isEmpty()) out.println("run: no .pkt scripts under " + paths);
    PhaseProfile.Phase cells = PhaseProfile.begin("all cells");
    Report r = new SuiteRun(project.get(), progress.on(out), suite.jobs, options.get()).judgeLinux(!noJudge)
        .run(scripts, factories.get(), suite.shard, Optional.empty());
    cells.end();
    PhaseProfile.Phase written = PhaseProfile.begin("report");
    int exit = report.finish("run", r, Path.of("reports"), start, out, err);
    written.end();
    return exit;
  }
}
