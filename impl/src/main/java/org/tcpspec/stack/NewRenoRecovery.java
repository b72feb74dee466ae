package org.tcpspec.stack;

/**
 * Loss detection without SACK (RFC 6582 as Linux's tcp_newreno_mark_lost): the duplicate ACKs
 * stand for SACKed segments (the state machine counts them as Linux's tcp_add_reno_sack does),
 * the head is lost once DupThresh of them arrived, and in recovery each partial ACK finds the new
 * head lost: one hole per round trip. RFC 3042's Limited Transmit follows from the count: each
 * duplicate ACK takes a segment out of the flight and so lets a new one out.
 */
final class NewRenoRecovery implements LossRecovery {
  private final CaStateMachine ca;
  private final RetransmitQueue queue;

  NewRenoRecovery(CaStateMachine ca) {
    this.ca = ca;
    this.queue = ca.queue;
  }

  @Override
  public void detectLoss(AckSample ack) {
    boolean recovering = ca.state() == CaState.RECOVERY;
    boolean headLost = (!recovering && queue.sackedOut >= ca.reordering()) || (recovering && ack.sndUnaAdvanced);
    if (!headLost || queue.size() == 0 || (queue.flags(0) & RetransmitQueue.LOST) != 0) return;
    ca.markLost(0, ack);
  }
}
