package org.tcpspec.time;

/**
 * A source of monotonic time in nanoseconds. The protocol core never reads real time: every
 * component that needs "now" is handed a Clock, so the same code runs on a TUN loop, under a
 * script runner on virtual time, and in property tests.
 */
public interface Clock {
  /** Monotonic nanoseconds since an arbitrary origin; never decreases. */
  long nowNanos();

  /** Milliseconds derived from {@link #nowNanos()}, for timestamps and logs. */
  default long nowMillis() {
    return nowNanos() / 1_000_000L;
  }
}
