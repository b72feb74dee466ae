package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.lt;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.time.Clock;

/**
 * Undo (RFC 2883, RFC 3522, RFC 3708), as Linux's tcp_try_undo_* run it: a recovery or timeout
 * proved spurious, because DSACKs reported every retransmission of the episode needless or an ACK
 * echoed a timestamp from before the first of them (Eifel), or by F-RTO's verdict, gives back the
 * cwnd and ssthresh it took (prior_cwnd, prior_ssthresh). Holds the episode's undo_marker,
 * undo_retrans and retrans_stamp; where Linux's undo returns to Open, it sets the state through
 * {@link CaStateMachine}. One per connection.
 */
final class Undo extends CaPart {
  private final Sender sender;
  private final Clock clock;
  /** Linux undo_marker (valid while undoArmed): SND.UNA when the episode began. */
  boolean undoArmed;
  int undoMarker;
  /** Linux undo_retrans: retransmissions of the episode not yet proved needless by a DSACK; -1 none. */
  int undoRetrans;
  int priorSsthresh;
  int priorCwnd;
  /** Linux retrans_stamp, in our timestamp clock: the first retransmission of the episode. */
  boolean retransStamped;
  private int retransStamp;
  private long retransStampNanos;

  Undo(CaStateMachine ca, Sender sender, Tcb tcb, Clock clock) {
    super(ca, tcb);
    this.sender = sender;
    this.clock = clock;
  }

  /** When this episode's first retransmission went (Linux retrans_stamp), or {@code otherwise}. */
  long firstRetransmissionNanos(long otherwise) {
    return retransStamped ? retransStampNanos : otherwise;
  }

  /** A segment was retransmitted (tcp_retransmit_skb): the episode's stamp, and one more to prove needless. */
  void retransmitted() {
    if (!retransStamped) {
      retransStamped = true;
      retransStamp = (int) clock.nowMillis();
      retransStampNanos = clock.nowNanos();
    }
    if (undoRetrans < 0) undoRetrans = 0;
    undoRetrans++;
  }

  /** Linux tcp_init_undo. */
  void initUndo() {
    undoArmed = true;
    undoMarker = tcb.sndUna;
    undoRetrans = queue.retransOut + (ca.probe.outstanding() && ca.probe.retransmitted() ? 1 : 0);
    if (undoRetrans == 0) undoRetrans = -1;
  }

  /** Linux tcp_may_undo: nothing retransmitted reached the peer needlessly unproved. */
  private boolean mayUndo() {
    return undoArmed && (undoRetrans == 0 || packetDelayed());
  }

  /** Linux tcp_packet_delayed (Eifel, RFC 3522): the ACK echoes a timestamp from before the first retransmission. */
  private boolean packetDelayed() {
    if (!retransStamped) return true;
    return sample.hasTsEcr && lt(sample.tsEcr, retransStamp);
  }

  /** Linux tcp_undo_cwnd_reduction. */
  private void undoCwndReduction(boolean unmarkLoss) {
    if (unmarkLoss) queue.unmarkLost();
    if (priorSsthresh > 0) {
      CongestionControl cc = ca.congestionControl();
      cc.cwnd(cc.undoCwnd(priorCwnd));
      if (priorSsthresh > cc.ssthresh()) {
        cc.ssthresh(priorSsthresh);
        ca.states.withdrawCwr();
      }
    }
    undoArmed = false;
  }

  /** Linux tcp_try_undo_recovery: at the end of recovery or loss, undo if it was needless. */
  boolean tryUndoRecovery() {
    if (mayUndo()) {
      undoCwndReduction(false);
      if (ca.state() == CaState.LOSS) retransStamped = false;
    } else {
      ca.recovery().recoveryEnded(false);
    }
    if (holdsRenoRecovery()) return true;
    ca.state(CaState.OPEN);
    return false;
  }

  /**
   * Linux tcp_is_non_sack_preventing_reopen: without SACK, the state holds until something above
   * high_seq is acknowledged, against false fast retransmits (RFC 6582 §3.2 step 1).
   */
  private boolean holdsRenoRecovery() {
    if (ca.sack() || tcb.sndUna != ca.highSeq) return false;
    if (!ca.anyRetransmissionOut()) retransStamped = false;
    return true;
  }

  /** Linux tcp_try_undo_dsack: every retransmission of the episode was DSACKed. */
  boolean tryUndoDsack() {
    if (undoArmed && undoRetrans == 0) {
      ca.recovery().recoveryEnded(true);
      undoCwndReduction(false);
      return true;
    }
    return false;
  }

  /** Linux tcp_try_undo_partial: a partial ACK echoing a time before the retransmissions. */
  boolean tryUndoPartial() {
    if (undoArmed && packetDelayed()) {
      ca.tags.checkSackReordering(sample.priorFack);
      if (queue.retransOut > 0) return true;
      if (!ca.anyRetransmissionOut()) retransStamped = false;
      undoCwndReduction(true);
      ca.states.tryToOpen(false);
    }
    return false;
  }

  /** Linux tcp_try_undo_loss: the timeout was spurious (by F-RTO when {@code frtoUndo}). */
  boolean tryUndoLoss(boolean frtoUndo) {
    if (frtoUndo || mayUndo()) {
      undoCwndReduction(true);
      sender.retriesCleared();
      if (holdsRenoRecovery()) return true;
      if (frtoUndo || ca.sack()) ca.state(CaState.OPEN);
      return true;
    }
    return false;
  }
}
