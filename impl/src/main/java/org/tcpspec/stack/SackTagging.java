package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;

import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;

/**
 * What an ACK's SACK information does to the {@link RetransmitQueue}'s marks and counts, as
 * Linux's tcp_sacktag_write_queue and tcp_check_dsack take it (DSACKs: RFC 2883); without SACK,
 * the duplicate ACKs counted as SACKed segments (tcp_add_reno_sack, tcp_remove_reno_sacks); and
 * the reordering degree both reveal (Linux tp->reordering and reord_seen). One per connection.
 */
final class SackTagging extends CaPart {
  /** Linux tp->reordering: the reordering degree in segments (DupThresh), tcp_reordering at first. */
  int reordering;
  /** Linux reord_seen: reordering was observed. */
  private int reorderingSeen;
  private long dsackDuplicates;

  SackTagging(CaStateMachine ca, Tcb tcb) {
    super(ca, tcb);
    this.reordering = ca.config().tcpReordering();
  }

  boolean reorderingSeen() {
    return reorderingSeen > 0;
  }

  /** How often reordering was seen (tcpi_reord_seen). */
  int reorderingSeenCount() {
    return reorderingSeen;
  }

  long dsackDuplicates() {
    return dsackDuplicates;
  }

  /** Linux tcp_sacktag_write_queue and tcp_check_dsack. */
  void takeSacks(SegmentView seg, int priorSndUna) {
    if (seg.sackBlockCount() == 0) return;
    boolean dsack = queue.sacked(seg, tcb.sndUna, tcb.sndNxt, sample);
    if (dsack) takeDsack(priorSndUna);
  }

  /**
   * Linux tcp_check_dsack and tcp_dsack_seen: a DSACK longer than the largest window, or reporting
   * more duplicates than we ever retransmitted, is ignored as dubious; else its retransmissions
   * count toward undo, and after reordering RACK widens its window.
   */
  private void takeDsack(int priorSndUna) {
    int left = sample.dsackLeft;
    int right = sample.dsackRight;
    if (!lt(left, right)) return;
    long len = Integer.toUnsignedLong(distance(left, right));
    if (len > tcb.maxSndWnd) return;
    int mss = Math.max(1, tcb.sndMss);
    int segments = 1;
    if (len > mss) segments = (int) ((len + mss - 1) / mss);
    else if (ca.probe.outstanding() && ca.probe.highSeq() == right) sample.dsackTlp = true;
    dsackDuplicates += segments;
    if (dsackDuplicates > ca.retransmissions.totalRetransmissions()) return;
    if (reorderingSeen() && !sample.dsackTlp) ca.recovery().dsackSeen();
    sample.dsack = true;
    sample.delivered += segments;
    queue.dsacked(left, right, tcb.sndUna, tcb.sndNxt, sample);
    Undo undo = ca.undo;
    undo.undoRetrans = Math.max(0, undo.undoRetrans - sample.dsackedRetransmissions);
    // DSACK for data already acknowledged: count it (Linux's "dumb counting").
    if (undo.undoArmed && undo.undoRetrans > 0 && le(right, priorSndUna) && gt(right, undo.undoMarker)) {
      undo.undoRetrans = Math.max(0, undo.undoRetrans - segments);
    }
  }

  /** Linux tcp_check_sack_reordering: a hole filled by an original, not a retransmission. */
  void checkSackReordering(int low) {
    int fack = queue.highestSacked(tcb.sndUna);
    if (lt(fack, sample.priorFack)) fack = sample.priorFack;
    if (!lt(low, fack)) return;
    int mss = Math.max(1, tcb.sndMss);
    long metric = Integer.toUnsignedLong(distance(low, fack));
    if (metric > (long) reordering * mss) {
      reordering = (int) Math.min((metric + mss - 1) / mss, ca.config().tcpMaxReordering());
    }
    reorderingSeen++;
  }

  // ---------------------------------------------------------------- Reno's duplicate ACKs as SACKs

  /** Linux tcp_add_reno_sack: without SACK each duplicate ACK stands for a segment received. */
  void addRenoSacks(int dupAcks) {
    if (dupAcks == 0) return;
    int prior = queue.sackedOut;
    queue.sackedOut += dupAcks;
    checkRenoReordering(0);
    int added = queue.sackedOut - prior;
    if (added > 0) sample.delivered += added;
  }

  /** Linux tcp_remove_reno_sacks: an ACK of new data fills the hole; the rest ate duplicate ACKs. */
  void removeRenoSacks(int acked, int priorSacked) {
    if (acked > 0) {
      sample.delivered = sample.delivered - acked + Math.max(acked - priorSacked, 1);
      if (acked - 1 >= queue.sackedOut) queue.sackedOut = 0;
      else queue.sackedOut -= acked - 1;
    }
    checkRenoReordering(acked);
  }

  /** Linux tcp_check_reno_reordering: more duplicate ACKs than segments out means reordering. */
  private void checkRenoReordering(int addend) {
    int holes = Math.min(Math.max(queue.lostOut, 1), queue.size());
    if (queue.sackedOut + holes <= queue.size()) return;
    queue.sackedOut = Math.max(0, queue.size() - holes);
    reordering = Math.min(queue.size() + addend, ca.config().tcpMaxReordering());
    reorderingSeen++;
  }
}
