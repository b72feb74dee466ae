package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.generate.ModelScripts;
import org.tcpspec.conformance.report.Cell;
import org.tcpspec.conformance.report.ModelSteps;
import org.tcpspec.conformance.report.ModelStepsSection;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.report.SutRun;
import org.tcpspec.conformance.suite.KnownDivergences;
import org.tcpspec.conformance.run.RunOptions;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec generate}: TLC dumps TcpEndpoint's graph, one packetdrill script per distinct
 * (state, passive, action, state after) step is written with an index; {@code --run} then plays
 * them on the chosen systems under test and writes the model-steps section.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write one packetdrill script per step of TcpEndpoint's TLC state graph (shortest path, the"
          + " step's stimulus, the model's outputs, a probe of the state reached) and an index.tsv.",
      "With --run, run them on --sut (as run: linux and java unless told) and write model-steps.md beside them.",
      "Exit 0 when generated (and with --run, every script passed); 1 when a run did not pass;"
          + " 2 for usage errors."
    })
final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand TcpspecCli cli;

  @Mixin SuiteOptions suite;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Where the scripts go (default: ${DEFAULT-VALUE}); its .pkt files are replaced.")
  Path out = Path.of("reports", "generated");

  @Option(names = "--run", description = "Run the generated scripts and write model-steps.md.")
  boolean run;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<List<SutFactory>> factories = suite.factories("generate", err, cli::sut);
    if (factories.isEmpty()) return TcpspecCli.EXIT_USAGE;
    List<ModelScripts.Generated> generated = ModelScripts.fromModel();
    Path index = ModelScripts.write(generated, out);
    long scripts = generated.stream().filter(ModelScripts.Generated::isScript).count();
    o.println("generate: " + generated.size() + " model steps, " + scripts + " scripts in " + out
        + ", index " + index);
    if (!run) return 0;
    List<Path> paths = generated.stream().filter(ModelScripts.Generated::isScript)
        .map(g -> out.resolve(g.file())).toList();
    List<RunResult> results = new Runner(suite.jobs, RunOptions.withTolerance(suite.defaultToleranceUsecs)).run(paths, factories.get(),
        r -> o.println(word(r) + " " + r.sut() + " " + r.script()));
    Path md = out.resolve("model-steps.md");
    Files.writeString(md, ModelStepsSection.markdown(report(generated, results, out)));
    long failed = results.stream().filter(r -> !(r.verdict() instanceof Verdict.Pass)).count();
    o.println("generate: " + (results.size() - failed) + " of " + results.size() + " runs passed; " + md);
    return failed == 0 ? 0 : 1;
  }

  /** The report's rows for the generated set: each step, its script's report name ({@code generated/...}) or why none. */
  static ModelSteps modelSteps(List<ModelScripts.Generated> generated) {
    return new ModelSteps(generated.stream().map(g -> new ModelSteps.Step(g.step().toString(), g.step().from(),
        g.step().action(), g.isScript() ? ModelSteps.PREFIX + g.file() : "", g.isScript() ? "" : g.notRealizable()))
        .toList());
  }

  /** A report of the generated set alone, its cells named as in {@code conform --generated}. */
  private static Report report(List<ModelScripts.Generated> generated, List<RunResult> results, Path out) {
    KnownDivergences none = new KnownDivergences(List.of());
    List<Cell> cells = results.stream().map(r -> Cell.judge(new RunResult(
        ModelSteps.PREFIX + out.relativize(Path.of(r.script())).toString().replace('\\', '/'), r.sut(), r.verdict(),
        r.wallMillis(), r.packets()), none)).toList();
    List<SutRun> suts = results.stream().map(RunResult::sut).distinct()
        .map(s -> new SutRun(s, Optional.empty(), 0, 0)).toList();
    return new Report(cells, Map.of(), Optional.empty(), suts, Optional.empty(), Optional.empty(), List.of(), List.of(),
        Optional.of(modelSteps(generated)));
  }

  private static String word(RunResult r) {
    return r.verdict() instanceof Verdict.Pass ? "pass" : "FAIL";
  }
}
