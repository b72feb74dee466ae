package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.le;

/**
 * When each segment in flight was first sent, oldest first, in two growing primitive rings (no
 * allocation per segment). Linux's retransmission give-up clock (retrans_stamp) starts at the first
 * transmission of the segment that is being retransmitted; this answers "when was the head sent".
 */
final class SendTimes {
  /** The ring's length before it ever grew. */
  static final int INITIAL_LENGTH = 16;

  /** Where the rings take their arrays and give them back (the stack's, or one of their own). */
  private final SegmentRingPool pool;
  private int[] seqs;
  private long[] nanos;
  private int head;
  private int size;

  /** Rings from a pool of their own (without a stack, in tests). */
  SendTimes() {
    this(new SegmentRingPool());
  }

  SendTimes(SegmentRingPool pool) {
    this.pool = pool;
    seqs = pool.ints(INITIAL_LENGTH);
    nanos = pool.longs(INITIAL_LENGTH);
  }

  /** A segment starting at {@code seq} (new data, SYN or FIN, never a retransmission) went out. */
  void sent(int seq, long nowNanos) {
    if (size == seqs.length) grow();
    int i = (head + size) % seqs.length;
    seqs[i] = seq;
    nanos[i] = nowNanos;
    size++;
  }

  /** SND.UNA moved to {@code una}: forget the segments it covers entirely. */
  void acked(int una) {
    while (size > 1 && le(seqs[(head + 1) % seqs.length], una)) {
      head = (head + 1) % seqs.length;
      size--;
    }
  }

  void clear() {
    head = 0;
    size = 0;
  }

  /** The first transmission time of the segment at SND.UNA, or {@code otherwise} when none is known. */
  long headSentNanos(long otherwise) {
    return size == 0 ? otherwise : nanos[head];
  }

  /** Room for {@code segments} in flight, as {@code RetransmitQueue.reserve}. */
  void reserve(int segments) {
    if (seqs.length < segments) resize(segments);
  }

  /** Nothing is in flight any more: as {@code RetransmitQueue.release}. */
  void release() {
    if (size != 0) return;
    pool.give(seqs);
    pool.give(nanos);
    seqs = SegmentRingPool.NO_INTS;
    nanos = SegmentRingPool.NO_LONGS;
    head = 0;
  }

  private void grow() {
    resize(Math.max(INITIAL_LENGTH, seqs.length * 2));
  }

  private void resize(int length) {
    int n = SegmentRingPool.ringLength(Math.max(length, size));
    int[] s = pool.ints(n);
    long[] t = pool.longs(n);
    for (int k = 0; k < size; k++) {
      s[k] = seqs[(head + k) % seqs.length];
      t[k] = nanos[(head + k) % seqs.length];
    }
    pool.give(seqs);
    pool.give(nanos);
    seqs = s;
    nanos = t;
    head = 0;
  }
}
