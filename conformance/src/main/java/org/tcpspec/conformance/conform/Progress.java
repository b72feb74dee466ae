package org.tcpspec.conformance.conform;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How long steps say how far they are. Lines that stay (a cell that did not pass, a model's
 * outcome) are printed as they come; the status of each step under way (the suite's done/total,
 * TLC's counters; both when TLC runs alongside the suite) is, on a terminal, one line redrawn in
 * place under them, with a bar when the step knows its total; in a log (CI, a pipe) it is a plain
 * line per step at most every {@link #LOG_INTERVAL_NANOS}, so a log shows progress without a line
 * per redraw and without control characters.
 */
public final class Progress {

  /** {@link #BAR}: a terminal; {@link #LINES}: a log. */
  public enum Mode {
    BAR,
    LINES
  }

  /** How often a log gets a status line. */
  static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

  /** Erases the terminal's current line (ANSI "erase line", then carriage return). */
  private static final String ERASE_LINE = "\r\033[2K";

  private static final int BAR_WIDTH = 24;

  private final PrintWriter out;
  private final Mode mode;
  private final LongSupplier nanoClock;
  private final int columns;
  /** The status of each step under way (TLC and the suite may run at once), in the order they began. */
  private final Map<String, String> statuses = new LinkedHashMap<>();
  /** When a log last got each step's status; a step's first line comes an interval after it began. */
  private final Map<String, Long> lastLoggedNanos = new HashMap<>();
  private String drawn = "";

  public Progress(PrintWriter out, Mode mode, LongSupplier nanoClock, int columns) {
    this.out = out;
    this.mode = mode;
    this.nanoClock = nanoClock;
    this.columns = Math.max(40, columns);
  }

  /** Plain lines: what tests and library callers that print no bar use. */
  public static Progress lines(PrintWriter out) {
    return new Progress(out, Mode.LINES, System::nanoTime, 80);
  }

  /**
   * {@link Mode#BAR} when this JVM's standard output is a terminal, else {@link Mode#LINES};
   * {@code TERM=dumb} counts as no terminal. The width is {@code $COLUMNS} when set.
   */
  public static Mode detect() {
    var console = System.console();
    boolean terminal = console != null && console.isTerminal() && !"dumb".equals(System.getenv("TERM"));
    return terminal ? Mode.BAR : Mode.LINES;
  }

  public static int terminalColumns() {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").strip());
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  public Mode mode() {
    return mode;
  }

  /** A line that stays; on a terminal the status is erased first and redrawn under it. */
  public synchronized void line(String text) {
    if (mode == Mode.BAR && !drawn.isEmpty()) out.print(ERASE_LINE);
    out.println(text);
    if (mode == Mode.BAR && !drawn.isEmpty()) out.print(drawn);
    out.flush();
  }

  /** The status of step {@code step} when its total is unknown (TLC exploring a state space). */
  public synchronized void status(String step, String text) {
    show(step, text, text);
  }

  /** The status of step {@code step}, {@code fraction} (0 to 1) done: on a terminal, after a bar. */
  public synchronized void status(String step, String text, double fraction) {
    show(step, bar(fraction) + " " + text, text);
  }

  /** Step {@code step} is over: a terminal's status line loses it; a log keeps what it has. */
  public synchronized void endStatus(String step) {
    statuses.remove(step);
    lastLoggedNanos.remove(step);
    if (mode == Mode.BAR) redraw();
    out.flush();
  }

  private void show(String step, String terminalText, String logText) {
    switch (mode) {
      case BAR -> {
        statuses.put(step, terminalText);
        redraw();
      }
      case LINES -> {
        long now = nanoClock.getAsLong();
        Long last = lastLoggedNanos.get(step);
        if (last == null) {
          lastLoggedNanos.put(step, now);
          return;
        }
        if (now - last < LOG_INTERVAL_NANOS) return;
        lastLoggedNanos.put(step, now);
        out.println(logText);
      }
    }
    out.flush();
  }

  /** One line of every step's status, cut to the terminal's width so that it never wraps. */
  private void redraw() {
    String all = String.join(" | ", statuses.values());
    drawn = all.length() > columns - 1 ? all.substring(0, columns - 1) : all;
    out.print(ERASE_LINE + drawn);
  }

  /** {@code [##########--------------]} */
  static String bar(double fraction) {
    int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * BAR_WIDTH);
    return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
  }

  /** {@code 41 s} under a minute, {@code 2:05} above. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + " s" : String.format("%d:%02d", s / 60, s % 60);
  }
}
