package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.run.Console;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Runner;
import org.tcpspec.conformance.run.SutFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs packetdrill scripts on the chosen systems under test and prints one line per run. */
@Command(
    name = "run",
    description = "Run packetdrill scripts (files or folders) on linux and/or java.")
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SuiteOptions suite;



  @Parameters(arity = "1..*", paramLabel = "PATH", description = ".pkt files or folders of them.")
  List<Path> paths;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var resolved = suite.factories("run", err);
    if (resolved.isEmpty()) return TcpspecCli.EXIT_USAGE;
    List<SutFactory> factories = resolved.get();
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
    List<RunResult> results = new Runner(suite.jobs, suite.toleranceUsecs).run(scripts, factories, r -> Console.line(out, r));
    out.printf("%s (%.1f s)%n", Console.total(results), (System.nanoTime() - start) / 1e9);
    out.flush();
    return results.stream().anyMatch(RunResult::failed) ? 1 : 0;
  }
}
