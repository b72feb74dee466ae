package org.tcpspec.conformance.report;

/**
 * Which cells besides a pass and a reviewed known divergence a run may contain and still pass, as
 * the user allowed them explicitly ({@code --allow-unavailable}, {@code --allow-unsupported}). A
 * failure, an error or a stale known-divergence entry is never allowed.
 */
public record Allowances(boolean unavailable, boolean unsupported) {

  public static final Allowances NONE = new Allowances(false, false);

  public boolean accepts(Cell.Status s) {
    return switch (s) {
      case PASS, KNOWN -> true;
      case UNSUPPORTED -> unsupported;
      case NOT_AVAILABLE -> unavailable;
      case FAIL, ERROR, STALE -> false;
    };
  }
}
