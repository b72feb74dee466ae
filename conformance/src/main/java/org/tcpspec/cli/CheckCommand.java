package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tcpspec.spec.Manifest;
import org.tcpspec.spec.ModelFiles;
import org.tcpspec.spec.Tlc;
import org.tcpspec.spec.TlcResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec check}: runs TLC on the models of spec/manifest.json, showing TLC's progress,
 * prints one table row per model and the counterexample of every violation, and exits 1 when a
 * verdict or count differs from the manifest. The models come from the spec jar unless
 * {@code --spec-dir} points at a working copy.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Run TLC on the TLA+ models and compare with spec/manifest.json.")
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

  @Option(names = "--quiet", description = "Do not show TLC's progress lines.")
  boolean quiet;

  private record Row(Manifest.Entry expected, TlcResult actual, List<String> diffs) {}

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
      List<Row> rows = new ArrayList<>();
      for (Manifest.Entry e : selected) {
        out.println("== " + e.name() + ": TLC -config " + e.config() + " " + e.spec());
        out.flush();
        TlcResult r =
            Tlc.run(
                dir,
                e.spec(),
                e.config(),
                List.of(),
                line -> {
                  if (!quiet && isProgress(line)) {
                    out.println("   " + line);
                    out.flush();
                  }
                });
        if (!r.verdict().equals(TlcResult.SUCCESS)) {
          out.println("-- counterexample of " + e.name() + " (" + r.verdict() + "):");
          out.print(r.verdict().equals(TlcResult.ERROR) ? r.output() : r.counterexample());
        }
        rows.add(new Row(e, r, r.differencesFrom(e)));
      }
      printTable(out, rows);
      List<Row> bad = rows.stream().filter(r -> !r.diffs().isEmpty()).toList();
      for (Row r : bad) {
        err.println("tcpspec check: " + r.expected().name() + " differs from manifest.json: "
            + String.join("; ", r.diffs()));
      }
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

  private static void printTable(PrintWriter out, List<Row> rows) {
    String fmt = "%-30s %-28s %12s %6s %9s  %s%n";
    out.printf(fmt, "model", "verdict", "states", "depth", "time", "manifest");
    for (Row r : rows) {
      TlcResult a = r.actual();
      out.printf(
          fmt,
          r.expected().name(),
          a.verdict(),
          a.distinctStates(),
          a.depth(),
          String.format("%.1f s", a.time().toMillis() / 1000.0),
          r.diffs().isEmpty() ? "as expected" : "DIFFERS");
    }
    out.flush();
  }
}
