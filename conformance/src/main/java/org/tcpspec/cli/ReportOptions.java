package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tcpspec.conformance.report.Allowances;
import org.tcpspec.conformance.report.Cell;
import org.tcpspec.conformance.report.Report;
import org.tcpspec.conformance.report.ReportWriter;
import org.tcpspec.conformance.report.RunVerdict;
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
      description = "Write index.html, summary.md, results.json, junit/ and pcap/ into DIR (created when"
          + " missing; earlier junit and pcap files there are removed). Default: run: reports/"
          + " in the current folder; conform: the project's reports/; merge: reports/merged/.")
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
   * verdict, and returns the exit code.
   */
  int finish(String command, Report r, Path defaultDir, long startNanos, PrintWriter out, PrintWriter err) {
    for (String sut : r.suts()) {
      out.printf("%s: %d passed, %d failed, %d errors, %d known divergences, %d stale entries,"
              + "%s %d unsupported, %d not available (%.1f s)%n", sut,
          r.count(sut, Cell.Status.PASS), r.count(sut, Cell.Status.FAIL), r.count(sut, Cell.Status.ERROR),
          r.count(sut, Cell.Status.KNOWN), r.count(sut, Cell.Status.STALE),
          r.count(sut, Cell.Status.LINUX_CHANGED) == 0 ? ""
              : " " + r.count(sut, Cell.Status.LINUX_CHANGED) + " linux changed,",
          r.count(sut, Cell.Status.UNSUPPORTED), r.count(sut, Cell.Status.NOT_AVAILABLE), r.wallSeconds(sut));
    }
    for (String note : r.notes()) out.println("note: " + note);
    RunVerdict verdict = RunVerdict.of(r, new Allowances(allowUnavailable, allowUnsupported));
    Path dir = reportDir.orElse(defaultDir);
    try {
      ReportWriter.write(r, verdict, dir);
      out.printf("report: %s (summary.md, results.json, junit/, pcap/)%n", dir.resolve("index.html"));
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
    out.printf("%s (%.1f s)%n", verdict.line(), (System.nanoTime() - startNanos) / 1e9);
    out.flush();
    return verdict.passed() ? 0 : 1;
  }
}
