package org.tcpspec.time;

/** The real monotonic clock ({@link System#nanoTime()}); the only reader of real time. */
public final class SystemClock implements Clock {
  public static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long nowNanos() {
    return System.nanoTime();
  }
}
