package org.tcpspec.cc;

/**
 * What the sender tells a congestion control algorithm and what it asks back: the congestion
 * window, and whether an ACK event calls for a retransmission of the first unacknowledged segment.
 */
public interface CongestionControl {
  /** cwnd in bytes. */
  long cwnd();

  /** ssthresh in bytes; arbitrarily high until the first loss (RFC 5681 §3.1). */
  long ssthresh();

  /**
   * How many bytes may be in flight now: cwnd, or more where the algorithm allows it without
   * changing cwnd (RFC 3042 Limited Transmit).
   */
  default long sendLimit() {
    return cwnd();
  }

  /**
   * SND.UNA advanced by {@code ackedBytes} to {@code ack}; {@code flightAfter} bytes remain in
   * flight. Returns true when the first unacknowledged segment must be retransmitted now (an
   * RFC 6582 partial ACK).
   */
  boolean onNewAck(int ack, long ackedBytes, long flightAfter);

  /**
   * A duplicate ACK (RFC 5681 §2 definition) while {@code flight} bytes are outstanding and
   * SND.NXT is {@code sndNxt}. Returns true when fast retransmit must happen now.
   */
  boolean onDuplicateAck(int sndNxt, long flight);

  /**
   * The retransmission timer expired with {@code flight} bytes outstanding and SND.NXT at
   * {@code sndNxt} (RFC 5681 §3.1, RFC 6582 §3.2 step 4's recover).
   */
  void onRetransmitTimeout(int sndNxt, long flight);

  /** In fast recovery: since entering it, no ACK reached its recovery point. */
  boolean inRecovery();

  /**
   * Enter fast recovery now (RFC 6675 §5 also enters on IsLost(HighACK + 1), without three
   * duplicate ACKs) with {@code flight} bytes outstanding, until {@code recoveryPoint} is ACKed.
   */
  void enterRecovery(int recoveryPoint, long flight);

  /**
   * RFC 6675: the peer SACKs, so the sender limits recovery by its pipe estimate against cwnd and
   * chooses what to retransmit itself; cwnd then stays at ssthresh during recovery (no inflation
   * by duplicate ACKs, no deflation by partial ACKs).
   */
  void pipeRecovery(boolean on);
}
