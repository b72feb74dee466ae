package org.tcpspec.conformance.differential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code findings.md} in the output folder: the run's counts and one line per finding. */
final class FindingsFile {
  private FindingsFile() {}

  static void write(Path file, Differ.Outcome o, long seed, String reference, String judged) throws IOException {
    StringBuilder b = new StringBuilder("# tcpspec differ: ").append(judged).append(" judged against ")
        .append(reference).append("\n\n");
    b.append(String.format("Seeds %d to %d: %d sequences, %d agreed, %d diverged, %d not judged, %d unstable"
        + " (%s did not pass its own expected script again), %d findings.%n%n",
        seed, seed + o.sequences() - 1, o.sequences(), o.agreed(), o.diverged(), o.notJudged(), o.unstable(),
        reference, o.findings().size()));
    if (o.known() > 0) {
      b.append(String.format("%d of the divergences have the signature of a reviewed finding (--known).%n%n", o.known()));
    }
    if (!o.findings().isEmpty()) {
      b.append("| # | signature | script | seed | steps | sequences |\n|---|---|---|---|---|---|\n");
      int n = 1;
      for (Finding f : o.findings()) {
        b.append(String.format("| %d | %s | %s | %d | %d of %d | %d |%n", n++, f.signature().replace("|", "\\|"),
            f.script().getFileName(), f.seed(), f.stepsAfter(), f.stepsBefore(), f.hits()));
      }
      b.append('\n');
    }
    if (!o.notJudgedReasons().isEmpty()) {
      b.append("Not judged (first ").append(o.notJudgedReasons().size()).append("):\n\n");
      for (String r : o.notJudgedReasons()) b.append("- ").append(r).append('\n');
    }
    Files.writeString(file, b.toString());
  }
}
