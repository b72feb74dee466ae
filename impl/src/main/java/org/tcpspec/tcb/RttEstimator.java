package org.tcpspec.tcb;

/**
 * The retransmission timer of RFC 6298: SRTT, RTTVAR and RTO, with exponential backoff (§5.5) and
 * Karn's rule left to the caller (it feeds samples only from segments sent once, or from echoed
 * timestamps, RFC 7323 §4). Initial RTO 1 s (RFC 6298 §2.1); bounds follow Linux: the variance term
 * is at least the connection's minimum (Linux icsk_rto_min, tcp_rto_min(): net.ipv4.tcp_rto_min_us
 * when the socket is made, TCP_RTO_MIN_US after, 200 ms (TCP_RTO_MIN) unless changed; RFC 6298 §2.4
 * says RTO at least 1 s), RTO at most the connection's maximum: Linux 6.15+'s icsk_rto_max, from
 * net.ipv4.tcp_rto_max_ms when the socket is made and TCP_RTO_MAX_MS after, 120 s (TCP_RTO_MAX)
 * unless changed.
 */
public final class RttEstimator {
  public static final long INITIAL_RTO_NANOS = 1_000_000_000L; // RFC 6298 §2.1
  public static final long FALLBACK_RTO_NANOS = 3_000_000_000L; // RFC 6298 §5.7
  // Linux: TCP_RTO_MIN is HZ/5, the default of a connection's minimum and the base of the retry
  // budgets and the zero-window probes, which do not follow the connection's minimum.
  public static final long MIN_RTO_NANOS = 200_000_000L;
  // Linux: TCP_RTO_MAX is 120 s, the default and the highest value of a connection's maximum; RFC
  // 6298 §2.5 allows a maximum of at least 60 s.
  public static final long MAX_RTO_NANOS = 120_000_000_000L;
  private static final long CLOCK_GRANULARITY_NANOS = 1_000_000L;

  private long srttNanos;
  private long rttvarNanos;
  private boolean hasSample;
  /** The RTO from the estimate (RFC 6298 §2), bounded, before any backoff. */
  private long rtoNanos = INITIAL_RTO_NANOS;
  /**
   * The RTO in force (Linux icsk_rto): {@link #rtoNanos} doubled at each backoff, each doubling at
   * most the maximum of that moment (tcp_retransmit_timer's min(icsk_rto << 1, tcp_rto_max)).
   */
  private long backedOffNanos = INITIAL_RTO_NANOS;
  private int backoff;
  /** The connection's maximum RTO (Linux icsk_rto_max, tcp_rto_max()). */
  private long maxRtoNanos = MAX_RTO_NANOS;
  /** The connection's minimum RTO (Linux icsk_rto_min, tcp_rto_min()): the floor of the variance term. */
  private long minRtoNanos = MIN_RTO_NANOS;

  /** A new RTT measurement R (RFC 6298 §2.2, §2.3); also clears the backoff (§5.7 spirit). */
  public void sample(long rttNanos) {
    long r = Math.max(0, rttNanos);
    if (!hasSample) {
      srttNanos = r;
      rttvarNanos = r / 2;
      hasSample = true;
    } else {
      rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - r)) / 4; // beta = 1/4
      srttNanos = (7 * srttNanos + r) / 8; // alpha = 1/8
    }
    // RFC 6298 §2.3: RTO = SRTT + max(G, K*RTTVAR). Linux: the K*RTTVAR term is floored at the
    // connection's minimum (tcp_rtt_estimator's rttvar_us = max(mdev, tcp_rto_min_us(sk))), so
    // RTO >= SRTT + 200 ms unless TCP_RTO_MIN_US or tcp_rto_min_us lowered it.
    rtoNanos = clamp(srttNanos + Math.max(minRtoNanos, Math.max(CLOCK_GRANULARITY_NANOS, 4 * rttvarNanos)));
    resetBackoff();
  }

  /**
   * The current timeout with backoff applied (RFC 6298 §5.5), at most the maximum RTO: Linux arms
   * the timer no further ahead (inet_csk_reset_xmit_timer's max_when), even when the maximum was
   * lowered after the last doubling.
   */
  public long rtoNanos() {
    return Math.min(backedOffNanos, maxRtoNanos);
  }

  /** The maximum RTO (Linux tcp_rto_max): the timeout never backs off beyond it. */
  public long maxRtoNanos() {
    return maxRtoNanos;
  }

  /**
   * Sets the maximum RTO (Linux icsk_rto_max, TCP_RTO_MAX_MS). Linux bounds icsk_rto again only at
   * its next change but arms every retransmission timer at most this far ahead
   * (tcp_reset_xmit_timer), so a lower maximum applies at once, as {@link #rtoNanos} does.
   */
  public void maxRtoNanos(long nanos) {
    maxRtoNanos = nanos;
  }

  /** The minimum RTO (Linux tcp_rto_min): the least the variance term adds to SRTT. */
  public long minRtoNanos() {
    return minRtoNanos;
  }

  /**
   * Sets the minimum RTO (Linux icsk_rto_min, TCP_RTO_MIN_US). The RTO in force keeps its value;
   * the next RTT sample's RTO takes the new floor. (Linux's RTTVAR moves toward it over round
   * trips, tcp_rtt_estimator's mdev_max, and not at all when it was raised above RTTVAR.)
   */
  public void minRtoNanos(long nanos) {
    minRtoNanos = nanos;
  }

  /**
   * RFC 6298 §5.7: when the handshake gave no sample (the SYN or SYN-ACK was retransmitted and no
   * timestamp echoed), data starts with RTO 3 s. Linux: the same TCP_TIMEOUT_FALLBACK in
   * tcp_init_metrics.
   */
  public void establishedWithoutSample() {
    if (!hasSample) rtoNanos = FALLBACK_RTO_NANOS;
    resetBackoff();
  }

  /**
   * Doubles the timeout after a retransmission timeout (§5.5), up to the maximum RTO of this moment
   * (Linux tcp_retransmit_timer: icsk_rto = min(icsk_rto << 1, tcp_rto_max)), so a maximum raised
   * later doubles on from there.
   */
  public void backOff() {
    if (backoff < 30) backoff++;
    backedOffNanos = Math.min(backedOffNanos * 2, maxRtoNanos);
  }

  /**
   * RFC 6069 §3 (TCP-LD), as Linux's tcp_ld_RTO_revert: an ICMP unreachable about the oldest
   * segment shows that the path, not congestion, lost the retransmissions, so one backoff is
   * undone: the RTO in force becomes the RTO from the estimate (1 s without an RTT sample,
   * TCP_TIMEOUT_INIT) doubled once less, at most the connection's maximum (inet_csk_rto_backoff
   * with tcp_rto_max). The caller checks that there is a backoff to undo.
   */
  public void revertOneBackoff() {
    backoff--;
    long when = hasSample ? rtoNanos : INITIAL_RTO_NANOS;
    for (int i = 0; i < backoff && when < maxRtoNanos; i++) when <<= 1;
    backedOffNanos = Math.min(when, maxRtoNanos);
  }

  public void resetBackoff() {
    backoff = 0;
    backedOffNanos = rtoNanos;
  }

  /** How many times the timeout has doubled since the last sample (Linux icsk_backoff). */
  public int backoff() {
    return backoff;
  }

  public long srttNanos() {
    return srttNanos;
  }

  public long rttvarNanos() {
    return rttvarNanos;
  }

  /**
   * Linux's retransmission time budget (tcp_model_timeout): how long {@code boundary}
   * retransmissions take when the first waits {@code rtoBaseNanos} and each doubles, capped at
   * this connection's maximum RTO (Linux 6.15+: tcp_rto_max(sk), so a lower maximum gives up
   * sooner). Giving up after this time rather than after a count makes the limit independent of
   * the RTT (tcp_retries2 15 is about 924.6 s from a 200 ms base under the 120 s maximum).
   */
  public long retryBudgetNanos(int boundary, long rtoBaseNanos) {
    return retryBudgetNanos(boundary, rtoBaseNanos, maxRtoNanos);
  }

  /** {@link #retryBudgetNanos(int, long)} under the maximum RTO {@code maxRtoNanos}. */
  public static long retryBudgetNanos(int boundary, long rtoBaseNanos, long maxRtoNanos) {
    int linearBackoffThresh = 63 - Long.numberOfLeadingZeros(maxRtoNanos / rtoBaseNanos);
    if (boundary <= linearBackoffThresh) return ((2L << boundary) - 1) * rtoBaseNanos;
    return ((2L << linearBackoffThresh) - 1) * rtoBaseNanos + (long) (boundary - linearBackoffThresh) * maxRtoNanos;
  }

  private long clamp(long rto) {
    return Math.min(maxRtoNanos, Math.max(minRtoNanos, rto));
  }
}
