package org.tcpspec.time;

/**
 * A clock that moves only when told to: tests and virtual-time runs advance it explicitly, so a
 * 60 s TIME-WAIT takes microseconds of real time and every run is reproducible.
 */
public final class ManualClock implements Clock {
  private long nowNanos;

  public ManualClock() {
    this(0L);
  }

  public ManualClock(long startNanos) {
    this.nowNanos = startNanos;
  }

  @Override
  public long nowNanos() {
    return nowNanos;
  }

  /** Moves time forward by {@code nanos} (which must not be negative). */
  public void advanceNanos(long nanos) {
    if (nanos < 0) throw new IllegalArgumentException("time cannot go backwards: " + nanos);
    nowNanos += nanos;
  }

  public void advanceMillis(long millis) {
    advanceNanos(millis * 1_000_000L);
  }

  /** Sets the time to {@code nanos}, which must not be in the past. */
  public void setNanos(long nanos) {
    if (nanos < nowNanos) throw new IllegalArgumentException("time cannot go backwards: " + nanos);
    nowNanos = nanos;
  }
}
