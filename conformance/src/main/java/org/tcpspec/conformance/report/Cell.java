package org.tcpspec.conformance.report;

import java.util.Optional;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.conformance.suite.KnownDivergences;

/**
 * One (script, system) result as the reports show it: the verdict, judged against the reviewed
 * known divergences and, for linux on a kernel without a baseline of its own, against the nearest
 * older kernel's recorded baseline. A failing cell that is listed is {@link Status#KNOWN}, and so is a
 * listed cell the system does not support (a feature it lacks); a listed cell that passes is
 * {@link Status#STALE}, so its entry gets removed; a linux cell that fails where
 * the older kernel went otherwise is {@link Status#LINUX_CHANGED}.
 *
 * @param change how the cell differs from the reference baseline, whether it passes now or not
 */
public record Cell(RunResult result, Status status, Optional<KnownDivergences.Entry> divergence,
    Optional<LinuxBaseline.Change> change) {

  public enum Status {
    PASS,
    FAIL,
    ERROR,
    KNOWN,
    STALE,
    LINUX_CHANGED,
    UNSUPPORTED,
    NOT_AVAILABLE;

    public String word() {
      return switch (this) {
        case PASS -> "pass";
        case FAIL -> "fail";
        case ERROR -> "error";
        case KNOWN -> "known divergence";
        case STALE -> "stale divergence entry";
        case LINUX_CHANGED -> "linux changed";
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
        case LINUX_CHANGED -> "changed";
        case UNSUPPORTED -> "unsupported";
        case NOT_AVAILABLE -> "n/a";
      };
    }

    /** A failure of the run: what "failures so far" counts. */
    public boolean failed() {
      return switch (this) {
        case FAIL, ERROR, STALE -> true;
        case PASS, KNOWN, LINUX_CHANGED, UNSUPPORTED, NOT_AVAILABLE -> false;
      };
    }
  }

  /** Judges against reviewed divergences only (no baseline to compare with). */
  public static Cell judge(RunResult r, KnownDivergences known) {
    return judge(r, known, Optional.empty());
  }

  /** Judges a cell that ran in packetdrill's default family, ipv4. */
  public static Cell judge(RunResult r, KnownDivergences known, Optional<LinuxBaseline> reference) {
    return judge(r, known, "ipv4", reference);
  }

  /**
   * @param ipVersion the address family the cell ran in, which picks the divergence entry
   *     ({@link KnownDivergences#find(String, String, String)})
   * @param reference the baseline linux cells are compared with ({@link LinuxBaseline#reference});
   *     empty for other systems and on a kernel that has its own baseline
   */
  public static Cell judge(RunResult r, KnownDivergences known, String ipVersion, Optional<LinuxBaseline> reference) {
    Optional<KnownDivergences.Entry> entry = known.find(r.script(), r.sut(), ipVersion);
    Optional<LinuxBaseline.Change> change = reference.flatMap(b -> b.changeOf(r));
    Status failing = change.isPresent() ? Status.LINUX_CHANGED : Status.FAIL;
    Status s = switch (r.verdict()) {
      case Verdict.Pass p -> entry.isPresent() ? Status.STALE : Status.PASS;
      case Verdict.Fail f -> entry.isPresent() ? Status.KNOWN : failing;
      case Verdict.Error e -> entry.isPresent() ? Status.KNOWN : change.isPresent() ? Status.LINUX_CHANGED : Status.ERROR;
      // A listed unsupported cell is a reviewed gap of that system (the java stack has no IP_TOS,
      // say): known, and stale once it runs.
      case Verdict.Unsupported u -> entry.isPresent() ? Status.KNOWN : Status.UNSUPPORTED;
      case Verdict.NotAvailable n -> Status.NOT_AVAILABLE;
    };
    return new Cell(r, s, entry, change);
  }

  /** The same cell with its result renamed (script relative to the report's folder, say). */
  public Cell withResult(RunResult renamed) {
    return new Cell(renamed, status, divergence, change);
  }

  /** The message to show: the failure, the divergence reason, or the stale-entry warning; then the notes. */
  public String message() {
    String detail = Verdict.detail(result.verdict());
    if (!result.notes().isEmpty()) {
      detail = (detail.isEmpty() ? "" : detail + "\n") + String.join("\n", result.notes());
    }
    // The generated set's cells (named generated/..., or a path through reports/generated/ while
    // the run is in progress) are listed in a file of their own.
    String list = ("/" + result.script().replace('\\', '/')).contains("/" + ModelSteps.PREFIX)
        ? "known-divergences-generated" : "known-divergences";
    return switch (status) {
      case KNOWN -> "known divergence (" + list + ":" + divergence.orElseThrow().line() + "): "
          + divergence.orElseThrow().reason() + "\n" + detail;
      case STALE -> "passes but is listed in reports/" + list + ":"
          + divergence.orElseThrow().line() + "; remove the entry";
      case LINUX_CHANGED -> change.orElseThrow().describe() + "\n" + detail;
      default -> detail;
    };
  }
}
