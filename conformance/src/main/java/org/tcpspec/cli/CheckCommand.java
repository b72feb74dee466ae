package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.conform.ModelCheck;
import org.tcpspec.conformance.conform.Progress;
import org.tcpspec.spec.Manifest;
import org.tcpspec.spec.ModelFiles;
import org.tcpspec.spec.Tlc;
import org.tcpspec.spec.TlcResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec check}: runs TLC on the models of spec/manifest.json, prints one line per model
 * (a violation the manifest expects reads "violated, as expected") and a table, and exits 1 when a
 * verdict or count differs from the manifest. TLC's progress and counterexamples come with
 * {@code --verbose}. The models come from the spec jar unless {@code --spec-dir} points at a
 * working copy.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Run TLC on the TLA+ models and compare with spec/manifest.json: one line per model, then a"
          + " table. Exit 0 when every model agrees with the manifest, 1 otherwise, 2 for usage errors."
    })
final class CheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "Run only this model (its .cfg name without .cfg, e.g. MCTcpSystemSmall);"
          + " repeatable.")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--spec-dir",
      paramLabel = "DIR",
      description = "Read the models and manifest.json from DIR (e.g. spec/) instead of the"
          + " copies packaged in the jar.")
  Optional<Path> specDir = Optional.empty();

  @Mixin ProgressOption progress;

  @Option(names = {"-v", "--verbose"},
      description = "Also show TLC's progress lines and the full trace of every violation (TLC's whole"
          + " output when it could not check a model).")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = specDir.isPresent() ? specDir.get() : ModelFiles.extract();
    try {
      Manifest manifest = Manifest.load(dir);
      List<Manifest.Entry> selected = new ArrayList<>();
      for (String name : models) {
        Optional<Manifest.Entry> e = manifest.entry(name);
        if (e.isEmpty()) {
          err.println(
              "tcpspec check: unknown model '"
                  + name
                  + "'; the manifest has: "
                  + String.join(", ", manifest.entries().stream().map(Manifest.Entry::name).toList()));
          return TcpspecCli.EXIT_USAGE;
        }
        selected.add(e.get());
      }
      if (selected.isEmpty()) {
        selected.addAll(manifest.entries());
      }
      out.println("TLC " + String.join(" ", Tlc.TLC_FLAGS) + " (" + Tlc.tlatoolsJar() + ")");
      List<ModelCheck> checks = new ArrayList<>();
      Progress status = progress.on(out);
      for (Manifest.Entry e : selected) {
        if (verbose) out.println("== " + e.name() + ": TLC -config " + e.config() + " " + e.spec());
        out.flush();
        ModelCheck c = ModelCheck.run(dir, e, line -> {
          if (verbose && isProgress(line)) status.line("   " + line);
        }, status);
        if (verbose && !c.actual().verdict().equals(TlcResult.SUCCESS)) {
          out.println("-- counterexample of " + e.name() + " (" + c.actual().verdict() + "):");
          out.print(c.actual().verdict().equals(TlcResult.ERROR) ? c.actual().output() : c.actual().counterexample());
        }
        out.println(c.line());
        out.flush();
        checks.add(c);
      }
      printTable(out, checks);
      if (!verbose && checks.stream().anyMatch(c -> !c.actual().verdict().equals(TlcResult.SUCCESS))) {
        out.println("Traces of the violations: tcpspec check --verbose [--model NAME]");
      }
      List<ModelCheck> bad = checks.stream().filter(c -> !c.agrees()).toList();
      for (ModelCheck c : bad) {
        err.println("tcpspec check: " + c.expected().name() + " differs from manifest.json: "
            + String.join("; ", c.differences()));
      }
      out.flush();
      return bad.isEmpty() ? 0 : 1;
    } finally {
      if (specDir.isEmpty()) {
        ModelFiles.deleteTree(dir);
      }
    }
  }

  /** TLC's lines that say how far it is, not the parser's chatter nor the trace. */
  private static boolean isProgress(String line) {
    return line.startsWith("Progress(")
        || line.startsWith("Checking ")
        || line.startsWith("Finished ")
        || line.startsWith("Model checking completed")
        || line.startsWith("Error: ")
        || line.contains("distinct states found");
  }

  private static void printTable(PrintWriter out, List<ModelCheck> checks) {
    String fmt = "%-30s %-28s %12s %6s %9s  %s%n";
    out.printf(fmt, "model", "verdict", "states", "depth", "time", "manifest");
    for (ModelCheck c : checks) {
      TlcResult a = c.actual();
      out.printf(
          fmt,
          c.expected().name(),
          a.verdict(),
          a.distinctStates(),
          a.depth(),
          String.format("%.1f s", a.time().toMillis() / 1000.0),
          c.agrees() ? (c.violated() ? "violated, as expected" : "as expected") : "DIFFERS");
    }
    out.flush();
  }
}
