package org.tcpspec.app.bench;

/** One cell of the bench table: a measured transfer, or why there is none. */
public sealed interface BenchCell {
  record Measured(BulkTransfer.Result result) implements BenchCell {}

  record NotAvailable(String reason) implements BenchCell {}

  /** The median rate of {@code rounds} measured transfers of one row (see {@link Rounds}). */
  record MedianRate(double megabytesPerSecond, int rounds, boolean anyCapped) implements BenchCell {}

  /** One rate divided by another, e.g. our stack's over the kernel's. */
  record Ratio(double value) implements BenchCell {}

  default String text() {
    return switch (this) {
      case Measured(BulkTransfer.Result r) ->
          String.format(java.util.Locale.ROOT, "%.1f MB/s%s", r.megabytesPerSecond(), r.capped() ? " (capped)" : "");
      case MedianRate(double rate, int rounds, boolean capped) ->
          String.format(java.util.Locale.ROOT, "%.1f MB/s%s", rate, capped ? " (capped)" : "");
      case NotAvailable(String reason) -> reason;
      case Ratio(double v) -> String.format(java.util.Locale.ROOT, "%.3fx", v);
    };
  }
}
