package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.conform.Conform;
import org.tcpspec.conformance.conform.Project;
import org.tcpspec.conformance.generate.ModelScripts;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.report.Cell;
import org.tcpspec.conformance.report.LinuxBaseline;
import org.tcpspec.conformance.report.ModelSteps;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.report.SutRun;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.fsm.State;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The main job: check the model, run the project's suite on both systems under test (and, with
 * {@code --generated}, the scripts generated from the model's graph), write the reports. Exits 0 only when TLC agrees with the manifest and every cell passed or is a reviewed
 * known divergence (or of a kind allowed explicitly); stale entries fail it. With {@code
 * --record-baseline} it also records how each script went on this kernel.
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

  @Mixin PacketdrillOptions packetdrill;
  @Mixin ProgressOption progress;

  @Option(names = "--no-tlc", description = "Skip the TLC check.")
  boolean noTlc;

  @Option(names = "--recheck",
      description = "Run TLC on every model, also those whose files are unchanged since their result was"
          + " cached in reports/tlc-cache.tsv.")
  boolean recheck;

  @Option(names = "--generated", arity = "0..1", fallbackValue = ALL_STATES, paramLabel = "STATES",
      description = "Also generate TcpEndpoint's scripts (as tcpspec generate, into the project's"
          + " reports/generated/, not committed) and run them after the suite, with a section of their own;"
          + " reviewed differences are in reports/known-divergences-generated. STATES (comma-separated"
          + " folders such as time-wait,closed) runs only the steps from those states.")
  String generated;

  static final String ALL_STATES = "all";

  @Option(names = "--record-baseline",
      description = "Also record how each script went on this kernel in"
          + " reports/baselines/linux-<uname -r>.tsv. On a kernel without a baseline of its own, a linux"
          + " cell that differs from the nearest older release's baseline reads \"Linux changed since"
          + " <release>\" instead of failing.")
  boolean recordBaseline;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    Optional<List<SutFactory>> factories = suite.factories("conform", err, cli::sut);
    if (factories.isEmpty()) return TcpspecCli.EXIT_USAGE;
    Optional<RunOptions> options = packetdrill.runOptions("conform", suite.defaultToleranceUsecs, err);
    if (options.isEmpty()) return TcpspecCli.EXIT_USAGE;
    Optional<Project> project = suite.project("conform", err, Optional.empty());
    if (project.isEmpty()) return TcpspecCli.EXIT_USAGE;
    if (!Files.isDirectory(project.get().suite())) {
      err.println("tcpspec conform: no suite at " + project.get().suite() + " (give the project root"
          + " with --root or $TCPSPEC_HOME; for scripts elsewhere use tcpspec run)");
      return TcpspecCli.EXIT_USAGE;
    }
    if (recordBaseline && !suite.shard.isAll()) {
      err.println("tcpspec conform: --record-baseline records the whole suite; it does not go with --shard");
      return TcpspecCli.EXIT_USAGE;
    }
    if (recordBaseline && factories.get().stream().noneMatch(f -> f.name().equals(LinuxBaseline.SUT))) {
      err.println("tcpspec conform: --record-baseline needs --sut linux");
      return TcpspecCli.EXIT_USAGE;
    }
    Optional<ModelSteps> steps = Optional.empty();
    if (generated != null) {
      Optional<List<ModelScripts.Generated>> set = generatedSet(err);
      if (set.isEmpty()) return TcpspecCli.EXIT_USAGE;
      ModelScripts.write(set.get(), project.get().generated());
      steps = Optional.of(GenerateCommand.modelSteps(set.get()));
      out.println("generate: " + steps.get().steps().size() + " model steps, " + steps.get().scripts() + " scripts in "
          + project.get().generated());
      out.flush();
    }
    Report r = new Conform(project.get(), progress.on(out))
        .run(factories.get(), suite.shard, suite.jobs, options.get(), !noTlc, recheck, steps);
    int code = report.finish("conform", r, project.get().reports(), start, out, err);
    if (recordBaseline && !record(r, project.get(), out, err)) return 1;
    return code;
  }

  /**
   * The generated set, or only the steps from the states {@code --generated} names; empty after a
   * usage error naming a state the model does not have.
   */
  private Optional<List<ModelScripts.Generated>> generatedSet(PrintWriter err) throws IOException {
    Set<String> known = Arrays.stream(State.values()).map(s -> s.rfcName().toLowerCase())
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> wanted = new LinkedHashSet<>(Arrays.asList(generated.split(",")));
    for (String w : wanted) {
      if (!w.equals(ALL_STATES) && !known.contains(w)) {
        err.println("tcpspec conform: --generated: no state '" + w + "' (expected all or some of "
            + String.join(", ", known) + ")");
        return Optional.empty();
      }
    }
    List<ModelScripts.Generated> all = ModelScripts.fromModel();
    if (wanted.contains(ALL_STATES)) return Optional.of(all);
    return Optional.of(all.stream().filter(g -> wanted.contains(folder(g))).toList());
  }

  /** A step's state as the generated set's folders name it: time-wait. */
  private static String folder(ModelScripts.Generated g) {
    return g.step().from().toLowerCase();
  }

  /** Writes this kernel's baseline; false (after saying why) when linux did not run. */
  private static boolean record(Report r, Project project, PrintWriter out, PrintWriter err) throws IOException {
    Optional<String> release = r.sutRun(LinuxBaseline.SUT).flatMap(SutRun::release);
    if (release.isEmpty() || r.count(LinuxBaseline.SUT, Cell.Status.NOT_AVAILABLE) > 0) {
      err.println("tcpspec conform: no baseline recorded: linux did not run here");
      return false;
    }
    // A baseline records the suite; the generated set is regenerated from the model on every run.
    LinuxBaseline b = LinuxBaseline.of(release.get(),
        r.cells().stream().filter(c -> !ModelSteps.isGenerated(c.result().script())).toList());
    Path file = LinuxBaseline.file(project.baselineDir(), release.get());
    Files.createDirectories(file.getParent());
    Files.writeString(file, b.format(LocalDate.now().toString()));
    out.println("baseline: " + file + " (" + b.outcomes().size() + " scripts; commit it)");
    out.flush();
    return true;
  }
}
