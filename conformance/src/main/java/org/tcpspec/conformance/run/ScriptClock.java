package org.tcpspec.conformance.run;

import java.util.Optional;
import org.tcpspec.conformance.script.CodeBlock;
import org.tcpspec.conformance.script.EventTime;
import org.tcpspec.conformance.script.IcmpPacket;
import org.tcpspec.conformance.script.ScriptEvent;
import org.tcpspec.conformance.script.ShellCommand;
import org.tcpspec.conformance.script.Syscall;
import org.tcpspec.conformance.script.TcpPacket;

/**
 * A run's script time on the system under test's clock, and packetdrill's tolerance around it:
 * the {@link Interpreter}'s waits, the time it reads, the windows its events start in, and the
 * waits it lends to other cells ({@link IdleOverlap}).
 */
final class ScriptClock {
  private final SystemUnderTest sut;
  private final RunConfig config;
  private final IdleOverlap.Cell cell;
  /** The system under test's time at script time 0: after the init command ran. */
  private long originMicros;

  ScriptClock(SystemUnderTest sut, RunConfig config, IdleOverlap.Cell cell) {
    this.sut = sut;
    this.config = config;
    this.cell = cell;
  }

  /** Script time 0 is now: after the init command ran. */
  void start() {
    originMicros = sut.scriptStartMicros();
  }

  /** The system under test's clock at script time 0. */
  long originMicros() {
    return originMicros;
  }

  /** packetdrill's --tolerance_usecs, which timestamps in control messages are checked with. */
  long toleranceMicros() {
    return exact() ? 0 : config.toleranceMicros();
  }

  /**
   * Whether times are checked exactly: on a system under test with virtual time unless the script
   * or the command line asks for a tolerance (scripts written against Linux, as google/packetdrill's,
   * rely on packetdrill's: their authors wrote {@code +.001} where the kernel answers at once).
   */
  private boolean exact() {
    return sut.exactTiming() && !config.toleranceGiven();
  }

  long tolerance(long sinceMicros) {
    if (exact()) return 0;
    return Math.max(config.toleranceMicros(), (long) (sinceMicros * config.tolerancePercent() / 100.0));
  }

  /**
   * The window packetdrill would check this event's start against (run.c, check_event_time): on
   * real time only, not for outbound packets (checked when they come) nor {@code *} times. A
   * relative time counts from when the event was taken up, as adjust_relative_event_times has it.
   */
  StartWindow startWindow(ScriptEvent e, long start, long end, long tol, long base, long takenUp) {
    if (sut.exactTiming() || e.time() instanceof EventTime.AnyTime) return StartWindow.NONE;
    String what = switch (e.action()) {
      case TcpPacket p when p.direction() == TcpPacket.Direction.INBOUND -> "inbound packet";
      case TcpPacket p -> null;
      case IcmpPacket p -> "inbound packet";
      case Syscall s -> "system call start";
      case ShellCommand c -> "command";
      case CodeBlock c -> "data collection for code";
    };
    if (what == null) return StartWindow.NONE;
    boolean relative = e.time() instanceof EventTime.Relative || e.time() instanceof EventTime.RelativeRange;
    long shift = relative ? takenUp - base : 0;
    return new StartWindow(e.pos(), what, e.time(), start + shift, end + shift, tol, base + shift);
  }

  /** Script time now. */
  long now() {
    return sut.nowMicros() - originMicros;
  }

  void sleepUntil(long scriptMicros) throws InterruptedException {
    boolean lent = lendUntil(scriptMicros);
    sut.sleepUntil(originMicros + scriptMicros);
    if (lent) cell.wakes();
  }

  /**
   * Tells the cell's scheduler that nothing happens here before {@code scriptMicros}, when that is
   * in real time and far enough ahead to lend; whether it was lent (the caller says when it wakes).
   */
  boolean lendUntil(long scriptMicros) {
    return !sut.exactTiming() && cell.sleepsUntil(System.nanoTime() + (scriptMicros - now()) * 1000);
  }

  /** The end of a wait {@link #lendUntil} lent. */
  void wakes() {
    cell.wakes();
  }

  Optional<SystemUnderTest.Returned> await(SystemUnderTest.Pending p, long scriptDeadline)
      throws InterruptedException {
    return p.await(originMicros + scriptDeadline).map(r ->
        new SystemUnderTest.Returned(r.micros() - originMicros, r.result()));
  }
}
