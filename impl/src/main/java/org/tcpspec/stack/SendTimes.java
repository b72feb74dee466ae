package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.le;

/**
 * When each segment in flight was first sent, oldest first, in two growing primitive rings (no
 * allocation per segment). Linux's retransmission give-up clock (retrans_stamp) starts at the first
 * transmission of the segment that is being retransmitted; this answers "when was the head sent".
 */
final class SendTimes {
  private int[] seqs = new int[16];
  private long[] nanos = new long[16];
  private int head;
  private int size;

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
    while (seqs.length < segments) grow();
  }

  private void grow() {
    int[] s = new int[seqs.length * 2];
    long[] n = new long[seqs.length * 2];
    for (int k = 0; k < size; k++) {
      s[k] = seqs[(head + k) % seqs.length];
      n[k] = nanos[(head + k) % seqs.length];
    }
    seqs = s;
    nanos = n;
    head = 0;
  }
}
