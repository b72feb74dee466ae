package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;

/**
 * Where writes sent with MSG_EOR ended, in sequence space: no segment, first sent or retransmitted,
 * crosses one, and each ends in PSH, as Linux keeps an skb marked eor from being appended to or
 * collapsed with the next (tcp_skb_can_collapse_to, tcp_skb_can_collapse). A ring of the ends not
 * yet acknowledged; empty (and allocating nothing) for a connection that never sends MSG_EOR.
 */
final class RecordEnds {
  private int[] ends = new int[0];
  private int head;
  private int size;

  /** A record ends at {@code seq}. */
  void add(int seq) {
    if (size > 0 && ends[(head + size - 1) % ends.length] == seq) return;
    if (size == ends.length) grow();
    ends[(head + size) % ends.length] = seq;
    size++;
  }

  /** Forgets the ends at or below {@code sndUna}: those records are acknowledged. */
  void acknowledged(int sndUna) {
    while (size > 0 && le(ends[head], sndUna)) {
      head = (head + 1) % ends.length;
      size--;
    }
  }

  /**
   * The first record end after {@code seq}, or {@code seq + limit} when none is within
   * {@code limit} octets.
   */
  int limit(int seq, int limit) {
    for (int i = 0; i < size; i++) {
      int e = ends[(head + i) % ends.length];
      if (gt(e, seq)) return seq + Math.min(limit, distance(seq, e));
    }
    return seq + limit;
  }

  /** Whether a record ends at {@code seq}. */
  boolean endsAt(int seq) {
    for (int i = 0; i < size; i++) if (ends[(head + i) % ends.length] == seq) return true;
    return false;
  }

  private void grow() {
    int[] bigger = new int[Math.max(4, ends.length * 2)];
    for (int i = 0; i < size; i++) bigger[i] = ends[(head + i) % ends.length];
    ends = bigger;
    head = 0;
  }
}
