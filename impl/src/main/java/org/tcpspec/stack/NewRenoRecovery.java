package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.ge;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;

/**
 * Loss recovery without SACK: fast retransmit and fast recovery on the third duplicate ACK (RFC
 * 5681 §3.2) with RFC 6582's partial ACKs (one hole per round trip), and Limited Transmit (RFC
 * 3042). Linux: tcp_newreno_mark_lost for a connection that did not negotiate SACK.
 *
 * <p>After a retransmission timeout the sender resends only the first unacknowledged segment and
 * SND.NXT does not move back (no go-back-N), so every other segment lost from the same flight
 * would wait for a timeout of its own. Until the flight outstanding at the timeout ({@code
 * recover}) is acknowledged, each new ACK below it therefore resends the next hole at once, as a
 * partial ACK does in fast recovery: one hole per round trip instead of one per RTO (Linux
 * retransmits every segment it marked lost in its Loss state). Duplicate ACKs in that time do not
 * start a fast retransmit (RFC 6582 §3.2 step 1: the ACK does not cover recover).
 */
final class NewRenoRecovery implements LossRecovery {
  private final Sender sender;
  private final Tcb tcb;
  private final CongestionControl cc;
  private final long mss;
  private int dupAcks;
  private boolean inRecovery;
  /** After a timeout, until {@code recover} is acknowledged. */
  private boolean afterTimeout;
  /** RFC 6582 §3.2 recover. */
  private int recover;

  NewRenoRecovery(Sender sender, Tcb tcb, CongestionControl cc) {
    this.sender = sender;
    this.tcb = tcb;
    this.cc = cc;
    this.mss = Math.max(1, tcb.sndMss);
  }

  @Override
  public boolean sacked(SegmentView ack, int sndUna) {
    return false;
  }

  /**
   * RFC 3042 Limited Transmit: the first and second duplicate ACKs each let one new segment out
   * beyond cwnd, so a small window still yields the third duplicate ACK that fast retransmit
   * needs instead of waiting for a timeout. Not during recovery or after a timeout.
   */
  @Override
  public long sendRoom() {
    long limit = inRecovery || afterTimeout
        ? cc.cwnd() : cc.cwnd() + Math.min(dupAcks, SackRecovery.DUP_THRESH - 1) * mss;
    return limit - tcb.inFlight();
  }

  @Override
  public void onNewAck(int ack, long ackedBytes) {
    dupAcks = 0;
    if (inRecovery) {
      if (ge(ack, recover)) {
        // RFC 6582 §3.2 step 3, full ACK: deflate (option 1).
        cc.cwnd(Math.min(cc.ssthresh(), Math.max(tcb.inFlight(), mss) + mss));
        inRecovery = false;
        return;
      }
      // Partial ACK (step 4): deflate by what was acked, add back one MSS, retransmit the next hole.
      cc.cwnd(cc.cwnd() - ackedBytes + (ackedBytes >= mss ? mss : 0));
      sender.retransmitHead();
      return;
    }
    boolean nextHole = afterTimeout && !ge(ack, recover);
    if (!nextHole) afterTimeout = false;
    cc.onAck(ackedBytes);
    if (nextHole) sender.retransmitHead();
  }

  @Override
  public void onDuplicateAck() {
    if (inRecovery) {
      cc.cwnd(cc.cwnd() + mss); // RFC 5681 §3.2 step 4: inflate.
      return;
    }
    if (++dupAcks != SackRecovery.DUP_THRESH || afterTimeout) return;
    // RFC 5681 §3.2 steps 2-3, RFC 6582 §3.2 step 2.
    long ssthresh = cc.onLoss(tcb.inFlight());
    cc.cwnd(ssthresh + SackRecovery.DUP_THRESH * mss);
    recover = tcb.sndNxt;
    inRecovery = true;
    sender.retransmitHead();
  }

  @Override
  public void onRetransmitTimeout() {
    cc.onLoss(tcb.inFlight());
    cc.cwnd(mss); // RFC 5681 §3.1: loss window.
    dupAcks = 0;
    inRecovery = false;
    afterTimeout = true;
    recover = tcb.sndNxt; // RFC 6582 §3.2 step 4
  }

  @Override
  public void onRetransmitted(int end) {}

  @Override
  public boolean inRecovery() {
    return inRecovery;
  }
}
