package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.report.Merge;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.report.ResultsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec merge}: joins the reports of several runs (the shards of a CI matrix, or runs on
 * several kernels) from their results.json files into one report, with the same exit code a run of
 * everything would have had.
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = {
      "Join the reports of several runs or conform jobs (each folder holding the results.json a run"
          + " writes) into one report: the shards of one suite, or runs on several kernels (each"
          + " kernel gets its own linux column and the report shows where they differ).",
      "Exit 0 when every cell passed or is a reviewed known divergence (and TLC agreed where it ran);"
          + " 1 otherwise; 2 for usage errors (a folder without results.json, a malformed one)."
    })
final class MergeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ReportOptions report;

  @Parameters(arity = "1..*", paramLabel = "DIR", description = "Report folders (or results.json files) to join.")
  List<Path> inputs;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    List<Report> runs = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (Path in : inputs) {
      Path file = Files.isDirectory(in) ? in.resolve(ResultsFile.NAME) : in;
      if (!Files.isRegularFile(file)) {
        err.println("tcpspec merge: no " + ResultsFile.NAME + " in " + in + " (run and conform write one into"
            + " their --report folder)");
        return TcpspecCli.EXIT_USAGE;
      }
      try {
        runs.add(ResultsFile.read(file));
      } catch (IllegalArgumentException e) {
        err.println("tcpspec merge: " + e.getMessage());
        return TcpspecCli.EXIT_USAGE;
      }
      sources.add(in.toString());
      out.println("merge: " + file + " (" + runs.getLast().cells().size() + " cells)");
    }
    return report.finish("merge", Merge.of(runs, sources), Path.of("reports", "merged"), start, out, err);
  }
}
