package org.tcpspec.conformance.report;

/**
 * Which cells besides a pass, a reviewed known divergence and a change of Linux since a recorded
 * baseline a run may contain and still pass, as the user allowed them explicitly ({@code
 * --allow-unavailable}, {@code --allow-unsupported}). A failure, an error or a stale
 * known-divergence entry is never allowed.
 */
public record Allowances(boolean unavailable, boolean unsupported) {

  public static final Allowances NONE = new Allowances(false, false);

  public boolean accepts(Cell.Status s) {
    return switch (s) {
      case PASS, KNOWN, LINUX_CHANGED -> true;
      case UNSUPPORTED -> unsupported;
      case NOT_AVAILABLE -> unavailable;
      case FAIL, ERROR, STALE -> false;
    };
  }
}
