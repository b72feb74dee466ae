package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.stack.CaStateMachine.Resend;
import org.tcpspec.tcb.Tcb;

/**
 * What goes out again, as Linux's tcp_output.c resends it: one segment by tcp_retransmit_skb (cut
 * to the current MSS first), every segment marked lost while cwnd allows by
 * tcp_xmit_retransmit_queue, the head after an RTO, and the tail a loss probe repeats
 * (tcp_send_loss_probe); and, after an ACK, what the state machine asked for (tcp_xmit_recovery).
 * Which segments are lost is the {@link LossRecovery}'s to say. Counts tcpi_total_retrans. One per
 * connection.
 */
final class Retransmissions extends CaPart {
  private final Sender sender;
  private final RetransmitTimer timer;
  private final Undo undo;
  private long totalRetransmissions;

  Retransmissions(CaStateMachine ca, Sender sender, Tcb tcb, RetransmitTimer timer, Undo undo) {
    super(ca, tcb);
    this.sender = sender;
    this.timer = timer;
    this.undo = undo;
  }

  long totalRetransmissions() {
    return totalRetransmissions;
  }

  /** Retransmits segment {@code i} as tcp_retransmit_skb does, with its accounting. */
  private void retransmit(int i) {
    fitToCurrentMss(i);
    sender.retransmit(queue.start(i), queue.end(i), (queue.flags(i) & RetransmitQueue.PUSHED) != 0);
    ca.lastSend(ca.nowNanos());
    queue.retransmitted(i, ca.nowNanos(), true);
    undo.retransmitted();
    totalRetransmissions++;
  }

  /**
   * A segment sent when our segments carried fewer SACK blocks may no longer fit: Linux
   * (__tcp_retransmit_skb, tcp_send_loss_probe) cuts it to the current MSS with tcp_fragment, and
   * the rest stays queued as a segment of its own, with the same marks.
   */
  private void fitToCurrentMss(int i) {
    int from = lt(queue.start(i), tcb.sndUna) ? tcb.sndUna : queue.start(i);
    int end = queue.end(i);
    boolean carriesFin = tcb.finSent && end == tcb.sndNxt;
    int mss = sender.currentMss();
    if (distance(from, end) - (carriesFin ? 1 : 0) > mss) queue.split(i, plus(from, mss));
  }

  /** The head again after an RTO (RFC 6298 §5.4), counted as Linux's tcp_retransmit_skb. */
  void retransmitHead() {
    if (queue.size() > 0) retransmit(0);
  }

  /** Linux tcp_xmit_retransmit_queue: every segment marked lost and not resent, while cwnd allows. */
  void retransmitLost() {
    if (queue.size() == 0) return;
    CongestionControl cc = ca.congestionControl();
    boolean rearm = false;
    for (int i = 0; i < queue.size(); i++) {
      if (cc.cwnd() - queue.packetsInFlight() <= 0) break;
      if (queue.retransOut >= queue.lostOut) break;
      int f = queue.flags(i);
      if ((f & RetransmitQueue.LOST) == 0) continue;
      if ((f & (RetransmitQueue.SACKED | RetransmitQueue.RETRANS)) != 0) continue;
      retransmit(i);
      if (ca.inCwndReduction()) ca.prr.sent(1);
      if (i == 0 && timer.pending() != XmitTimer.REORDER) rearm = true;
    }
    if (rearm) timer.arm(XmitTimer.RETRANSMISSION, ca.rtoNanos());
  }

  /** Linux tcp_xmit_recovery. */
  void resend(Resend resend) {
    if (resend == Resend.NONE) return;
    if (resend == Resend.NEW) {
      sender.output();
      if (gt(tcb.sndNxt, ca.highSeq)) return;
      ca.loss.frto = false;
    }
    retransmitLost();
  }

  /**
   * A tail loss probe repeating the tail of the last skb (Linux tcp_send_loss_probe): an skb of
   * pcount segments when it went is cut with tcp_fragment after (pcount - 1) segments of the
   * current MSS, and what is after the cut goes again (__tcp_retransmit_skb: no loss accounting).
   * When the SACK option has shrunk the MSS since, that is more than the last segment as sent: a
   * 1460-byte skb of 1448 + 12 goes as 1436 and a 24-byte probe. An skb no longer than (pcount -
   * 1) segments goes whole, cut to the current MSS as any retransmission.
   */
  void retransmitTailAsProbe() {
    int first = queue.lastSkbFirst();
    int last = queue.size() - 1;
    int start = lt(queue.start(first), tcb.sndUna) ? tcb.sndUna : queue.start(first);
    boolean carriesFin = tcb.finSent && queue.end(last) == tcb.sndNxt;
    int dataEnd = carriesFin ? plus(queue.end(last), -1) : queue.end(last);
    int kept = (last - first) * sender.currentMss();
    int probeStart = last > first && distance(start, dataEnd) > kept ? plus(start, kept) : start;
    int i = first;
    while (!lt(probeStart, queue.end(i))) i++;
    if (gt(probeStart, queue.start(i))) {
      queue.split(i, probeStart);
      i++;
    }
    queue.joinFrom(i);
    fitToCurrentMss(i);
    sender.retransmit(queue.start(i), queue.end(i), (queue.flags(i) & RetransmitQueue.PUSHED) != 0);
    ca.lastSend(ca.nowNanos());
    queue.retransmitted(i, ca.nowNanos(), false);
    totalRetransmissions++;
  }
}
