package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.tcpspec.conformance.differential.Differ;
import org.tcpspec.conformance.differential.Finding;
import org.tcpspec.conformance.run.SutFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tcpspec differ}: generated segment sequences around a connection's window edges, each
 * played on linux (recorded) and then on java against what linux did ({@link Differ}); every new
 * divergence shrunk and written as a .pkt into {@code --out} with {@code findings.md}. Exit 0 when
 * nothing diverged, 1 when there are findings or the reference is not available, 2 on usage errors.
 */
@Command(
    name = "differ",
    mixinStandardHelpOptions = true,
    description = {
      "Differential testing: generated segment sequences at a connection's window edges, played on"
          + " --reference (recorded) and then on --judged against what the reference did; each new"
          + " divergence is shrunk and written as a .pkt into --out, with findings.md.",
      "Exit 0 when nothing diverged, 1 when there are findings (or the reference is not available)."
    })
final class DifferCommand implements Callable<Integer> {
  @ParentCommand TcpspecCli cli;
  @Spec CommandSpec spec;

  long seconds;
  int maxFindings = 10;
  int maxSequences = Integer.MAX_VALUE;
  Long seed;

  @Option(names = "--seconds", required = true, paramLabel = "N", description = "How long to run (N >= 1).")
  void seconds(long value) {
    if (value < 1) throw new ParameterException(spec.commandLine(), "--seconds: must be at least 1, got " + value);
    seconds = value;
  }

  @Option(names = "--max-findings", paramLabel = "K", description = "Stop after K findings (default 10).")
  void maxFindings(int value) {
    if (value < 1) throw new ParameterException(spec.commandLine(), "--max-findings: must be at least 1, got " + value);
    maxFindings = value;
  }

  @Option(names = "--sequences", paramLabel = "N", description = "Stop after N sequences (default: no limit).")
  void maxSequences(int value) {
    if (value < 1) throw new ParameterException(spec.commandLine(), "--sequences: must be at least 1, got " + value);
    maxSequences = value;
  }

  @Option(names = "--seed", paramLabel = "S",
      description = "Seed of the first sequence (default: from the clock); sequence i has seed S + i.")
  void seed(long value) {
    seed = value;
  }

  @Option(names = "--out", paramLabel = "DIR", description = "Where findings go (default: reports/differential).")
  Path out = Path.of("reports", "differential");

  @Option(names = "--known", paramLabel = "DIR",
      description = "A folder of reviewed findings (reports/differential-reviewed): divergences with their"
          + " signatures are counted, not shrunk and written again.")
  Path known;

  @Option(names = "--reference", paramLabel = "SUT", description = "The system whose behaviour is expected (default: linux).")
  String referenceName = "linux";

  @Option(names = "--judged", paramLabel = "SUT", description = "The system judged against it (default: java).")
  String judgedName = "java";

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    SutFactory reference = sut(referenceName, "--reference");
    SutFactory judged = sut(judgedName, "--judged");
    for (SutFactory f : new SutFactory[] {reference, judged}) {
      Optional<String> why = f.unavailable();
      if (why.isPresent()) {
        o.printf("%s: %s; nothing run%n", f.name(), why.get());
        o.flush();
        return 1;
      }
    }
    if (known != null && !Files.isDirectory(known)) {
      throw new ParameterException(spec.commandLine(), "--known: no such folder: " + known);
    }
    Set<String> reviewed = known == null ? Set.of() : Differ.reviewedSignatures(known);
    long s = seed != null ? seed : System.currentTimeMillis();
    o.printf("tcpspec differ: %s judged against %s, seed %d, %d s, at most %d findings, into %s%s%n",
        judged.name(), reference.name(), s, seconds, maxFindings, out,
        known == null ? "" : ", " + reviewed.size() + " reviewed signatures from " + known);
    o.flush();
    long start = System.nanoTime();
    Differ.Outcome r = new Differ(reference, judged, out, reviewed).run(s, seconds * 1_000_000_000L, maxSequences, maxFindings,
        line -> {
          o.println(line);
          o.flush();
        });
    o.printf("sequences: %d in %.0f s: %d agreed, %d diverged (%d with a reviewed signature), %d not judged,"
        + " %d unstable%n", r.sequences(), (System.nanoTime() - start) / 1e9, r.agreed(), r.diverged(), r.known(),
        r.notJudged(), r.unstable());
    o.printf("findings: %d (%s)%n", r.findings().size(), out.resolve("findings.md"));
    for (Finding f : r.findings()) {
      o.printf("  %s: %s (seed %d, %d of %d steps, %d sequences)%n", f.script().getFileName(), f.signature(), f.seed(),
          f.stepsAfter(), f.stepsBefore(), f.hits());
    }
    o.flush();
    return r.findings().isEmpty() ? 0 : 1;
  }

  private SutFactory sut(String name, String option) {
    return cli.sut(name).orElseThrow(() -> new ParameterException(spec.commandLine(),
        option + ": no system under test '" + name + "' (linux, java)"));
  }
}
