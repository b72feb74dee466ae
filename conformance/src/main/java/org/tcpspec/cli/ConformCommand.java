package org.tcpspec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.conform.Conform;
import org.tcpspec.conformance.report.Cell;
import org.tcpspec.conformance.run.SutFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job: check the model, run the suite on both systems under test, write the reports.
 * Exits 0 only when TLC agrees with the manifest, no cell fails (known divergences excepted, stale
 * entries included) and the linux column ran.
 */
@Command(
    name = "conform",
    description = "Run the TLC check and the packetdrill suite on linux and java; write reports/.")
final class ConformCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin SuiteOptions suite;



  @Option(names = "--no-tlc", description = "Skip the TLC check.")
  boolean noTlc;

  @Option(names = "--root", description = "Project root (default: $TCPSPEC_HOME or the current directory).")
  Path root;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var resolved = suite.factories("conform", err);
    if (resolved.isEmpty()) return TcpspecCli.EXIT_USAGE;
    List<SutFactory> factories = resolved.get();
    Path home = root != null ? root
        : Path.of(System.getenv().getOrDefault("TCPSPEC_HOME", System.getProperty("user.dir")));
    Conform.Layout layout = new Conform.Layout(home);
    long start = System.nanoTime();
    Conform.Outcome o = new Conform(layout, out).run(factories, suite.jobs, suite.toleranceUsecs, !noTlc);
    var r = o.report();
    for (String sut : r.suts()) {
      out.printf("%s: %d passed, %d failed, %d errors, %d known divergences, %d stale entries,"
              + " %d unsupported, %d not available (%.1f s)%n", sut,
          r.count(sut, Cell.Status.PASS), r.count(sut, Cell.Status.FAIL), r.count(sut, Cell.Status.ERROR),
          r.count(sut, Cell.Status.KNOWN), r.count(sut, Cell.Status.STALE),
          r.count(sut, Cell.Status.UNSUPPORTED), r.count(sut, Cell.Status.NOT_AVAILABLE),
          r.wallSecondsBySut().getOrDefault(sut, 0.0));
    }
    boolean linuxMissing = r.suts().contains("linux") && r.count("linux", Cell.Status.NOT_AVAILABLE) > 0;
    out.printf("reports: %s (index.html, summary.md, junit/) in %.1f s%n", layout.reports(),
        (System.nanoTime() - start) / 1e9);
    if (linuxMissing) out.println("NOT COMPLETE: the linux column did not run.");
    out.flush();
    return o.tlcAgrees() && !r.failed() && !linuxMissing ? 0 : 1;
  }
}
