package org.tcpspec.conformance.report;

import java.util.Optional;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.KnownDivergences;

/**
 * One (script, system) result as the reports show it: the verdict, judged against the reviewed
 * known divergences. A failing cell that is listed is {@link Status#KNOWN}; a listed cell that
 * passes is {@link Status#STALE}, so its entry gets removed.
 */
public record Cell(RunResult result, Status status, Optional<KnownDivergences.Entry> divergence) {

  public enum Status {
    PASS,
    FAIL,
    ERROR,
    KNOWN,
    STALE,
    UNSUPPORTED,
    NOT_AVAILABLE;

    public String word() {
      return switch (this) {
        case PASS -> "pass";
        case FAIL -> "fail";
        case ERROR -> "error";
        case KNOWN -> "known divergence";
        case STALE -> "stale divergence entry";
        case UNSUPPORTED -> "unsupported";
        case NOT_AVAILABLE -> "n/a";
      };
    }

    /** One short word for progress lines: a known divergence reads "known", never "fail". */
    public String tag() {
      return switch (this) {
        case PASS -> "pass";
        case FAIL -> "fail";
        case ERROR -> "error";
        case KNOWN -> "known";
        case STALE -> "stale";
        case UNSUPPORTED -> "unsupported";
        case NOT_AVAILABLE -> "n/a";
      };
    }
  }

  public static Cell judge(RunResult r, KnownDivergences known) {
    Optional<KnownDivergences.Entry> entry = known.find(r.script(), r.sut());
    Status s = switch (r.verdict()) {
      case Verdict.Pass p -> entry.isPresent() ? Status.STALE : Status.PASS;
      case Verdict.Fail f -> entry.isPresent() ? Status.KNOWN : Status.FAIL;
      case Verdict.Error e -> entry.isPresent() ? Status.KNOWN : Status.ERROR;
      case Verdict.Unsupported u -> Status.UNSUPPORTED;
      case Verdict.NotAvailable n -> Status.NOT_AVAILABLE;
    };
    return new Cell(r, s, entry);
  }

  /** The message to show: the failure, the divergence reason, or the stale-entry warning; then the notes. */
  public String message() {
    String detail = Verdict.detail(result.verdict());
    if (!result.notes().isEmpty()) {
      detail = (detail.isEmpty() ? "" : detail + "\n") + String.join("\n", result.notes());
    }
    return switch (status) {
      case KNOWN -> "known divergence (known-divergences:" + divergence.orElseThrow().line() + "): "
          + divergence.orElseThrow().reason() + "\n" + detail;
      case STALE -> "passes but is listed in reports/known-divergences:"
          + divergence.orElseThrow().line() + "; remove the entry";
      default -> detail;
    };
  }
}
