package org.tcpspec.conformance.run;

import java.util.List;

/**
 * The outcome of one script on one system under test. {@link Fail}: the system under test did
 * something other than the script says (the message names file:line, field, expected and actual).
 * {@link Error}: the run could not be carried out (bad script semantics, the system under test
 * broke). {@link Unsupported}: the script uses constructs this runner does not run. {@link
 * NotAvailable}: the system under test does not exist in this build.
 */
public sealed interface Verdict {
  /**
   * Passed; {@code notes} say what the report should know beyond that: a mismatch {@code
   * --non_fatal} made a warning (packetdrill prints it and goes on), a {@code --dry_run}.
   */
  record Pass(List<String> notes) implements Verdict {
    public Pass {
      notes = List.copyOf(notes);
    }

    public Pass() {
      this(List.of());
    }
  }

  record Fail(String message) implements Verdict {}

  record Error(String message) implements Verdict {}

  record Unsupported(List<String> features) implements Verdict {
    public Unsupported {
      features = List.copyOf(features);
    }
  }

  record NotAvailable(String reason) implements Verdict {}

  /** One word for tables: pass, fail, error, unsupported, n/a. */
  static String word(Verdict v) {
    return switch (v) {
      case Pass p -> "pass";
      case Fail f -> "fail";
      case Error e -> "error";
      case Unsupported u -> "unsupported";
      case NotAvailable n -> "n/a";
    };
  }

  /** The line printed after the word: the reason, or nothing for a pass. */
  static String detail(Verdict v) {
    return switch (v) {
      case Pass p -> String.join("\n", p.notes());
      case Fail f -> f.message();
      case Error e -> e.message();
      case Unsupported u -> "unsupported: " + String.join(", ", u.features());
      case NotAvailable n -> "not available: " + n.reason();
    };
  }
}
