package org.tcpspec.conformance.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress on a terminal (redrawn in place) and in a log (a line every few seconds), on a clock set by hand. */
class ProgressTest {
  private final StringWriter text = new StringWriter();
  private final AtomicLong nanos = new AtomicLong();

  private Progress progress(Progress.Mode mode) {
    return new Progress(new PrintWriter(text), mode, nanos::get, 60);
  }

  @Test
  void aLogGetsAStatusLineEveryFewSecondsAndNoControlCharacters() {
    Progress p = progress(Progress.Mode.LINES);
    p.status("suite", "suite: linux 1/10", 0.1);
    nanos.addAndGet(Progress.LOG_INTERVAL_NANOS - 1);
    p.status("suite", "suite: linux 2/10", 0.2);
    nanos.addAndGet(1);
    p.status("suite", "suite: linux 3/10", 0.3);
    p.line("[4/10] fail linux x.pkt");
    p.status("suite", "suite: linux 4/10", 0.4);
    p.endStatus("suite");
    p.endStatus("tlc");
    assertEquals("suite: linux 3/10\n[4/10] fail linux x.pkt\n", text.toString());
  }

  @Test
  void aTerminalRedrawsTheStatusUnderLinesThatStay() {
    Progress p = progress(Progress.Mode.BAR);
    p.status("suite", "suite: linux 5/10", 0.5);
    p.line("[5/10] fail linux x.pkt");
    p.endStatus("suite");
    p.status("tlc", "tlc: " + "x".repeat(100));
    p.endStatus("tlc");
    String out = text.toString();
    assertTrue(out.startsWith("\r\033[2K[############------------] suite: linux 5/10"), out);
    assertTrue(out.contains("\r\033[2K[5/10] fail linux x.pkt\n[############------------] suite: linux 5/10"),
        "the line erases the status, then the status comes back under it: " + out);
    assertTrue(out.contains("tlc: " + "x".repeat(54) + "\r"), "cut to the terminal's width: " + out);
    assertFalse(out.contains("x".repeat(55)), out);
    assertTrue(out.endsWith("\r\033[2K"), "the status is erased at the end: " + out);
  }

  @Test
  void twoStepsAtOnceShareTheTerminalLineAndEachGetsItsOwnLogLines() {
    Progress bar = progress(Progress.Mode.BAR);
    bar.status("tlc", "tlc: 10 states");
    bar.status("suite", "suite: 1/2", 0.5);
    assertTrue(text.toString().endsWith("\r\033[2Ktlc: 10 states | [############------------] suite: 1/2"), text.toString());
    bar.endStatus("tlc");
    assertTrue(text.toString().endsWith("\r\033[2K[############------------] suite: 1/2"), text.toString());
    text.getBuffer().setLength(0);
    Progress log = progress(Progress.Mode.LINES);
    log.status("tlc", "tlc: 10 states");
    log.status("suite", "suite: 1/2", 0.5);
    nanos.addAndGet(Progress.LOG_INTERVAL_NANOS);
    log.status("tlc", "tlc: 20 states");
    log.status("suite", "suite: 2/2", 1.0);
    assertEquals("tlc: 20 states\nsuite: 2/2\n", text.toString());
  }

  @Test
  void durationsReadAsSecondsThenMinutes() {
    assertEquals("41 s", Progress.duration(41.2));
    assertEquals("2:05", Progress.duration(125));
  }
}
