package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.gt;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.stack.CaStateMachine.Resend;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * What one ACK does to the congestion state, as Linux's tcp_ack runs it once SND.UNA and the
 * window are updated ({@link AckProcessing} did that): its SACK blocks and cumulative
 * acknowledgment taken into the queue, then tcp_fastretrans_alert deciding whether a recovery
 * begins, goes on or ends (the states entered and left through {@link RecoveryStates}, the Loss
 * state's ACKs through {@link RtoLoss}, an undo through {@link Undo}), then cwnd and what goes out
 * again. One per connection.
 */
final class AckResponse extends CaPart {
  AckResponse(CaStateMachine ca, Tcb tcb) {
    super(ca, tcb);
  }

  /**
   * Linux tcp_ack after SND.UNA and the window were updated: the ACK's SACK blocks and cumulative
   * acknowledgment taken into the queue, then the state machine, cwnd, and what goes out again.
   * {@code priorSndUna} is SND.UNA before the ACK; {@code windowUpdate} that it changed the window.
   */
  void onAck(SegmentView seg, int priorSndUna, boolean windowUpdate) {
    ca.beginSample(priorSndUna);
    if (tcb.tsOk && seg.hasTimestamp() && seg.tsEcr() != 0) {
      sample.hasTsEcr = true;
      sample.tsEcr = seg.tsEcr();
    }
    sample.sndUnaAdvanced = gt(tcb.sndUna, priorSndUna);
    sample.windowUpdate = windowUpdate;
    sample.carriedData = seg.segLen() > 0;
    // Linux tcp_ecn_rcv_ecn_echo: ECE on an ECN connection, not on a SYN; an ACK that found
    // nothing in flight takes tcp_ack's no_queue path, which makes no congestion response.
    sample.ece = tcb.ecnOk && seg.has(TcpFlags.ECE) && !seg.has(TcpFlags.SYN) && queue.size() > 0;
    int priorRenoSacked = queue.sackedOut;
    boolean sack = ca.sack();
    if (sack) ca.tags.takeSacks(seg, priorSndUna);
    queue.ackedTo(tcb.sndUna, sample);
    if (sample.dataAcked) {
      sample.setXmitTimer = true;
      if (!sack) {
        ca.tags.removeRenoSacks(sample.ackedSegments, priorRenoSacked);
        // Linux tcp_clean_rtx_queue: without SACK an ACK that covers a retransmission cannot show
        // that an original got through, so it proves no timeout spurious (F-RTO).
        if (sample.retransDataAcked) sample.origSackAcked = false;
      }
    }
    if (sample.freshRttNanos >= 0) ca.rttSample(sample.freshRttNanos);
    if (sample.reordered) ca.tags.checkSackReordering(sample.reorderLow);
    ca.recovery().onDelivered(sample);
    if (ca.probe.outstanding()) ca.probe.onAck(seg.ack(), sample);
    Resend resend = Resend.NONE;
    boolean notDuplicate = sample.carriedData || sample.windowUpdate || sample.dataAcked;
    boolean alert = sample.dataSacked || sample.dsack || sample.ece;
    if (!notDuplicate || alert || ca.state() != CaState.OPEN) {
      int dupAcks = sample.sndUnaAdvanced || notDuplicate || sample.dsack ? 0 : 1;
      resend = alert(priorSndUna, dupAcks);
    }
    if (sample.setXmitTimer) ca.timer.setXmitTimer();
    ca.countDelivered(sample);
    ca.cwnd.controlCwnd();
    CongestionControl cc = ca.congestionControl();
    if (sample.ackedSegments > 0) cc.onAcked(sample.ackedSegments, sample.freshRttNanos, ca.nowNanos());
    ca.retransmissions.resend(resend);
  }

  /** An ACK below SND.UNA that carries SACK blocks (Linux's old_ack path): DSACKs may undo. */
  void onOldAck(SegmentView seg) {
    if (!ca.sack()) return;
    ca.beginSample(tcb.sndUna);
    ca.tags.takeSacks(seg, tcb.sndUna);
    ca.recovery().onDelivered(sample);
    if (!sample.dataSacked && !sample.dsack) return;
    Resend resend = alert(tcb.sndUna, 0);
    ca.countDelivered(sample);
    ca.retransmissions.resend(resend);
  }

  /** Linux tcp_fastretrans_alert. */
  private Resend alert(int priorSndUna, int dupAcks) {
    Undo undo = ca.undo;
    LossRecovery recovery = ca.recovery();
    boolean sack = ca.sack();
    if (queue.size() == 0 && queue.sackedOut > 0) queue.sackedOut = 0;
    // A. An ECN echo proves the congestion: no undo of the reduction it causes.
    if (sample.ece) undo.priorSsthresh = 0;
    // D. Leave a state once high_seq is acknowledged.
    if (ca.state() == CaState.OPEN) {
      undo.retransStamped = false;
    } else if (ge(tcb.sndUna, ca.highSeq)) {
      if (ca.state() == CaState.CWR) {
        if (tcb.sndUna != ca.highSeq) {
          ca.cwnd.endCwndReduction();
          ca.state(CaState.OPEN);
        }
      } else if (ca.state() == CaState.RECOVERY) {
        if (!sack) queue.sackedOut = 0;
        if (undo.tryUndoRecovery()) return Resend.NONE;
        ca.cwnd.endCwndReduction();
      }
    }
    // E. Process the state.
    boolean fastRetransmit = false;
    switch (ca.state()) {
      case RECOVERY -> {
        if (!sample.sndUnaAdvanced) {
          if (!sack) ca.tags.addRenoSacks(dupAcks);
        } else if (undo.tryUndoPartial()) {
          return Resend.NONE;
        }
        if (undo.tryUndoDsack()) ca.states.tryToOpen(sample.ece);
        recovery.detectLoss(sample);
        if (ca.state() != CaState.RECOVERY) {
          if (!timeToRecover()) return Resend.NONE;
          ca.states.enterRecovery(sample.ece);
          fastRetransmit = true;
        }
      }
      case LOSS -> {
        Resend r = ca.loss.processLoss(dupAcks);
        recovery.detectLoss(sample);
        if (ca.state() != CaState.OPEN && !sample.lostRetrans) return r;
        // The timeout was undone, or a retransmission was lost again: as in Open.
        fastRetransmit = openOrDisorder(dupAcks);
        if (!fastRetransmit && ca.state() != CaState.RECOVERY) return Resend.NONE;
      }
      case OPEN, DISORDER, CWR -> {
        fastRetransmit = openOrDisorder(dupAcks);
        if (!fastRetransmit) return Resend.NONE;
      }
    }
    recovery.afterDecision(sample, fastRetransmit);
    return Resend.LOST;
  }

  /** The default branch of tcp_fastretrans_alert: true when recovery starts now. */
  private boolean openOrDisorder(int dupAcks) {
    if (!ca.sack()) {
      if (sample.sndUnaAdvanced) queue.sackedOut = 0;
      ca.tags.addRenoSacks(dupAcks);
    }
    if (ca.state().ordinal() <= CaState.DISORDER.ordinal()) ca.undo.tryUndoDsack();
    ca.recovery().detectLoss(sample);
    if (!timeToRecover()) {
      ca.states.tryToOpen(sample.ece);
      return false;
    }
    ca.states.enterRecovery(sample.ece);
    return true;
  }

  /** Linux tcp_time_to_recover: a segment is marked lost; or, without RACK, DupThresh reached. */
  private boolean timeToRecover() {
    if (queue.lostOut > 0) return true;
    boolean rack = (ca.config().tcpRecovery() & StackConfig.RACK_LOSS_DETECTION) != 0;
    return !rack && queue.sackedOut + 1 > ca.reordering();
  }
}
