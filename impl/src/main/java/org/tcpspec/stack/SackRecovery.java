package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.gt;

/**
 * RFC 6675's loss detection by count, Linux's with tcp_recovery=0 (tcp_update_scoreboard,
 * tcp_mark_head_lost): recovery starts once more than DupThresh - 1 segments are SACKed (the
 * state machine's "sacked_out + 1 > reordering"), and a segment is lost once DupThresh SACKed
 * segments lie above it (IsLost). On a fast retransmit with fewer SACKed, the head is lost. Where
 * nothing else may go, NextSeg rule 4's rescue retransmission: once per recovery, the highest
 * segment not SACKed nor retransmitted is resent (RFC 6675 §4), which Linux leaves to its tail loss
 * probe.
 */
final class SackRecovery implements LossRecovery {
  private final CaStateMachine ca;
  private final RetransmitQueue queue;
  /** RFC 6675 RescueRxt: the recovery point of the episode whose rescue went out. */
  private boolean rescued;
  private int rescuedInRecoveryTo;

  SackRecovery(CaStateMachine ca) {
    this.ca = ca;
    this.queue = ca.queue;
  }

  @Override
  public void detectLoss(AckSample ack) {
    if (ca.state() == CaState.RECOVERY) rescue(ack);
  }

  @Override
  public void afterDecision(AckSample ack, boolean fastRetransmit) {
    int upTo = queue.sackedOut - ca.reordering();
    if (upTo >= 0) markHeadLost(upTo, false, ack);
    else if (fastRetransmit) markHeadLost(1, true, ack);
  }

  /**
   * Linux tcp_mark_head_lost: walking from the head, marks lost the segments not SACKed while at
   * most {@code sackedBelow} SACKed segments lie at or below them (only the head when {@code
   * headOnly}); so each has DupThresh SACKed segments above it.
   */
  private void markHeadLost(int sackedBelow, boolean headOnly, AckSample ack) {
    int count = 0;
    for (int i = 0; i < queue.size(); i++) {
      if ((queue.flags(i) & RetransmitQueue.SACKED) != 0) count++;
      if (count > sackedBelow) break;
      if ((queue.flags(i) & RetransmitQueue.LOST) == 0) ca.markLost(i, ack);
      if (headOnly) break;
    }
  }

  /**
   * RFC 6675 §4 NextSeg rule 4: in recovery, with room in cwnd, nothing lost left to resend and no
   * new data, the highest segment neither SACKed nor retransmitted goes once per recovery.
   */
  private void rescue(AckSample ack) {
    if (rescued && !gt(ca.sndUna(), rescuedInRecoveryTo)) return;
    if (queue.retransOut < queue.lostOut || ca.sendRoom() < 1 || ca.hasNewDataToSend()) return;
    for (int i = queue.size() - 1; i >= 0; i--) {
      if ((queue.flags(i) & (RetransmitQueue.SACKED | RetransmitQueue.EVER_RETRANS | RetransmitQueue.LOST)) != 0) {
        continue;
      }
      rescued = true;
      rescuedInRecoveryTo = ca.highSeq;
      ca.markLost(i, ack);
      return;
    }
  }
}
