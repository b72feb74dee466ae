package org.tcpspec.stack;

import static org.tcpspec.cc.Pacing.GSO_MAX_SIZE;
import static org.tcpspec.cc.Pacing.PACING_CA_RATIO;
import static org.tcpspec.cc.Pacing.PACING_SS_RATIO;
import static org.tcpspec.wire.SeqNum.lt;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.tcb.Tcb;

/**
 * cwnd as each ACK and each send pass use it, outside the {@link CongestionControl}'s own rules:
 * the reduction of CWR and Recovery (Linux tcp_init_cwnd_reduction, tcp_end_cwnd_reduction; PRR
 * in between), tcp_cong_control (PRR in a reduction, else growth only while cwnd was the limit),
 * tcp_cwnd_validate and tcp_is_cwnd_limited (whether it was), tcp_cwnd_test (whether new data may
 * go), and tcp_tso_autosize (how many segments one burst carries at the pacing rate). One per
 * connection.
 */
final class CwndControl extends CaPart {
  /** Linux is_cwnd_limited, max_packets_out, cwnd_usage_seq (tcp_cwnd_validate). */
  private boolean cwndLimited;
  private int maxPacketsOut;
  private int cwndUsageSeq;
  private boolean cwndUsageSet;

  CwndControl(CaStateMachine ca, Tcb tcb) {
    super(ca, tcb);
  }

  /** Linux tcp_cwnd_validate: whether the last window used all of cwnd. */
  void validateCwnd(boolean limited) {
    if (!cwndUsageSet || !lt(tcb.sndUna, cwndUsageSeq) || limited || (!cwndLimited && queue.size() > maxPacketsOut)) {
      cwndLimited = limited;
      maxPacketsOut = queue.size();
      cwndUsageSeq = tcb.sndNxt;
      cwndUsageSet = true;
    }
  }

  /** Linux tcp_is_cwnd_limited: cwnd may grow (in slow start, up to twice what was used). */
  boolean isCwndLimited() {
    if (cwndLimited) return true;
    CongestionControl cc = ca.congestionControl();
    return cc.inSlowStart() && cc.cwnd() < 2 * maxPacketsOut;
  }

  /** May new data go now by cwnd: fewer segments in flight than cwnd (Linux tcp_cwnd_test). */
  boolean cwndAllows() {
    return queue.packetsInFlight() < ca.congestionControl().cwnd();
  }

  /**
   * Linux tcp_init_cwnd_reduction: CWR or Recovery begins; PRR starts from the cwnd of now, and
   * the next new data carries CWR (tcp_ecn_queue_cwr).
   */
  void initCwndReduction() {
    CongestionControl cc = ca.congestionControl();
    ca.highSeq = tcb.sndNxt;
    ca.probe.forget();
    ca.undo.priorCwnd = cc.cwnd();
    ca.prr.start(ca.undo.priorCwnd);
    cc.ssthresh(cc.ssthreshAfterLoss());
    ca.states.queueCwr();
  }

  /** Linux tcp_end_cwnd_reduction: cwnd = ssthresh at the end of CWR or a recovery not undone. */
  void endCwndReduction() {
    CongestionControl cc = ca.congestionControl();
    if (cc.ssthresh() < CongestionControl.INFINITE_SSTHRESH && (ca.state() == CaState.CWR || ca.undo.undoArmed)) {
      cc.cwnd(cc.ssthresh());
    }
  }

  /** Linux tcp_current_ssthresh. */
  int currentSsthresh() {
    CongestionControl cc = ca.congestionControl();
    if (ca.inCwndReduction()) return cc.ssthresh();
    return Math.max(cc.ssthresh(), (cc.cwnd() >> 1) + (cc.cwnd() >> 2));
  }

  /**
   * Linux tcp_cong_control: in CWR or Recovery cwnd follows PRR; otherwise it grows for what was
   * delivered in order (or at all, once reordering exceeds tcp_reordering), if cwnd was the limit.
   */
  void controlCwnd() {
    CongestionControl cc = ca.congestionControl();
    if (ca.inCwndReduction()) {
      cc.cwnd(ca.prr.cwnd(sample.delivered, sample.newlyLost, sample.sndUnaAdvanced, cc.ssthresh(),
          queue.packetsInFlight(), cc.cwnd()));
      return;
    }
    boolean mayRaise = ca.reordering() > ca.config().tcpReordering()
        ? sample.sndUnaAdvanced || sample.dataSacked : sample.dataAcked;
    if (mayRaise && isCwndLimited()) cc.congestionAvoidance(sample.delivered, ca.nowNanos());
  }

  /**
   * Linux's tcp_tso_autosize inputs besides sk_gso_max_size and the pacing ratios ({@link
   * org.tcpspec.cc.Pacing}): sk_pacing_shift, tcp_tso_rtt_log, tcp_min_tso_segs.
   */
  private static final int PACING_SHIFT = 10;
  private static final int TSO_RTT_LOG = 9;
  private static final int MIN_TSO_SEGS = 2;

  /**
   * Linux tcp_tso_autosize with min_tso_segs 2: how many segments one TSO burst carries, about a
   * millisecond at the pacing rate (tcp_update_pacing_rate: mss * max(cwnd, packets_out) / SRTT,
   * times tcp_pacing_ss_ratio 200 % while cwnd is below half of ssthresh, tcp_pacing_ca_ratio 120 %
   * after), plus the allowance of a short min_rtt (sk_gso_max_size >> (min_rtt_us >> 9)), at most
   * 64 KB. Before any RTT sample the rate is unlimited.
   */
  int tsoSegs(int mss) {
    CongestionControl cc = ca.congestionControl();
    long srtt = tcb.rtt.srttNanos();
    long bytes = GSO_MAX_SIZE;
    if (srtt > 0) {
      int ratio = cc.cwnd() < cc.ssthresh() / 2 ? PACING_SS_RATIO : PACING_CA_RATIO;
      long rate = (long) mss * Math.max(cc.cwnd(), queue.size()) * ratio / 100 * 1_000_000_000L / srtt;
      bytes = rate >> PACING_SHIFT;
      long minRttNanos = ca.minRttNanos();
      long rShift = minRttNanos == Long.MAX_VALUE ? Long.MAX_VALUE : minRttNanos / 1000 >> TSO_RTT_LOG;
      if (rShift < Integer.SIZE) bytes += GSO_MAX_SIZE >> rShift;
      bytes = Math.min(bytes, GSO_MAX_SIZE);
    }
    return (int) Math.max(bytes / Math.max(1, mss), MIN_TSO_SEGS);
  }
}
