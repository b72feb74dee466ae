package org.tcpspec.tcb;

import java.util.Arrays;

/**
 * Timers as data: one deadline per {@link TimerKind} on the injected clock's time line. Nothing
 * here fires by itself; the stack asks which timers are due at "now" and runs them.
 */
public final class Timers {
  private static final long OFF = Long.MAX_VALUE;
  private final long[] deadlineNanos = new long[TimerKind.values().length];

  public Timers() {
    Arrays.fill(deadlineNanos, OFF);
  }

  public void arm(TimerKind kind, long deadline) {
    deadlineNanos[kind.ordinal()] = deadline;
  }

  /** Arms the timer unless it is already running (for timers that must not be pushed back). */
  public void armIfIdle(TimerKind kind, long deadline) {
    if (!armed(kind)) arm(kind, deadline);
  }

  public void cancel(TimerKind kind) {
    deadlineNanos[kind.ordinal()] = OFF;
  }

  public void cancelAll() {
    Arrays.fill(deadlineNanos, OFF);
  }

  public boolean armed(TimerKind kind) {
    return deadlineNanos[kind.ordinal()] != OFF;
  }

  public boolean due(TimerKind kind, long nowNanos) {
    return armed(kind) && deadlineNanos[kind.ordinal()] <= nowNanos;
  }

  /** The deadline of a running timer (check {@link #armed} first). */
  public long deadline(TimerKind kind) {
    return deadlineNanos[kind.ordinal()];
  }

  /** The earliest deadline of any running timer, or {@link Long#MAX_VALUE} when none runs. */
  public long next() {
    long min = OFF;
    for (long d : deadlineNanos) min = Math.min(min, d);
    return min;
  }
}
