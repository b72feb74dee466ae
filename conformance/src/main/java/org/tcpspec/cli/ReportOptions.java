package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.conformance.report.Allowances;
import org.tcpspec.conformance.report.Cell;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.report.ReportWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The end {@code run} and {@code conform} share: the report (index.html, summary.md, junit/,
 * pcap/), an optional single JUnit file, the totals, and the exit code. Exit 0 only when cells
 * were run and every one passed or is a reviewed known divergence, or is of a kind allowed
 * explicitly; otherwise 1, with one line per reason.
 */
final class ReportOptions {

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  Optional<Path> reportDir = Optional.empty();
  Optional<Path> junit = Optional.empty();

  @Option(names = "--allow-unavailable",
      description = "Exit 0 even when a system under test is not available (linux without root).")
  boolean allowUnavailable;

  @Option(names = "--allow-unsupported",
      description = "Exit 0 even when scripts use constructs this runner does not run.")
  boolean allowUnsupported;

  @Option(names = "--report", paramLabel = "DIR",
      description = "Write index.html, summary.md, junit/ and pcap/ into DIR (created when"
          + " missing; earlier junit and pcap files there are removed). Default: run: reports/"
          + " in the current folder; conform: the project's reports/.")
  void reportDir(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ParameterException(mixee.commandLine(), "--report: " + dir + " is not a folder");
    }
    reportDir = Optional.of(dir);
  }

  @Option(names = "--junit", paramLabel = "FILE",
      description = "Also write all results as one JUnit XML file (<testsuites>, one suite per"
          + " system under test), for CI systems that read one file.")
  void junit(Path file) {
    if (Files.isDirectory(file)) {
      throw new ParameterException(mixee.commandLine(), "--junit: " + file + " is a folder");
    }
    junit = Optional.of(file);
  }

  /**
   * Writes the report into {@code --report} or {@code defaultDir}, prints the totals and the
   * verdict, and returns the exit code; {@code tlcProblem} is a reason from before the suite ran.
   */
  int finish(String command, Report r, Optional<String> tlcProblem, Path defaultDir, long startNanos,
      PrintWriter out, PrintWriter err) {
    for (String sut : r.suts()) {
      out.printf("%s: %d passed, %d failed, %d errors, %d known divergences, %d stale entries,"
              + " %d unsupported, %d not available (%.1f s)%n", sut,
          r.count(sut, Cell.Status.PASS), r.count(sut, Cell.Status.FAIL), r.count(sut, Cell.Status.ERROR),
          r.count(sut, Cell.Status.KNOWN), r.count(sut, Cell.Status.STALE),
          r.count(sut, Cell.Status.UNSUPPORTED), r.count(sut, Cell.Status.NOT_AVAILABLE),
          r.wallSecondsBySut().getOrDefault(sut, 0.0));
    }
    for (String note : r.notes()) out.println("note: " + note);
    Path dir = reportDir.orElse(defaultDir);
    try {
      ReportWriter.write(r, dir, System.currentTimeMillis() * 1000 - (System.nanoTime() - startNanos) / 1000);
      out.printf("report: %s (summary.md, junit/, pcap/)%n", dir.resolve("index.html"));
      if (junit.isPresent()) {
        ReportWriter.writeJunit(r, junit.get());
        out.println("junit: " + junit.get());
      }
    } catch (IOException e) {
      err.println("tcpspec " + command + ": could not write the report: " + e);
      err.flush();
      out.flush();
      return 1;
    }
    List<String> reasons = new ArrayList<>();
    tlcProblem.ifPresent(reasons::add);
    reasons.addAll(reasons(r));
    out.printf("%s (%.1f s)%n", reasons.isEmpty() ? "PASSED: every cell passed or is a reviewed known divergence"
        : "FAILED: " + String.join("; ", reasons), (System.nanoTime() - startNanos) / 1e9);
    out.flush();
    return reasons.isEmpty() ? 0 : 1;
  }

  /** Why the cells do not make a passing run, one phrase each; empty when they do. */
  private List<String> reasons(Report r) {
    List<String> reasons = new ArrayList<>();
    if (r.cells().isEmpty()) {
      reasons.add("no script was selected");
      return reasons;
    }
    List<Cell> blocking = r.blocking(new Allowances(allowUnavailable, allowUnsupported));
    for (Cell.Status s : Cell.Status.values()) {
      long n = blocking.stream().filter(c -> c.status() == s).count();
      if (n == 0) continue;
      reasons.add(switch (s) {
        case FAIL -> n + " failed";
        case ERROR -> n + (n == 1 ? " error" : " errors");
        case STALE -> n + " stale known-divergence " + (n == 1 ? "entry" : "entries") + " (remove them)";
        case UNSUPPORTED -> n + " unsupported (--allow-unsupported accepts them)";
        case NOT_AVAILABLE -> n + " not available (--allow-unavailable accepts them)";
        case PASS, KNOWN -> throw new IllegalStateException(s + " never blocks a run");
      });
    }
    return reasons;
  }
}
