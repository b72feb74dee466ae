package org.tcpspec.conformance.judge;

/**
 * TS.Recent of a system under test as the peer's segments show it (RFC 7323 §4.3), and Linux's PAWS
 * test against it (§5.3 R1; tcp_paws_check, tcp_paws_reject). {@link ObservedTcb} stores a TSval
 * only where Linux surely stored it, so this TS.Recent is never ahead of Linux's: a TSval it finds
 * older than its window allows is older for Linux too. Linux stamps TS.Recent in whole seconds
 * (ktime_get_seconds), so an age limit counts as reached only once it surely is: a TS.Recent
 * less than the limit less one second old has not reached it; script time stands for Linux's clock.
 */
final class ObservedTsRecent {
  /**
   * Linux TCP_PAWS_WINDOW: how many ticks a full socket lets a TSval lag TS.Recent
   * (tcp_validate_incoming); timewait and request sockets allow none (tcp_paws_reject).
   */
  static final int FULL_SOCKET_WINDOW = 1;
  /**
   * Linux TCP_PAWS_WRAP, INT_MAX / USEC_PER_SEC: once TS.Recent is this old, tcp_paws_check passes
   * any TSval. RFC 7323 §5.5 invalidates TS.Recent after 24 days of idleness; Linux (since it allows
   * TSvals in microseconds) after 2147 s.
   */
  static final long PAWS_WRAP_MILLIS = 2_147_000;
  /**
   * Linux TCP_PAWS_MSL: a timewait socket holds a RST to PAWS (tcp_paws_reject) until TS.Recent is
   * 60 s old; a full socket takes a RST whatever its TSval.
   */
  static final long PAWS_MSL_MILLIS = 60_000;
  private static final long STAMP_GRANULARITY_MILLIS = 1_000;

  private int tsRecent;
  private long storedMillis;

  /** The TSval Linux stored at {@code nowMillis}. */
  void store(int tsVal, long nowMillis) {
    tsRecent = tsVal;
    storedMillis = nowMillis;
  }

  /** Whether {@code tsVal} may be stored: not older than TS.Recent (tcp_paws_check with a window of 0). */
  boolean mayStore(int tsVal, long nowMillis) {
    return !rejects(tsVal, 0, nowMillis);
  }

  /**
   * Linux tcp_paws_check failing: TS.Recent is valid (not 0: "Ignore 0 value"), not yet {@link
   * #PAWS_WRAP_MILLIS} old, and the TSval lags it by more than {@code windowTicks} (serial
   * arithmetic on 32 bits).
   */
  boolean rejects(int tsVal, int windowTicks, long nowMillis) {
    if (tsRecent == 0 || !younger(PAWS_WRAP_MILLIS, nowMillis)) return false;
    return tsRecent - tsVal > windowTicks;
  }

  /** Whether a RST that fails PAWS is still held to it by a timewait socket: TS.Recent is younger than TCP_PAWS_MSL. */
  boolean holdsRst(long nowMillis) {
    return younger(PAWS_MSL_MILLIS, nowMillis);
  }

  /** RFC 6191 §2, Linux tcp_timewait_state_process: the TSval is after TS.Recent. */
  boolean newer(int tsVal) {
    return tsVal - tsRecent > 0;
  }

  private boolean younger(long limitMillis, long nowMillis) {
    return nowMillis - storedMillis < limitMillis - STAMP_GRANULARITY_MILLIS;
  }
}
