package org.tcpspec.app.bench;

/** One cell of the bench table: a measured transfer, or why there is none. */
public sealed interface Cell {
  record Measured(BulkTransfer.Result result) implements Cell {}

  record NotAvailable(String reason) implements Cell {}

  /** The stack columns until issue #5 phase 2 lands. */
  NotAvailable STACK_NOT_LANDED = new NotAvailable("n/a: stack on TUN not landed (issue #5)");

  default String text() {
    return switch (this) {
      case Measured(BulkTransfer.Result r) ->
          String.format(java.util.Locale.ROOT, "%.1f MB/s%s", r.megabytesPerSecond(), r.capped() ? " (capped)" : "");
      case NotAvailable(String reason) -> reason;
    };
  }
}
