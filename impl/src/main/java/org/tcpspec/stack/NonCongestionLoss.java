package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.lt;

import org.tcpspec.tcb.Tcb;

/**
 * Segments lost for a reason other than congestion, as Linux resends them (tcp_simple_retransmit,
 * tcp_non_congestion_loss_retransmit): a Fast Open SYN's data the server did not take
 * (tcp_rcv_fastopen_synack) and segments longer than a lowered path MTU. They are marked lost and
 * go again as cwnd allows, cwnd unreduced, in the Loss state with the current ssthresh and nothing
 * to undo. One per connection.
 */
final class NonCongestionLoss extends CaPart {
  NonCongestionLoss(CaStateMachine ca, Tcb tcb) {
    super(ca, tcb);
  }

  /**
   * Linux tcp_rcv_fastopen_synack: [SND.UNA, {@code end}) of our SYN's data, sent with the SYN at
   * {@code sentNanos} as an skb of its own with PSH (tcp_send_syn_data), was not acknowledged by
   * the SYN-ACK: it joins the queue marked lost (tcp_mark_skb_lost). The caller resends it with
   * {@link #retransmit}.
   */
  void synDataLost(int end, long sentNanos) {
    queue.sent(tcb.sndUna, end, sentNanos, true, true);
    ca.beginSample(tcb.sndUna);
    ca.markLost(queue.size() - 1, sample);
  }

  /**
   * Linux tcp_non_congestion_loss_retransmit: segments lost for a reason other than congestion (a
   * Fast Open SYN's data the server did not take, segments longer than a lowered path MTU) go again as cwnd allows, cwnd unreduced; the
   * Loss state (ssthresh the current one, nothing to undo) tracks when they are all acknowledged.
   */
  void retransmit() {
    if (ca.state() != CaState.LOSS) {
      ca.highSeq = tcb.sndNxt;
      ca.congestionControl().ssthresh(ca.cwnd.currentSsthresh());
      ca.undo.priorSsthresh = 0;
      ca.undo.undoArmed = false;
      ca.state(CaState.LOSS);
    }
    ca.retransmissions.retransmitLost();
  }

  /**
   * Linux tcp_simple_retransmit (path MTU discovery lowered the MSS to {@code mss}): every segment
   * longer than it is marked lost; if one is, Loss begins unless it is on already, keeping cwnd and
   * the current ssthresh and arming no undo (tcp_non_congestion_loss_retransmit: the data in flight
   * did not grow, its unit shrank), and the lost segments go again at once, cut to the MSS.
   */
  void simpleRetransmit(int mss) {
    for (int i = 0; i < queue.size(); i++) {
      int from = lt(queue.start(i), tcb.sndUna) ? tcb.sndUna : queue.start(i);
      boolean carriesFin = tcb.finSent && queue.end(i) == tcb.sndNxt;
      if (distance(from, queue.end(i)) - (carriesFin ? 1 : 0) > mss) queue.markLost(i, null);
    }
    if (queue.lostOut == 0) return;
    if (!ca.sack()) {
      // Linux tcp_limit_reno_sacked: duplicate ACKs never count for more segments than are not lost.
      int holes = Math.min(Math.max(queue.lostOut, 1), queue.size());
      if (queue.sackedOut + holes > queue.size()) queue.sackedOut = queue.size() - holes;
    }
    retransmit();
  }
}
