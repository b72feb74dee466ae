package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;

/**
 * What one ACK told the sender, gathered while the {@link RetransmitQueue} takes it in: Linux's
 * tcp_ack flag bits (FLAG_SND_UNA_ADVANCED, FLAG_DATA_SACKED, FLAG_ORIG_SACK_ACKED, ...) and the
 * counts and times recovery decides on. One per sender, reset for every ACK (no allocation).
 */
final class AckSample {
  // The ACK and the state it met.
  long nowNanos;
  /** The ACK echoes a timestamp: {@link #tsEcr}, in our millisecond timestamp clock. */
  boolean hasTsEcr;
  int tsEcr;
  /** RFC 8985 §6.2: a retransmission (s)acked sooner than this may be the original's delivery. */
  long minRttNanos;
  /** Linux high_seq (the recovery point): originals (s)acked up to it prove a timeout spurious. */
  int highSeq;
  /** The highest SACKed sequence before this ACK (Linux prior_fack). */
  int priorFack;
  /** Linux undo_marker: DSACKs of retransmissions after it count toward undo (0: none). */
  boolean undoPending;
  int undoMarker;

  // Linux's flag bits.
  boolean sndUnaAdvanced;
  /** New data was acknowledged cumulatively (FLAG_DATA_ACKED). */
  boolean dataAcked;
  /** A retransmitted segment was acknowledged cumulatively (FLAG_RETRANS_DATA_ACKED). */
  boolean retransDataAcked;
  /** Segments were newly SACKed (FLAG_DATA_SACKED). */
  boolean dataSacked;
  /** A never-retransmitted segment up to high_seq was (s)acked (FLAG_ORIG_SACK_ACKED). */
  boolean origSackAcked;
  /** The ACK carried a DSACK the sender believes (FLAG_DSACKING_ACK). */
  boolean dsack;
  /** The DSACK reports exactly the tail loss probe (FLAG_DSACK_TLP). */
  boolean dsackTlp;
  /** The DSACK block, when {@link #dsack}. */
  int dsackLeft;
  int dsackRight;
  /** A retransmission was marked lost again (FLAG_LOST_RETRANS). */
  boolean lostRetrans;
  /** The ACK updated the send window (FLAG_WIN_UPDATE). */
  boolean windowUpdate;
  /** The ACK carried data (FLAG_DATA). */
  boolean carriedData;
  /** The RTO or a loss probe is to be set from this ACK (FLAG_SET_XMIT_TIMER). */
  boolean setXmitTimer;
  /** The ACK echoes congestion: ECE on an ECN connection, data in flight (FLAG_ECE). */
  boolean ece;

  // Counts, in segments.
  int ackedSegments;
  /** Segments newly delivered: cumulatively acked and not SACKed before, or newly SACKed. */
  int delivered;
  /** DSACKed segments that were retransmissions after the undo marker (undo_retrans credit). */
  int dsackedRetransmissions;
  /** Segments newly marked lost while processing the ACK. */
  int newlyLost;
  /** The lowest start of a never-retransmitted segment delivered below priorFack: reordering. */
  int reorderLow;
  boolean reordered;

  // RFC 8985 §6.2 step 2: the most recently sent segment delivered, and its RTT.
  boolean rackAdvanced;
  long rackXmitNanos;
  int rackEnd;
  long rackRttNanos;
  /** RTT of the most recently sent never-retransmitted segment delivered (Linux ca_rtt), or -1. */
  long freshRttNanos;

  void begin(long nowNanos, long minRttNanos, int highSeq, int priorFack, boolean undoPending, int undoMarker) {
    this.nowNanos = nowNanos;
    hasTsEcr = false;
    this.minRttNanos = minRttNanos;
    this.highSeq = highSeq;
    this.priorFack = priorFack;
    this.undoPending = undoPending;
    this.undoMarker = undoMarker;
    sndUnaAdvanced = dataAcked = retransDataAcked = dataSacked = origSackAcked = false;
    dsack = dsackTlp = lostRetrans = windowUpdate = carriedData = setXmitTimer = ece = false;
    ackedSegments = delivered = dsackedRetransmissions = newlyLost = 0;
    reordered = false;
    rackAdvanced = false;
    freshRttNanos = -1;
  }

  /**
   * A segment [start, end) sent at {@code xmitNanos} was delivered for the first time (acked
   * without a SACK before, or newly SACKed); {@code flags} are its {@link RetransmitQueue} bits.
   */
  void delivered(int start, int end, long xmitNanos, int flags) {
    delivered++;
    boolean everRetransmitted = (flags & RetransmitQueue.EVER_RETRANS) != 0;
    if (!everRetransmitted) {
      if (le(end, highSeq)) origSackAcked = true;
      if (lt(start, priorFack) && (!reordered || lt(start, reorderLow))) {
        reordered = true;
        reorderLow = start;
      }
      long rtt = nowNanos - xmitNanos;
      if (freshRttNanos < 0 || rtt < freshRttNanos) freshRttNanos = rtt;
    }
    rackAdvance(end, xmitNanos, everRetransmitted);
  }

  /**
   * RFC 8985 §6.2 step 2 (Linux tcp_rack_advance): remember the most recently sent delivered
   * segment. A retransmission (s)acked sooner than min_rtt after it went out, or whose ACK
   * echoes a timestamp older than it (Linux tcp_skb_spurious_retrans), may be the original's
   * delivery: it does not advance. RACK.rtt is Linux's, not the RFC's: the RTT of the last segment
   * that advanced, in the order Linux walks them (SACKed ones, then the cumulatively acked, each
   * by sequence), whether or not it was the most recently sent. So an original acked with its
   * retransmitted predecessor gives the older, longer RTT, and segments sent with it wait longer
   * before RACK calls them lost (google/packetdrill's prr-ss-ack-below-snd_una-cubic).
   */
  private void rackAdvance(int end, long xmitNanos, boolean retransmitted) {
    long rtt = nowNanos - xmitNanos;
    if (retransmitted) {
      if (rtt < minRttNanos) return;
      if (hasTsEcr && lt(tsEcr, (int) (xmitNanos / 1_000_000L))) return;
    }
    rackRttNanos = rtt;
    if (!rackAdvanced || sentAfter(xmitNanos, rackXmitNanos, end, rackEnd)) {
      rackXmitNanos = xmitNanos;
      rackEnd = end;
    }
    rackAdvanced = true;
  }

  /** Linux tcp_skb_sent_after: later in time, or at the same time and higher in sequence. */
  static boolean sentAfter(long t1, long t2, int seq1, int seq2) {
    return t1 > t2 || (t1 == t2 && gt(seq1, seq2));
  }
}
