package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.gt;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.stack.CaStateMachine.Resend;
import org.tcpspec.tcb.Tcb;

/**
 * The Loss state an RTO enters (Linux tcp_enter_loss, tcp_timeout_mark_lost) and the ACKs it
 * takes there (tcp_process_loss), with F-RTO (RFC 5682) telling a spurious timeout by the ACKs
 * after it. The state itself is {@link CaStateMachine}'s. One per connection.
 */
final class RtoLoss extends CaPart {
  /** F-RTO (RFC 5682) is judging the current timeout. */
  boolean frto;

  RtoLoss(CaStateMachine ca, Tcb tcb) {
    super(ca, tcb);
  }

  /**
   * Linux tcp_enter_loss on an RTO, before the head is resent: ssthresh drops unless this episode
   * dropped it already, every segment not SACKed and not sent within the last RACK.rtt is lost,
   * cwnd becomes the flight plus one, the next new data carries CWR (tcp_ecn_queue_cwr), and F-RTO
   * (RFC 5682 §3.1 step 1) starts unless a recovery was under way; {@code retries} is the RTO count
   * before this one.
   */
  void enterLoss(int retries) {
    CaState state = ca.state();
    CongestionControl cc = ca.congestionControl();
    Undo undo = ca.undo;
    boolean newRecovery = state.ordinal() < CaState.RECOVERY.ordinal();
    markLostOnTimeout();
    if (state.ordinal() <= CaState.DISORDER.ordinal() || !gt(ca.highSeq, tcb.sndUna)
        || (state == CaState.LOSS && retries == 0)) {
      undo.priorSsthresh = ca.cwnd.currentSsthresh();
      undo.priorCwnd = cc.cwnd();
      cc.ssthresh(cc.ssthreshAfterLoss());
      cc.onLossTimeout();
      undo.initUndo();
    }
    cc.cwnd(queue.packetsInFlight() + 1);
    int sysctlReordering = ca.config().tcpReordering();
    if (state.ordinal() <= CaState.DISORDER.ordinal() && queue.sackedOut >= sysctlReordering) {
      ca.tags.reordering = Math.min(ca.tags.reordering, sysctlReordering);
    }
    ca.state(CaState.LOSS);
    ca.highSeq = tcb.sndNxt;
    ca.probe.forget();
    ca.states.queueCwr();
    frto = ca.config().tcpFrto() > 0 && (newRecovery || retries > 0);
  }

  /** Linux tcp_timeout_mark_lost: a SACKed head means the peer reneged (RFC 2018 §8). */
  private void markLostOnTimeout() {
    boolean reneged = queue.size() > 0 && (queue.flags(0) & RetransmitQueue.SACKED) != 0;
    if (reneged) queue.forgetSacks();
    else if (!ca.sack()) queue.sackedOut = 0;
    ca.beginSample(tcb.sndUna);
    RackRecovery rack = ca.recovery() instanceof RackRecovery r ? r : null;
    for (int i = 0; i < queue.size(); i++) {
      if (!reneged && i > 0 && rack != null && rack.sentWithinRtt(i, ca.nowNanos())) continue;
      ca.markLost(i, sample);
    }
  }

  /** Linux tcp_process_loss: in the Loss state after a timeout, F-RTO's steps 2 and 3. */
  Resend processLoss(int dupAcks) {
    boolean recovered = ge(tcb.sndUna, ca.highSeq);
    if (sample.sndUnaAdvanced && ca.undo.tryUndoLoss(false)) return Resend.NONE;
    if (frto) {
      // Step 3.b: never-retransmitted data (s)acked: the timeout was spurious.
      if (sample.origSackAcked && ca.undo.tryUndoLoss(true)) return Resend.NONE;
      if (gt(tcb.sndNxt, ca.highSeq)) {
        if (sample.dataSacked || dupAcks > 0) frto = false; // Step 3.a: the loss was real.
      } else if (sample.sndUnaAdvanced && !recovered) {
        ca.highSeq = tcb.sndNxt;
        // Step 2.b: send new data instead of retransmitting, if there is any.
        if (ca.hasNewDataToSend()) return Resend.NEW;
        frto = false;
      }
    }
    if (recovered) {
      ca.undo.tryUndoRecovery();
      return Resend.NONE;
    }
    if (!ca.sack()) {
      if (gt(tcb.sndNxt, ca.highSeq) && dupAcks > 0) ca.tags.addRenoSacks(dupAcks);
      else if (sample.sndUnaAdvanced) queue.sackedOut = 0;
    }
    return Resend.LOST;
  }
}
