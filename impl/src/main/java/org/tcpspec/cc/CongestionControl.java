package org.tcpspec.cc;

/**
 * A congestion control algorithm as Linux's tcp_congestion_ops sees one: it owns cwnd and
 * ssthresh, grows cwnd on ACKs outside recovery (cong_avoid) and says what ssthresh becomes on a
 * loss (ssthresh). What to retransmit, and cwnd during recovery, are loss recovery's
 * ({@code stack.LossRecovery}), which sets cwnd through {@link #cwnd(long)}.
 */
public interface CongestionControl {
  /** cwnd in bytes. */
  long cwnd();

  /** ssthresh in bytes; arbitrarily high until the first loss (RFC 5681 §3.1). */
  long ssthresh();

  /** Loss recovery sets cwnd (RFC 5681 §3.2 inflation, RFC 6675 §5, the loss window of §3.1). */
  void cwnd(long bytes);

  /** {@code ackedBytes} of new data were acknowledged outside recovery: slow start or avoidance. */
  void onAck(long ackedBytes);

  /**
   * A loss was detected with {@code flight} bytes outstanding: ssthresh drops (RFC 5681 (4)) and
   * the new value is returned. cwnd is recovery's to set.
   */
  long onLoss(long flight);
}
