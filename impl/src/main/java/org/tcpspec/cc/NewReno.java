package org.tcpspec.cc;

import static org.tcpspec.wire.SeqNum.ge;

/**
 * NewReno: slow start and congestion avoidance (RFC 5681 §3.1), fast retransmit and fast recovery
 * on the third duplicate ACK (§3.2) with RFC 6582's partial-ACK handling, Limited Transmit (RFC
 * 3042), and an initial window of
 * min(10 * MSS, max(2 * MSS, 14600)) bytes (RFC 6928 §2).
 *
 * <p>After a retransmission timeout the sender resends only the first unacknowledged segment and
 * SND.NXT does not move back (no go-back-N), so every other segment lost from the same flight
 * would wait for a timeout of its own. Until the flight outstanding at the timeout ({@code
 * recover}) is acknowledged, each new ACK below it therefore asks for the next hole at once,
 * as a partial ACK does in fast recovery: one hole per round trip instead of one per RTO (Linux
 * retransmits every segment it marked lost in its Loss state). Duplicate ACKs in that time do
 * not start a fast retransmit (RFC 6582 §3.2 step 1: the ACK does not cover recover).
 */
public final class NewReno implements CongestionControl {
  private static final int DUP_THRESHOLD = 3;
  private final long mss;
  private long cwnd;
  private long ssthresh = Long.MAX_VALUE / 4; // RFC 5681 §3.1: arbitrarily high at first.
  private int dupAcks;
  private boolean inRecovery;
  /** After a timeout, until {@code recover} is acknowledged. */
  private boolean afterTimeout;
  private int recover;
  private boolean pipeRecovery;

  public NewReno(int mss) {
    this.mss = Math.max(1, mss);
    this.cwnd = Math.min(10 * this.mss, Math.max(2 * this.mss, 14600));
  }

  @Override
  public long cwnd() {
    return cwnd;
  }

  @Override
  public long ssthresh() {
    return ssthresh;
  }

  /**
   * RFC 3042 Limited Transmit: the first and second duplicate ACKs each let one new segment out
   * beyond cwnd, so a small window still yields the third duplicate ACK that fast retransmit
   * needs instead of waiting for a timeout. Not during recovery or after a timeout.
   */
  @Override
  public long sendLimit() {
    return inRecovery || afterTimeout ? cwnd : cwnd + Math.min(dupAcks, DUP_THRESHOLD - 1) * mss;
  }

  @Override
  public boolean onNewAck(int ack, long ackedBytes, long flightAfter) {
    dupAcks = 0;
    if (inRecovery) {
      if (ge(ack, recover)) {
        // RFC 6582 §3.2 step 3, full ACK: deflate (option 1). RFC 6675: cwnd is ssthresh already.
        cwnd = pipeRecovery ? ssthresh : Math.min(ssthresh, Math.max(flightAfter, mss) + mss);
        inRecovery = false;
        return false;
      }
      if (pipeRecovery) return true;
      // Partial ACK: retransmit the next hole, deflate by what was acked, add back one MSS.
      cwnd = Math.max(mss, cwnd - ackedBytes + (ackedBytes >= mss ? mss : 0));
      return true;
    }
    boolean nextHole = afterTimeout && !ge(ack, recover);
    if (!nextHole) afterTimeout = false;
    if (cwnd < ssthresh) {
      cwnd += Math.min(ackedBytes, mss); // RFC 5681 (2)
    } else {
      cwnd += Math.max(1, mss * mss / cwnd); // RFC 5681 (3)
    }
    return nextHole;
  }

  @Override
  public boolean onDuplicateAck(int sndNxt, long flight) {
    if (inRecovery) {
      if (!pipeRecovery) cwnd += mss; // RFC 5681 §3.2 step 4: inflate.
      return false;
    }
    if (++dupAcks != DUP_THRESHOLD || afterTimeout) return false;
    enterRecovery(sndNxt, flight);
    return true;
  }

  @Override
  public void enterRecovery(int recoveryPoint, long flight) {
    ssthresh = Math.max(flight / 2, 2 * mss); // RFC 5681 (4), RFC 6675 §5 step 4.2
    cwnd = pipeRecovery ? ssthresh : ssthresh + DUP_THRESHOLD * mss;
    recover = recoveryPoint; // RFC 6582 §3.2 step 2, RFC 6675 RecoveryPoint
    inRecovery = true;
  }

  @Override
  public boolean inRecovery() {
    return inRecovery;
  }

  @Override
  public void pipeRecovery(boolean on) {
    pipeRecovery = on;
  }

  @Override
  public void onRetransmitTimeout(int sndNxt, long flight) {
    ssthresh = Math.max(flight / 2, 2 * mss);
    cwnd = mss; // RFC 5681 §3.1: loss window.
    dupAcks = 0;
    inRecovery = false;
    afterTimeout = true;
    recover = sndNxt; // RFC 6582 §3.2 step 4
  }
}
