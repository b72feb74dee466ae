package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.run.Console;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import org.tcpspec.conformance.run.Suts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs packetdrill scripts on the chosen systems under test and prints one line per run. */
@Command(
    name = "run",
    description = "Run packetdrill scripts (files or folders) on linux and/or java.")
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--sut",
      split = ",",
      paramLabel = "SUT",
      description = "Systems under test, comma-separated: linux, java (default: both).")
  List<String> suts = new ArrayList<>(Suts.NAMES);

  @Option(names = {"-j", "--jobs"}, description = "Scripts run in parallel (default: ${DEFAULT-VALUE}).")
  int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());

  @Option(names = "--tolerance-usecs",
      description = "Timing tolerance of scripts that set no --tolerance_usecs (default: ${DEFAULT-VALUE}, packetdrill's).")
  long toleranceUsecs = org.tcpspec.conformance.run.Interpreter.DEFAULT_TOLERANCE_MICROS;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = ".pkt files or folders of them.")
  List<Path> paths;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<SutFactory> factories = new ArrayList<>();
    for (String name : suts) {
      var f = Suts.byName(name.strip());
      if (f.isEmpty()) {
        err.println("tcpspec run: unknown system under test '" + name + "' (expected one of "
            + String.join(", ", Suts.NAMES) + ")");
        return TcpspecCli.EXIT_USAGE;
      }
      factories.add(f.get());
    }
    List<Path> scripts;
    try {
      scripts = Runner.collect(paths);
    } catch (IOException e) {
      err.println("tcpspec run: " + e.getMessage());
      return TcpspecCli.EXIT_USAGE;
    }
    if (scripts.isEmpty()) {
      err.println("tcpspec run: no .pkt scripts under " + paths);
      return TcpspecCli.EXIT_USAGE;
    }
    long start = System.nanoTime();
    List<RunResult> results = new Runner(jobs, toleranceUsecs).run(scripts, factories, r -> Console.line(out, r));
    out.printf("%s (%.1f s)%n", Console.total(results), (System.nanoTime() - start) / 1e9);
    out.flush();
    return results.stream().anyMatch(RunResult::failed) ? 1 : 0;
  }
}
