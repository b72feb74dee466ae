package org.tcpspec.cli;

import java.io.PrintWriter;
import org.tcpspec.conformance.conform.Progress;
import picocli.CommandLine.Option;

/** {@code --progress}: a bar redrawn in place on a terminal, plain lines in a log. */
final class ProgressOption {

  enum Choice {
    AUTO,
    BAR,
    LINES
  }

  @Option(names = "--progress", paramLabel = "auto|bar|lines",
      description = "How long steps show progress: bar (redrawn in place, for a terminal), lines (a"
          + " status line every few seconds, for CI logs), or auto: bar when standard output is a"
          + " terminal (default: ${DEFAULT-VALUE}).")
  Choice choice = Choice.AUTO;

  Progress on(PrintWriter out) {
    Progress.Mode mode = switch (choice) {
      case AUTO -> Progress.detect();
      case BAR -> Progress.Mode.BAR;
      case LINES -> Progress.Mode.LINES;
    };
    return new Progress(out, mode, System::nanoTime, Progress.terminalColumns());
  }
}
