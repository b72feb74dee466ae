package org.tcpspec.conformance.conform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.tcpspec.conformance.report.ModelResult;
import org.tcpspec.spec.Manifest;
import org.tcpspec.spec.Tlc;
import org.tcpspec.spec.TlcResult;

/**
 * One model of spec/manifest.json checked by TLC, and the one line that says how it went, the
 * same in {@code check} and {@code conform}. A violation the manifest expects reads "violated, as
 * expected": it is the model showing that the checker has teeth, not a failure.
 */
public record ModelCheck(Manifest.Entry expected, TlcResult actual) {

  /**
   * Runs TLC on one model in {@code modelDir}, every line TLC prints going to {@code tlcLines} and
   * TLC's counters to {@code progress} every few seconds while it runs.
   */
  public static ModelCheck run(Path modelDir, Manifest.Entry e, Consumer<String> tlcLines, Progress progress)
      throws IOException {
    try (TlcWatch watch = TlcWatch.start(e.name(), e.config(), progress)) {
      return new ModelCheck(e, Tlc.run(modelDir, e.spec(), e.config(), List.of(), tlcLines));
    }
  }

  public List<String> differences() {
    return actual.differencesFrom(expected);
  }

  public boolean agrees() {
    return differences().isEmpty();
  }

  /** Whether TLC found a violation (expected or not) and printed a trace for it. */
  public boolean violated() {
    return !actual.verdict().equals(TlcResult.SUCCESS) && !actual.verdict().equals(TlcResult.ERROR);
  }

  /**
   * {@code MCTcpSystemSimOpen: NoSimultaneousOpen violated, as expected (267 distinct states, depth
   * 7, 0.8 s)}, or the differences from the manifest.
   */
  public String line() {
    String counts = String.format("(%d distinct states, depth %d, %.1f s)", actual.distinctStates(),
        actual.depth(), actual.time().toMillis() / 1000.0);
    return expected.name() + ": " + outcome() + ", " + expectation() + " " + counts;
  }

  /** What TLC found, in words: "no violation", "NoSimultaneousOpen violated", ... */
  public String outcome() {
    return switch (actual.verdict()) {
      case TlcResult.SUCCESS -> "no violation";
      case TlcResult.DEADLOCK -> "deadlock";
      case TlcResult.TEMPORAL -> "a temporal property violated";
      case TlcResult.ERROR -> "TLC could not check the model";
      default -> actual.verdict() + " violated";
    };
  }

  /** "as expected", or the differences from the manifest. */
  public String expectation() {
    return agrees() ? "as expected" : "DIFFERS from manifest.json: " + String.join("; ", differences());
  }

  /** The row of the report's TLC table. */
  public ModelResult result(boolean cached) {
    return new ModelResult(expected.name(), outcome(), agrees(), expectation(), actual.distinctStates(),
        actual.depth(), actual.time().toMillis() / 1000.0, cached);
  }
}
