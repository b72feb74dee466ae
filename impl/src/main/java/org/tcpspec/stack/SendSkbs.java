package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.tcb.Tcb;

/**
 * Where Linux's skbs of the send queue (its retransmit queue and write queue) begin and end over
 * the bytes of our send buffer, for Linux's send-buffer accounting: sk_wmem_queued is the sum of
 * their truesize, each skb's allocation ({@link #SKB_TRUESIZE}, tcp_stream_alloc_skb) plus the
 * payload it holds (skb_copy_to_page_nocache's sk_wmem_queued_add). The bytes themselves stay in
 * the {@link org.tcpspec.tcb.SendBuffer}'s ring; this keeps only the boundaries, a ring of end
 * sequence numbers (grown by doubling, reserved with the other per-segment rings, so steady sending
 * allocates nothing). An skb begins when a write finds no unsent tail skb with room
 * (tcp_sendmsg_locked's new_segment) and is cut where a transmission sent part of it
 * (tso_fragment); it goes when all of it is acknowledged (tcp_clean_rtx_queue), and a partial
 * acknowledgment trims only its payload (tcp_trim_head). Not modelled: tcp_grow_skb (Linux 6.10+
 * moves bytes of the next unsent skb into the head one at transmission), tcp_fragment on
 * retransmission and SACK's skb shifting, and the FIN's own skb. One per connection.
 */
final class SendSkbs {
  /**
   * The truesize of an skb tcp_stream_alloc_skb makes, before any payload: SKB_TRUESIZE of its
   * small head (sk_buff and skb_shared_info included). Measured on Linux 6.18 x86-64 with
   * packetdrill (flow/send-buffer-skb-truesize.pkt): at SO_SNDBUF 2740 (sk_sndbuf 5480) a
   * non-blocking write takes three 1000-byte skbs, at 2750 (5500) four, so three skbs weigh
   * 5480 < 3000 + 3 * o <= 5500; the larger counts agree (o in (828.6, 833.3]).
   */
  static final int SKB_TRUESIZE = 832;

  private final Tcb tcb;
  /** End sequence numbers of the skbs, oldest first: the first begins at SND.UNA. */
  private int[] ends;
  private int head;
  private int count;
  /** The last skb ends a record (MSG_EOR): nothing is appended to it (tcp_skb_can_collapse_to). */
  private boolean tailEor;

  /** The ring's length before it ever grew. */
  static final int INITIAL_LENGTH = 8;
  /** Where the ring takes its array and gives it back (the stack's, or one of its own). */
  private final SegmentRingPool pool;

  /** Skbs whose ring comes from a pool of its own (without a stack, in tests). */
  SendSkbs(Tcb tcb) {
    this(tcb, new SegmentRingPool());
  }

  SendSkbs(Tcb tcb, SegmentRingPool pool) {
    this.tcb = tcb;
    this.pool = pool;
    this.ends = pool.ints(INITIAL_LENGTH);
  }

  /** Room for {@code skbs} boundaries, so that they are not grown while packets flow. */
  void reserve(int skbs) {
    if (skbs > ends.length) resizeTo(SegmentRingPool.ringLength(skbs));
  }

  /** No skb is left: as {@code RetransmitQueue.release}. */
  void release() {
    sync();
    if (count != 0) return;
    pool.give(ends);
    ends = SegmentRingPool.NO_INTS;
    head = 0;
  }

  /** write_seq: the sequence number after the last byte written. */
  int writeSeq() {
    return plus(tcb.sndUna, tcb.sendBuffer.size());
  }

  /** Linux sk_wmem_queued: the bytes held plus each skb's allocation. */
  long wmemQueued() {
    return tcb.sendBuffer.size() + (long) SKB_TRUESIZE * count();
  }

  /**
   * How many skbs hold the send buffer's bytes; bytes queued past the last one without a write
   * (Fast Open's SYN data) count as one more.
   */
  int count() {
    sync();
    if (tcb.sendBuffer.size() == 0) return 0;
    return count == 0 || lt(ends[index(count - 1)], writeSeq()) ? count + 1 : count;
  }

  /**
   * The payload of the write queue's tail skb when a write may append to it: it begins at or after
   * {@code sendHead} (nothing of it left) and does not end a record; else 0.
   */
  int appendableTail(int sendHead) {
    sync();
    if (count == 0 || tailEor) return 0;
    int start = count == 1 ? tcb.sndUna : ends[index(count - 2)];
    if (lt(start, sendHead)) return 0;
    return distance(start, ends[index(count - 1)]);
  }

  /** A new, empty skb at the tail (tcp_stream_alloc_skb, tcp_skb_entail). */
  void newSkb() {
    sync();
    if (count == ends.length) resizeTo(Math.max(INITIAL_LENGTH, ends.length * 2));
    ends[index(count)] = writeSeq();
    count++;
    tailEor = false;
  }

  /** Bytes were appended to the tail skb (one made by {@link #newSkb}): it now ends at write_seq. */
  void appended() {
    if (count > 0) ends[index(count - 1)] = writeSeq();
  }

  /** The write that made the tail skb took nothing into it: it goes again (tcp_remove_empty_skb). */
  void dropEmptyTail() {
    if (count == 0) return;
    int start = count == 1 ? tcb.sndUna : ends[index(count - 2)];
    if (ends[index(count - 1)] == start) count--;
  }

  /** The write that filled the tail skb ended a record (MSG_EOR: the skb's eor bit). */
  void endRecord() {
    tailEor = count > 0;
  }

  /**
   * The skb holding {@code seq} was sent up to it: it is cut there (tso_fragment). Searched from the
   * tail, where the first unsent byte lies.
   */
  void splitAt(int seq) {
    sync();
    for (int i = count - 1; i >= 0; i--) {
      int start = i == 0 ? tcb.sndUna : ends[index(i - 1)];
      if (lt(start, seq)) {
        if (!lt(seq, ends[index(i)])) return;
        if (count == ends.length) resizeTo(Math.max(INITIAL_LENGTH, ends.length * 2));
        for (int j = count; j > i; j--) ends[index(j)] = ends[index(j - 1)];
        ends[index(i)] = seq;
        count++;
        return;
      }
    }
  }

  /** Drops the skbs SND.UNA has passed (all of them once the buffer is empty). */
  private void sync() {
    if (tcb.sendBuffer.size() == 0) {
      count = 0;
      tailEor = false;
      return;
    }
    while (count > 0 && le(ends[head], tcb.sndUna)) {
      head = index(1);
      count--;
    }
  }

  private int index(int i) {
    return (head + i) & (ends.length - 1);
  }

  private void resizeTo(int length) {
    int[] other = pool.ints(length);
    for (int i = 0; i < count; i++) other[i] = ends[index(i)];
    pool.give(ends);
    ends = other;
    head = 0;
  }
}
