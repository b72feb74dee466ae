package org.tcpspec.conformance.run;

import org.tcpspec.conformance.script.EventTime;
import org.tcpspec.conformance.script.Pos;

/**
 * When an event the interpreter makes happen (an inbound packet, a system call's start, a command,
 * a code block's data collection) is due, and the check that it did start then: packetdrill's
 * {@code wait_for_event} → {@code check_event_time} → {@code verify_time} (run.c), which fails a
 * script whose tool fell behind its own schedule, with the same message. Only late starts are
 * checked: the interpreter waits until {@code from}, so it is never early.
 *
 * <p>{@code offset} is what a relative time counts from as packetdrill counts it ({@code
 * adjust_relative_event_times}: the moment the event is taken up, or the inbound packet before it
 * in a train). The interpreter schedules from the previous event's own time, which can be a little
 * earlier, so the window here is packetdrill's, shifted by the difference, and a late start is one
 * packetdrill would have reported too.
 *
 * @param what packetdrill's event_description: "inbound packet", "system call start", ...
 */
record StartWindow(Pos pos, String what, EventTime time, long from, long to, long tolerance, long offset) {
  /** No check: the first event, {@code *} times, outbound packets and systems with virtual time. */
  static final StartWindow NONE = new StartWindow(null, "", new EventTime.AnyTime(), 0, 0, 0, 0);

  /** Fails the script when {@code actual} (script time) is past the window and its tolerance. */
  void check(long actual) throws ScriptFailure {
    if (this == NONE || actual <= to + tolerance) return;
    String message = switch (time) {
      case EventTime.AbsoluteRange r -> "timing error: expected " + what + " in time range "
          + Interpreter.seconds(from) + "~" + Interpreter.seconds(to) + " sec but happened at "
          + Interpreter.seconds(actual) + " sec";
      case EventTime.RelativeRange r -> "timing error: expected " + what + " in relative time range +"
          + Interpreter.seconds(from - offset) + "~+" + Interpreter.seconds(to - offset)
          + " sec but happened at +" + Interpreter.seconds(actual - offset) + " sec";
      default -> "timing error: expected " + what + " at " + Interpreter.seconds(from)
          + " sec but happened at " + Interpreter.seconds(actual) + " sec; tolerance "
          + Interpreter.seconds(tolerance) + " sec";
    };
    throw ScriptFailure.fail(pos, message);
  }
}
