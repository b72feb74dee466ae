package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;

import org.tcpspec.wire.SegmentView;

/**
 * The segments in flight, in sequence order from SND.UNA, each with what the sender knows of it:
 * Linux's retransmission queue with the sacked bits of its tcp_skb_cb (SACKED, LOST, a
 * retransmission in flight, ever retransmitted) and the time it was last sent, plus Linux's
 * counters of them (sacked_out, lost_out, retrans_out). One entry per segment sent (at most one
 * SMSS, the FIN counted in the last), so a segment is one packet as Linux counts them. Parallel
 * primitive rings that grow by doubling: the data path allocates nothing.
 *
 * <p>The RFC 6675 scoreboard is this queue read by sequence; RACK (RFC 8985) reads its send times.
 * A SACK block marks only the segments it covers whole (Linux splits a multi-segment skb at MSS
 * boundaries first; ours are one segment each). Which segments went as one skb is kept
 * ({@link #SKB_START}): a tail loss probe cuts the last skb, not the last segment.
 */
final class RetransmitQueue {
  /** The peer SACKed the segment (TCPCB_SACKED_ACKED). */
  static final int SACKED = 1;
  /** A retransmission of the segment is in flight (TCPCB_SACKED_RETRANS). */
  static final int RETRANS = 2;
  /** The segment is believed lost (TCPCB_LOST). */
  static final int LOST = 4;
  /** The segment was retransmitted at some time (TCPCB_EVER_RETRANS). */
  static final int EVER_RETRANS = 8;
  /**
   * The segment first went with PSH: Linux keeps TCPHDR_PSH in the skb's tcp_flags (tcp_mark_push,
   * forced_push), so every retransmission of it carries PSH again.
   */
  static final int PUSHED = 16;
  /**
   * The segment began one of Linux's skbs: tcp_write_xmit sends an skb (a TSO burst of
   * tcp_tso_autosize segments, or what cwnd or the window let go of one) as it is, so the
   * first segment of each output pass, and the one after a burst's end, begins one; so does the
   * second part of a tcp_fragment. A tail loss probe cuts the last skb, not the last segment.
   */
  static final int SKB_START = 32;

  /** The entries a queue starts with: the ring's length before it ever grew. */
  static final int INITIAL_LENGTH = 64;

  /** Where the rings take their arrays and give them back (the stack's, or one of its own). */
  private final SegmentRingPool pool;
  private int[] starts;
  private int[] ends;
  private byte[] flags;
  private long[] xmitNanos;
  private int head;
  private int size;
  /** Linux sacked_out: SACKed segments, or without SACK the duplicate ACKs counted as such. */
  int sackedOut;
  /** Linux lost_out. */
  int lostOut;
  /** Linux retrans_out: retransmissions in flight. */
  int retransOut;
  /** The end of the highest SACKed segment (Linux tcp_highest_sack_seq); valid while sackedOut > 0. */
  private int highestSacked;

  /** A queue whose rings come from a pool of its own (a queue without a stack, in tests). */
  RetransmitQueue() {
    this(new SegmentRingPool());
  }

  RetransmitQueue(SegmentRingPool pool) {
    this.pool = pool;
    take(INITIAL_LENGTH);
  }

  /** Segments in flight (Linux packets_out). */
  int size() {
    return size;
  }

  /** Linux tcp_packets_in_flight: sent, less SACKed and lost, plus retransmissions in flight. */
  int packetsInFlight() {
    return size - (sackedOut + lostOut) + retransOut;
  }

  /** Linux tcp_highest_sack_seq: the highest SACKed octet's end, or {@code sndUna} when none. */
  int highestSacked(int sndUna) {
    return sackedOut > 0 && size > 0 ? highestSacked : sndUna;
  }

  private int slot(int i) {
    return (head + i) & (starts.length - 1);
  }

  int start(int i) {
    return starts[slot(i)];
  }

  int end(int i) {
    return ends[slot(i)];
  }

  int flags(int i) {
    return flags[slot(i)];
  }

  long xmitNanos(int i) {
    return xmitNanos[slot(i)];
  }

  /**
   * Linux tcp_clean_rtx_queue's seq_rtt for a cumulative ACK to {@code ack}: {@code now} less the
   * send time of the oldest segment it acknowledges whole that was not SACKed before (first_ackt);
   * -1 when none, or when any segment it acknowledges was ever retransmitted (Karn's rule, FLAG_RETRANS_DATA_ACKED).
   */
  long seqRttNanos(int ack, long now) {
    long first = -1;
    for (int i = 0; i < size && !org.tcpspec.wire.SeqNum.lt(ack, end(i)); i++) {
      int f = flags(i);
      if ((f & EVER_RETRANS) != 0) return -1;
      if (first < 0 && (f & SACKED) == 0) first = xmitNanos(i);
    }
    return first < 0 ? -1 : now - first;
  }

  /**
   * A new segment [start, end) went out at {@code now}, with PSH when {@code pushed}, beginning an
   * skb of Linux's when {@code startsSkb}.
   */
  void sent(int start, int end, long now, boolean pushed, boolean startsSkb) {
    if (size == starts.length) grow();
    int s = slot(size);
    starts[s] = start;
    ends[s] = end;
    flags[s] = (byte) ((pushed ? PUSHED : 0) | (startsSkb ? SKB_START : 0));
    xmitNanos[s] = now;
    size++;
  }

  /**
   * Cuts segment {@code i} at {@code at} (inside it) into two that keep its marks and send time,
   * counted as the one was (Linux tcp_fragment with tcp_adjust_pcount); PSH stays with the second,
   * which ends where the segment ended (tcp_fragment clears PSH and FIN on the first) and begins an
   * skb of its own. Moves the later entries: rare (a segment to resend that no longer fits the
   * current MSS), and allocation-free.
   */
  void split(int i, int at) {
    if (size == starts.length) grow();
    for (int k = size; k > i + 1; k--) {
      int to = slot(k);
      int from = slot(k - 1);
      starts[to] = starts[from];
      ends[to] = ends[from];
      flags[to] = flags[from];
      xmitNanos[to] = xmitNanos[from];
    }
    int s = slot(i);
    int n = slot(i + 1);
    starts[n] = at;
    ends[n] = ends[s];
    flags[n] = (byte) (flags[s] | SKB_START);
    xmitNanos[n] = xmitNanos[s];
    ends[s] = at;
    flags[s] &= ~PUSHED;
    size++;
    if ((flags[s] & SACKED) != 0) sackedOut++;
    if ((flags[s] & LOST) != 0) lostOut++;
    if ((flags[s] & RETRANS) != 0) retransOut++;
  }

  /**
   * The first segment of the skb the last segment belongs to: back to the one that began it, and
   * not past a segment whose loss marks differ (Linux's SACK tagging cuts an skb where a block
   * ends, tcp_match_skb_to_sack).
   */
  int lastSkbFirst() {
    int i = size - 1;
    int marks = flags(i) & ~(PUSHED | SKB_START);
    while (i > 0 && (flags(i) & SKB_START) == 0 && (flags(i - 1) & ~(PUSHED | SKB_START)) == marks) i--;
    return i;
  }

  /**
   * Makes segment {@code i} and every later one a single segment, as the one skb they came from
   * (the tail a tail loss probe cut off it, tcp_send_loss_probe); PSH is the last one's. The
   * counters lose the segments that are gone, as tcp_adjust_pcount would count the skb again.
   */
  void joinFrom(int i) {
    int last = size - 1;
    if (i >= last) return;
    for (int k = i + 1; k <= last; k++) {
      int f = flags(k);
      if ((f & SACKED) != 0) sackedOut--;
      if ((f & LOST) != 0) lostOut--;
      if ((f & RETRANS) != 0) retransOut--;
    }
    int s = slot(i);
    ends[s] = ends[slot(last)];
    flags[s] = (byte) ((flags[s] & ~PUSHED) | (flags(last) & PUSHED));
    size = i + 1;
  }

  /**
   * Segment {@code i} was retransmitted at {@code now}: ever retransmitted, so RACK and RTT
   * sampling treat its (s)ack with Karn's caution. {@code counted}: as Linux's tcp_retransmit_skb,
   * a retransmission in flight too; a tail loss probe's (__tcp_retransmit_skb) is not.
   */
  void retransmitted(int i, long now, boolean counted) {
    int s = slot(i);
    xmitNanos[s] = now;
    flags[s] |= EVER_RETRANS;
    if (!counted) return;
    if ((flags[s] & RETRANS) == 0) retransOut++;
    flags[s] |= RETRANS;
  }

  /** Linux tcp_mark_skb_lost: never a SACKed one; a lost retransmission is no longer in flight. */
  void markLost(int i, AckSample sample) {
    int s = slot(i);
    int f = flags[s];
    if ((f & SACKED) != 0) return;
    if ((f & LOST) != 0) {
      if ((f & RETRANS) != 0) {
        flags[s] &= ~RETRANS;
        retransOut--;
        if (sample != null) sample.lostRetrans = true;
      }
    } else {
      flags[s] |= LOST;
      lostOut++;
    }
  }

  /** Undo (Linux tcp_undo_cwnd_reduction with unmark_loss): no segment is believed lost. */
  void unmarkLost() {
    for (int i = 0; i < size; i++) flags[slot(i)] &= ~LOST;
    lostOut = 0;
  }

  /** Linux tcp_timeout_mark_lost's reneging case: forget every SACK (RFC 2018 §8). */
  void forgetSacks() {
    for (int i = 0; i < size; i++) flags[slot(i)] &= ~SACKED;
    sackedOut = 0;
  }

  /**
   * The cumulative ACK reached {@code sndUna}: the segments it covers leave (Linux
   * tcp_clean_rtx_queue); a segment it covers in part stays, starting at {@code sndUna}.
   */
  void ackedTo(int sndUna, AckSample sample) {
    while (size > 0 && le(ends[head], sndUna)) {
      int f = flags[head];
      if ((f & RETRANS) != 0) retransOut--;
      if ((f & (RETRANS | EVER_RETRANS)) != 0) sample.retransDataAcked = true;
      if ((f & SACKED) != 0) {
        sackedOut--;
      } else {
        sample.dataAcked = true;
        sample.delivered(starts[head], ends[head], xmitNanos[head], f);
      }
      if ((f & LOST) != 0) lostOut--;
      sample.ackedSegments++;
      head = (head + 1) & (starts.length - 1);
      size--;
    }
    if (size > 0 && lt(starts[head], sndUna)) starts[head] = sndUna;
    if (size == 0) {
      sackedOut = 0;
      lostOut = 0;
      retransOut = 0;
    }
  }

  /**
   * Takes in the SACK blocks of {@code ack} (Linux tcp_sacktag_write_queue), SND.UNA
   * already moved to {@code sndUna}. The first block is a DSACK when it lies below the ACK or
   * inside the second (RFC 2883 §4, Linux tcp_check_dsack): it is left in the sample's
   * dsackLeft/dsackRight and true returned, for the caller to judge ({@link #dsacked}). The others
   * tag the segments they cover whole, above {@code sndUna} and up to {@code sndNxt}.
   */
  boolean sacked(SegmentView ack, int sndUna, int sndNxt, AckSample sample) {
    if (sackedOut == 0) highestSacked = sndUna;
    int count = ack.sackBlockCount();
    boolean isDsack = false;
    if (count > 0) {
      int left = ack.sackLeft(0);
      int right = ack.sackRight(0);
      if (lt(left, ack.ack())) {
        isDsack = true;
      } else if (count > 1) {
        isDsack = !gt(right, ack.sackRight(1)) && !lt(left, ack.sackLeft(1));
      }
      if (isDsack) {
        sample.dsackLeft = left;
        sample.dsackRight = right;
      }
    }
    for (int b = isDsack ? 1 : 0; b < count; b++) {
      int left = ack.sackLeft(b);
      int right = ack.sackRight(b);
      if (!lt(left, right) || gt(right, sndNxt) || !gt(right, sndUna)) continue;
      tag(left, right, sample);
    }
    return isDsack;
  }

  private void tag(int left, int right, AckSample sample) {
    for (int i = 0; i < size; i++) {
      int s = slot(i);
      if (!lt(starts[s], right)) break;
      if (lt(starts[s], left) || gt(ends[s], right)) continue;
      int f = flags[s];
      if ((f & SACKED) != 0) continue;
      sample.delivered(starts[s], ends[s], xmitNanos[s], f);
      if ((f & RETRANS) != 0) {
        // A retransmission not marked lost is believed still in flight (Linux keeps it).
        if ((f & LOST) != 0) {
          f &= ~(LOST | RETRANS);
          lostOut--;
          retransOut--;
        }
      } else if ((f & LOST) != 0) {
        f &= ~LOST;
        lostOut--;
      }
      flags[s] = (byte) (f | SACKED);
      sackedOut++;
      sample.dataSacked = true;
      if (!lt(ends[s], highestSacked)) highestSacked = ends[s];
    }
  }

  /**
   * A DSACK of [left, right) the sender believes (Linux tcp_sacktag_one with dup_sack): the
   * retransmissions it covers were needless, and those after the undo marker count toward undo;
   * what it covers above SND.UNA was received, so it is SACKed too, and a retransmission of it is
   * no longer in flight.
   */
  void dsacked(int left, int right, int sndUna, int sndNxt, AckSample sample) {
    for (int i = 0; i < size; i++) {
      int s = slot(i);
      if (!lt(starts[s], right)) break;
      if (lt(starts[s], left) || gt(ends[s], right)) continue;
      if ((flags[s] & (RETRANS | EVER_RETRANS)) != 0 && sample.undoPending && gt(ends[s], sample.undoMarker)) {
        sample.dsackedRetransmissions++;
      }
    }
    if (!gt(right, sndUna) || gt(right, sndNxt)) return;
    tag(left, right, sample);
    for (int i = 0; i < size; i++) {
      int s = slot(i);
      if (!lt(starts[s], right)) break;
      if (lt(starts[s], left) || gt(ends[s], right)) continue;
      if ((flags[s] & RETRANS) != 0) {
        flags[s] &= ~RETRANS;
        retransOut--;
      }
    }
  }

  /**
   * Room for {@code segments} in flight without growing on the data path: the send buffer grew
   * (tcp_sndbuf_expand), and the segments it can hold may all be sent; grown here, at an
   * autotuning step, not while packets flow.
   */
  void reserve(int segments) {
    if (starts.length < segments) resize(segments);
  }

  /**
   * The sending is over (TIME-WAIT, or the connection is deleted) and nothing is in flight: the
   * arrays go back to the pool for the next connection, and the queue holds none until a segment
   * is sent again.
   */
  void release() {
    if (size != 0) return;
    pool.give(starts);
    pool.give(ends);
    pool.give(flags);
    pool.give(xmitNanos);
    starts = SegmentRingPool.NO_INTS;
    ends = SegmentRingPool.NO_INTS;
    flags = SegmentRingPool.NO_BYTES;
    xmitNanos = SegmentRingPool.NO_LONGS;
    head = 0;
  }

  private void grow() {
    resize(Math.max(INITIAL_LENGTH, starts.length * 2));
  }

  /** New rings of at least {@code length} entries (and {@link #size}), the old ones given back to the pool. */
  private void resize(int length) {
    int[] s = starts;
    int[] e = ends;
    byte[] f = flags;
    long[] x = xmitNanos;
    int from = head;
    take(Math.max(length, size));
    for (int k = 0; k < size; k++) {
      int i = (from + k) & (s.length - 1);
      starts[k] = s[i];
      ends[k] = e[i];
      flags[k] = f[i];
      xmitNanos[k] = x[i];
    }
    head = 0;
    pool.give(s);
    pool.give(e);
    pool.give(f);
    pool.give(x);
  }

  /** Rings of {@code length} entries rounded up to a power of two, from the pool. */
  private void take(int length) {
    int n = SegmentRingPool.ringLength(length);
    starts = pool.ints(n);
    ends = pool.ints(n);
    flags = pool.bytes(n);
    xmitNanos = pool.longs(n);
  }
}
