package org.tcpspec.conformance.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a whole run passed, the same on the terminal's last line, at the top of index.html and
 * of summary.md, and in the exit code: the reasons it did not (empty when it did), and remarks
 * that do not fail it but belong next to the verdict (changes of Linux since a baseline).
 */
public record RunVerdict(List<String> reasons, List<String> remarks) {

  public RunVerdict {
    reasons = List.copyOf(reasons);
    remarks = List.copyOf(remarks);
  }

  public static RunVerdict of(Report r, Allowances allowed) {
    List<String> reasons = new ArrayList<>();
    if (!r.tlcAgrees()) reasons.add("TLC differs from spec/manifest.json");
    if (r.cells().isEmpty()) reasons.add("no script was selected");
    List<Cell> blocking = r.blocking(allowed);
    for (Cell.Status s : Cell.Status.values()) {
      long n = blocking.stream().filter(c -> c.status() == s).count();
      if (n == 0) continue;
      reasons.add(switch (s) {
        case FAIL -> n + " failed";
        case ERROR -> n + (n == 1 ? " error" : " errors");
        case STALE -> n + " stale known-divergence " + (n == 1 ? "entry" : "entries") + " (remove them)";
        case UNSUPPORTED -> n + " unsupported (--allow-unsupported accepts them)";
        case NOT_AVAILABLE -> n + " not available (--allow-unavailable accepts them)";
        case PASS, KNOWN, LINUX_CHANGED -> throw new IllegalStateException(s + " never blocks a run");
      });
    }
    List<String> remarks = new ArrayList<>();
    long changed = r.count(Cell.Status.LINUX_CHANGED);
    if (changed > 0) {
      String since = r.cells().stream().flatMap(c -> c.change().stream()).map(LinuxBaseline.Change::since)
          .findFirst().orElseThrow();
      remarks.add(changed + " linux " + (changed == 1 ? "cell" : "cells") + " changed since " + since
          + " (no baseline of this kernel; conform --record-baseline records one)");
    }
    return new RunVerdict(reasons, remarks);
  }

  public boolean passed() {
    return reasons.isEmpty();
  }

  /** {@code PASSED: ...} or {@code FAILED: 1 failed; 2 errors}, remarks after. */
  public String line() {
    String head = passed() ? "PASSED: every cell passed or is a reviewed known divergence"
        : "FAILED: " + String.join("; ", reasons);
    return remarks.isEmpty() ? head : head + "; " + String.join("; ", remarks);
  }
}
