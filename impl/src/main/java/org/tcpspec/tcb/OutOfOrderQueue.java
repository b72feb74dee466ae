package org.tcpspec.tcb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tcpspec.wire.SegmentView;

/**
 * The out-of-order text a {@link ReceiveBuffer} holds (RFC 9293 §3.10.7.4 seventh step), as
 * Linux's out_of_order_queue: disjoint ranges of stream offsets whose bytes lie in the buffer's
 * chunks at their place past the readable bytes, the held FIN, and the SACK ranges they make (RFC
 * 2018). A hole filled makes the ranges the next in-order byte reaches readable without a copy.
 * One per receive buffer, which it reads and moves on (its next offset, readable bytes, chunks and
 * account); not thread-safe, as the buffer is not.
 */
final class OutOfOrderQueue {
  private static final int CHUNK = ChunkPool.CHUNK;
  private static final int SHIFT = ChunkPool.CHUNK_SHIFT;

  private final ReceiveBuffer buf;
  /**
   * The out-of-order text held: disjoint ranges [start, end) of stream offsets, ascending, none
   * touching the next, as pairs; its bytes lie in the chunks at their place. Sized at set-up for
   * {@link #RANGES} holes, doubled past that.
   */
  long[] ranges = new long[2 * RANGES];
  int rangeCount;
  /** The ranges merged with a held FIN, as {@link #outOfOrderRangeCount} made them last. */
  private long[] merged = new long[2 * RANGES + 2];
  private static final int RANGES = 16;
  int outOfOrderBytes;
  /** Stream offset of a FIN held out of order, or {@link #NO_FIN}. */
  long finOffset = NO_FIN;
  static final long NO_FIN = -1;

  OutOfOrderQueue(ReceiveBuffer buf) {
    this.buf = buf;
  }

  /** Gives back the chunks past the readable bytes and the out-of-order text (after it was dropped). */
  void releaseTail() {
    if (buf.readable == 0 && rangeCount == 0) {
      buf.releaseAll();
      return;
    }
    long end = rangeCount == 0 ? (long) buf.head + buf.readable : buf.position(ranges[2 * rangeCount - 1]);
    while (buf.ring.chunkCount > 0 && (long) (buf.ring.chunkCount - 1) << SHIFT >= end) buf.ring.releaseLast();
  }

  /**
   * Out-of-order text [s, e) from {@code src} at {@code off}, or else from {@code seg}'s payload at
   * {@code at}: written at its place in the chunks where no range holds text yet (the first copy
   * stays, so the byte count is exact), then its range joins the others. The window bounds [s, e),
   * so its place lies within the capacity.
   */
  void storeOutOfOrder(long s, long e, byte[] src, int off, SegmentView seg, int at) {
    buf.ensureRoomTo(buf.position(e));
    long cur = s;
    for (int i = 0; i < rangeCount && cur < e; i++) {
      long rs = ranges[2 * i];
      long re = ranges[2 * i + 1];
      if (re <= cur) continue;
      if (rs >= e) break;
      if (rs > cur) copyIn(cur, rs, s, src, off, seg, at);
      cur = Math.max(cur, re);
    }
    if (cur < e) copyIn(cur, e, s, src, off, seg, at);
    addRange(s, e);
  }

  /** Writes stream bytes [from, to) of text starting at {@code s} to their place, and counts them. */
  private void copyIn(long from, long to, long s, byte[] src, int off, SegmentView seg, int at) {
    int len = (int) (to - from);
    long p0 = buf.position(from);
    for (int done = 0; done < len; ) {
      long p = p0 + done;
      int piece = Math.min(len - done, CHUNK - (int) (p & (CHUNK - 1)));
      byte[] c = buf.ring.chunk((int) (p >>> SHIFT));
      int into = (int) (p & (CHUNK - 1));
      int from0 = (int) (from - s) + done;
      if (src != null) System.arraycopy(src, off + from0, c, into, piece);
      else seg.copyPayload(at + from0, c, into, piece);
      done += piece;
    }
    outOfOrderBytes += len;
  }

  /** Adds [s, e) to the ranges, joining those it overlaps or touches. */
  private void addRange(long s, long e) {
    int i = 0;
    while (i < rangeCount && ranges[2 * i + 1] < s) i++;
    int j = i;
    while (j < rangeCount && ranges[2 * j] <= e) j++;
    if (j > i) {
      ranges[2 * i] = Math.min(s, ranges[2 * i]);
      ranges[2 * i + 1] = Math.max(e, ranges[2 * (j - 1) + 1]);
      removeRanges(i + 1, j);
      return;
    }
    if (2 * rangeCount == ranges.length) {
      ranges = Arrays.copyOf(ranges, 2 * ranges.length);
      merged = new long[ranges.length + 2];
    }
    System.arraycopy(ranges, 2 * i, ranges, 2 * i + 2, 2 * (rangeCount - i));
    ranges[2 * i] = s;
    ranges[2 * i + 1] = e;
    rangeCount++;
  }

  /** Removes ranges [from, to) of the list. */
  private void removeRanges(int from, int to) {
    System.arraycopy(ranges, 2 * to, ranges, 2 * from, 2 * (rangeCount - to));
    rangeCount -= to - from;
  }

  /**
   * The ranges the next in-order byte reached become readable: their bytes already lie at their
   * place, after the readable ones.
   */
  void drainOutOfOrder() {
    while (rangeCount > 0 && ranges[0] <= buf.nextOffset) {
      long rs = ranges[0];
      long re = ranges[1];
      outOfOrderBytes -= (int) (re - rs);
      removeRanges(0, 1);
      if (re > buf.nextOffset) {
        buf.readable += (int) (re - buf.nextOffset);
        buf.nextOffset = re;
      }
    }
    // Text that went past a held FIN makes it stale: Linux's tcp_ofo_queue drops an skb whose end
    // is not after RCV.NXT.
    if (finOffset != NO_FIN && buf.nextOffset > finOffset) finOffset = NO_FIN;
  }

  /**
   * Holds a FIN at stream offset {@code offset}, ahead of the next in-order byte and inside the
   * window (the caller checks both). Of two, the lower is kept: it is the one the stream reaches.
   */
  void holdFin(long offset) {
    if (finOffset == NO_FIN || offset < finOffset) finOffset = offset;
  }

  /** Whether a FIN is held at stream offset {@code offset}. */
  boolean finHeldAt(long offset) {
    return finOffset != NO_FIN && finOffset == offset;
  }

  /**
   * Whether taking in-order text up to stream offset {@code end}, with the out-of-order text it
   * joins, would make the held FIN the next thing in order (and not pass over it).
   */
  boolean finReachedBy(long end) {
    if (finOffset == NO_FIN || end > finOffset) return false;
    long reached = Math.max(end, buf.nextOffset);
    for (int i = 0; i < rangeCount; i++) {
      if (ranges[2 * i] > reached) break;
      reached = Math.max(reached, ranges[2 * i + 1]);
    }
    return reached == finOffset;
  }

  /** Linux's tcp_fin purges the out-of-order queue: nothing after the peer's FIN can be read. */
  void dropOutOfOrder() {
    buf.account.held(-outOfOrderBytes);
    rangeCount = 0;
    outOfOrderBytes = 0;
    finOffset = NO_FIN;
    releaseTail();
  }

  /**
   * Linux's tcp_prune_ofo_queue: drops out-of-order blocks from the highest one down, none that
   * lies before {@code from} (the arriving text would land after them, so dropping them makes no
   * room worth having), until {@code goal} bytes are gone. Linux drops whole skbs; the ranges here
   * join what arrived, so the highest bytes go, {@code goal} of them. Returns the bytes dropped.
   */
  int pruneOutOfOrder(long from, int goal) {
    // A held FIN lies at the end of what the peer sent: the highest skb, which Linux drops first.
    if (finOffset != NO_FIN && finOffset >= from) finOffset = NO_FIN;
    int dropped = 0;
    while (dropped < goal && rangeCount > 0) {
      int last = 2 * (rangeCount - 1);
      long rs = ranges[last];
      long re = ranges[last + 1];
      long cut = Math.max(Math.max(rs, from), re - (goal - dropped));
      if (cut >= re) break;
      dropped += (int) (re - cut);
      if (cut == rs) {
        rangeCount--;
      } else {
        ranges[last + 1] = cut;
        break;
      }
    }
    outOfOrderBytes -= dropped;
    buf.account.held(-dropped);
    if (dropped > 0) releaseTail();
    return dropped;
  }

  /** How far past {@code nextOffset} the last range ends; 0 without ranges. */
  long reachBeyond(long nextOffset) {
    return rangeCount == 0 ? 0 : ranges[2 * rangeCount - 1] - nextOffset;
  }

  /** Forgets every range and a held FIN (the buffer's abort or reset). */
  void clear() {
    rangeCount = 0;
    outOfOrderBytes = 0;
    finOffset = NO_FIN;
  }

  /** The in-order offset passed the control bit at {@code offset}: a FIN held there is taken. */
  void controlTaken(long offset) {
    if (finOffset == offset) finOffset = NO_FIN;
  }

  /** Whether out-of-order text or a FIN is waiting (a hole exists). */
  boolean hasOutOfOrder() {
    return rangeCount > 0 || finOffset != NO_FIN;
  }

  /**
   * How many ranges {@link #outOfOrderRanges()} would return, making them ready for {@link
   * #outOfOrderRangeStart} and {@link #outOfOrderRangeEnd} (without allocating: the sender asks for
   * every segment): the held ranges, a held FIN as one position of its own or joined to the text
   * before it.
   */
  int outOfOrderRangeCount() {
    int n = 0;
    boolean finAdded = finOffset == NO_FIN;
    for (int i = 0; i < rangeCount; i++) {
      long s = ranges[2 * i];
      long e = ranges[2 * i + 1];
      if (!finAdded && finOffset < s) {
        n = addMerged(n, finOffset, finOffset + 1);
        finAdded = true;
      }
      n = addMerged(n, s, e);
      // A FIN inside held text (a peer contradicting itself) adds no range.
      if (!finAdded && finOffset < e) finAdded = true;
    }
    if (!finAdded) n = addMerged(n, finOffset, finOffset + 1);
    return n;
  }

  private int addMerged(int n, long s, long e) {
    if (n > 0 && merged[2 * n - 1] == s) {
      merged[2 * n - 1] = e;
      return n;
    }
    merged[2 * n] = s;
    merged[2 * n + 1] = e;
    return n + 1;
  }

  /** The start of the {@code i}th range (ascending) {@link #outOfOrderRangeCount} counted last. */
  long outOfOrderRangeStart(int i) {
    return merged[2 * i];
  }

  /** The end of the {@code i}th range {@link #outOfOrderRangeCount} counted last. */
  long outOfOrderRangeEnd(int i) {
    return merged[2 * i + 1];
  }

  /** Out-of-order ranges as [start, end) stream offsets, ascending; a held FIN takes one position. */
  List<long[]> outOfOrderRanges() {
    int n = outOfOrderRangeCount();
    List<long[]> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) list.add(new long[] {merged[2 * i], merged[2 * i + 1]});
    return list;
  }
}
