package org.tcpspec.stack;

/**
 * Proportional Rate Reduction (RFC 6937) as Linux's tcp_cwnd_reduction runs it, in segments: while
 * the flight is above ssthresh, send in proportion to what is delivered (ssthresh / RecoverFS of
 * it, RecoverFS being cwnd when the reduction began); once it is below, slow start back up to
 * ssthresh, one segment more than delivered (PRR-SSRB) when SND.UNA advanced and nothing was newly
 * lost. The first ACK of a reduction always lets the fast retransmit out.
 */
final class Prr {
  /** RFC 6937 RecoverFS: cwnd when the reduction started (Linux prior_cwnd). */
  private int recoverFs;
  /** RFC 6937 prr_delivered: segments delivered since the reduction started. */
  private int delivered;
  /** RFC 6937 prr_out: segments sent since. */
  private int out;

  /** Linux tcp_init_cwnd_reduction. */
  void start(int cwnd) {
    recoverFs = cwnd;
    delivered = 0;
    out = 0;
  }

  /** A segment (new or retransmitted) went out during the reduction. */
  void sent(int segments) {
    out += segments;
  }

  /**
   * RFC 6937 §3 on an ACK that delivered {@code newlyDelivered} segments with {@code inFlight}
   * left (Linux tcp_cwnd_reduction): the cwnd that lets exactly sndcnt segments out now.
   */
  int cwnd(int newlyDelivered, int newlyLost, boolean sndUnaAdvanced, int ssthresh, int inFlight, int cwnd) {
    if (newlyDelivered <= 0 || recoverFs == 0) return cwnd;
    delivered += newlyDelivered;
    int delta = ssthresh - inFlight;
    long sndcnt;
    if (delta < 0) {
      sndcnt = ((long) ssthresh * delivered + recoverFs - 1) / recoverFs - out;
    } else {
      sndcnt = Math.max(delivered - out, newlyDelivered);
      if (sndUnaAdvanced && newlyLost == 0) sndcnt++;
      sndcnt = Math.min(delta, sndcnt);
    }
    // Force a fast retransmit upon entering fast recovery.
    sndcnt = Math.max(sndcnt, out > 0 ? 0 : 1);
    return (int) (inFlight + sndcnt);
  }
}
