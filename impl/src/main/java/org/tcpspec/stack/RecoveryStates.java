package org.tcpspec.stack;

import org.tcpspec.tcb.Tcb;

/**
 * Entering and leaving the reduction states, as Linux's tcp_input.c does it: Recovery
 * (tcp_enter_recovery), CWR on an ECN echo (tcp_enter_cwr, RFC 3168 §6.1.2) and after a tail loss
 * probe repaired a loss (tcp_process_tlp_ack), and back to Disorder or Open (tcp_try_to_open,
 * tcp_try_keep_open); with the CWR flag every reduction owes the next new data (tcp_ecn_queue_cwr)
 * and an undo takes back (tcp_ecn_withdraw_cwr). When these run is the {@link AckResponse}'s to
 * decide; the Loss state is {@link RtoLoss}'s and {@link NonCongestionLoss}'s. One per connection.
 */
final class RecoveryStates extends CaPart {
  RecoveryStates(CaStateMachine ca, Tcb tcb) {
    super(ca, tcb);
  }

  /**
   * Linux tcp_enter_recovery and tcp_init_cwnd_reduction: RFC 6675 §5 step 4.2, PRR's start; no
   * undo of ssthresh when the ACK that starts it echoes congestion ({@code ece}). From CWR the
   * reduction under way goes on.
   */
  void enterRecovery(boolean ece) {
    Undo undo = ca.undo;
    undo.priorSsthresh = 0;
    undo.initUndo();
    if (!ca.inCwndReduction()) {
      if (!ece) undo.priorSsthresh = ca.cwnd.currentSsthresh();
      ca.cwnd.initCwndReduction();
    }
    ca.state(CaState.RECOVERY);
  }

  /**
   * Linux tcp_try_to_open: out of a recovery, but not out of CWR, which ends on its own; an ACK
   * with ECE ({@code ece}) enters CWR first.
   */
  void tryToOpen(boolean ece) {
    if (!ca.anyRetransmissionOut()) ca.undo.retransStamped = false;
    if (ece) enterCwr();
    if (ca.state() == CaState.CWR) return;
    tryKeepOpen();
  }

  /**
   * Linux tcp_enter_cwr, the response to an ECN echo (RFC 3168 §6.1.2): the congestion is proven,
   * so nothing undoes the reduction; from Open or Disorder, ssthresh from the congestion control,
   * PRR down to it and a CWR queued ({@link CwndControl#initCwndReduction}), in the CWR state
   * until an ACK above high_seq, so at most once per window of data.
   */
  private void enterCwr() {
    ca.undo.priorSsthresh = 0;
    if (ca.state().ordinal() < CaState.CWR.ordinal()) {
      ca.undo.undoArmed = false;
      ca.cwnd.initCwndReduction();
      ca.state(CaState.CWR);
    }
  }

  /** Linux tcp_ecn_queue_cwr: the window was reduced; on an ECN connection the next new data carries CWR. */
  void queueCwr() {
    if (tcb.ecnOk) tcb.ecnQueueCwr = true;
  }

  /** Linux tcp_ecn_withdraw_cwr: an undo gave ssthresh back, so no CWR is owed. */
  void withdrawCwr() {
    tcb.ecnQueueCwr = false;
  }

  /** Linux tcp_try_keep_open: Disorder while SACKed or lost segments or retransmissions remain, else Open. */
  private void tryKeepOpen() {
    CaState next = queue.sackedOut + queue.lostOut > 0 || ca.anyRetransmissionOut() ? CaState.DISORDER : CaState.OPEN;
    if (ca.state() != next) {
      ca.state(next);
      ca.highSeq = tcb.sndNxt;
    }
  }

  /**
   * The tail loss probe repaired a loss: Linux tcp_process_tlp_ack's CWR, begun and ended at once,
   * then tcp_try_keep_open (not tcp_try_to_open, which would leave the state in CWR and keep
   * retrans_stamp). From CWR the next state always differs, so SND.NXT becomes the new high_seq.
   */
  void lossRepairedByProbe() {
    ca.cwnd.initCwndReduction();
    ca.state(CaState.CWR);
    ca.cwnd.endCwndReduction();
    tryKeepOpen();
  }
}
