package org.tcpspec.cc;

/**
 * A congestion control algorithm as Linux's tcp_congestion_ops: it owns cwnd and ssthresh, in
 * segments as Linux counts them (tcp_snd_cwnd), grows cwnd on ACKs that deliver data outside
 * recovery (cong_avoid), says what ssthresh becomes on a loss (ssthresh) and what cwnd an undo
 * restores (undo_cwnd). cwnd in recovery (PRR) and after a timeout is the loss response's, set
 * through {@link #cwnd(int)}.
 */
public interface CongestionControl {
  /** Linux TCP_INIT_CWND (RFC 6928: 10 segments). */
  int INITIAL_WINDOW = 10;
  /** Linux TCP_INFINITE_SSTHRESH: ssthresh before the first loss (RFC 5681 §3.1 "arbitrarily high"). */
  int INFINITE_SSTHRESH = 0x7fff_ffff;

  /** The algorithm's name, as tcp_congestion_control spells it. */
  String name();

  /** cwnd in segments. */
  int cwnd();

  /** Sets cwnd (recovery, undo, the loss window); at least one segment. */
  void cwnd(int segments);

  /** ssthresh in segments. */
  int ssthresh();

  void ssthresh(int segments);

  /** In slow start (Linux tcp_in_slow_start: cwnd below ssthresh). */
  default boolean inSlowStart() {
    return cwnd() < ssthresh();
  }

  /**
   * tcp_congestion_ops.cong_avoid: {@code acked} segments were delivered while the sender was
   * limited by cwnd (Linux tcp_is_cwnd_limited), outside cwnd reduction, at {@code nowNanos}.
   */
  void congestionAvoidance(int acked, long nowNanos);

  /** tcp_congestion_ops.ssthresh: the ssthresh a loss leads to, from the state now. */
  int ssthreshAfterLoss();

  /** tcp_congestion_ops.undo_cwnd: cwnd after an undo, given cwnd before the reduction. */
  int undoCwnd(int priorCwnd);

  /** CA_EVENT_LOSS: a retransmission timeout. */
  default void onLossTimeout() {}

  /** tcp_congestion_ops.pkts_acked: {@code acked} segments acked, RTT sample in ns or -1. */
  default void onAcked(int acked, long rttNanos, long nowNanos) {}

  /** CA_EVENT_TX_START: data goes out after the connection was idle (nothing in flight). */
  default void onTransmitStart(long nowNanos) {}

  /** The loss response entered a state: Linux set_state (CUBIC resets on TCP_CA_Loss). */
  default void onLossState() {}
}
