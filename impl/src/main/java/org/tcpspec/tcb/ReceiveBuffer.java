package org.tcpspec.tcb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tcpspec.wire.PacketBuffer;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.SegmentView;

/**
 * Received bytes: the in-order part the user has not read yet, and a bounded reassembler for
 * out-of-order text (RFC 9293 §3.10.7.4 seventh step; RFC 2018 for the SACK blocks it reports).
 * Positions are 64-bit stream offsets (bytes since the peer's SYN), so wraparound of sequence
 * numbers never reaches here. Out-of-order bytes count against the same capacity as in-order
 * ones, so the advertised window bounds the bytes held (never more than {@link #capacity()}). The
 * capacity is a limit (SO_RCVBUF, tcp_rmem's default, autotuned), not an allocation: the bytes
 * lie in a queue of fixed-size chunks taken from the stack's {@link ChunkPool} as bytes arrive and
 * given back as they are read, as Linux allocates receive memory per segment; a connection that
 * holds nothing holds no chunk, and growing to a larger capacity copies nothing. Out-of-order text
 * lies in the same chunks, at its place in the stream past the readable bytes (the hole before it
 * is room the chunks keep for the text still to come), and a list of ranges says what is held
 * there: a hole filled makes it readable without a copy, and out-of-order arrival (loss on the TUN
 * device's queue) allocates nothing (issue 15). The first time the buffer holds bytes it reserves
 * in the pool what its capacity can hold, and more whenever the capacity grows ({@link
 * ChunkPool}), so the chunks it takes later are made then, not while a packet waits.
 *
 * <p>A FIN that arrives ahead of the next in-order byte is held too, as Linux holds it in the
 * out-of-order queue with its text (tcp_data_queue_ofo): it takes one position of sequence space
 * and no byte, the SACK ranges cover it, and it becomes the next thing in order when the text
 * before it has arrived (tcp_ofo_queue, which then calls tcp_fin).
 *
 * <p>Large in-order payloads that the event loop read into a {@link PacketBuffer} stay there
 * until the user reads them ("lent" bytes), instead of being copied into the chunks: on the TUN
 * path that copy was an eighth of the kernel-to-stack processor time (issue 15). Lent parts and
 * the chunks' readable bytes interleave in stream order ({@link LentBytes} keeps, for each part,
 * how many of the chunks' bytes come before it); a payload is kept lent only while the chunks hold
 * no out-of-order text, whose place in the chunks follows their readable bytes.
 */
public final class ReceiveBuffer {
  private static final int CHUNK = ChunkPool.CHUNK;
  private static final int SHIFT = ChunkPool.CHUNK_SHIFT;

  private final ChunkPool pool;
  /** The chunks held, a ring of references (a power of two long): {@code chunkCount} from {@code first}. */
  private byte[][] chunks = new byte[4][];
  private int first;
  private int chunkCount;
  private int capacity;
  /** Where the first readable byte lies in the first chunk. */
  private int head;
  private int readable;
  /** Stream offset of the next in-order byte (RCV.NXT as an offset). */
  private long nextOffset;
  /**
   * The out-of-order text held: disjoint ranges [start, end) of stream offsets, ascending, none
   * touching the next, as pairs; its bytes lie in the chunks at their place. Sized at set-up for
   * {@link #RANGES} holes, doubled past that.
   */
  private long[] ranges = new long[2 * RANGES];
  private int rangeCount;
  /** The ranges merged with a held FIN, as {@link #outOfOrderRangeCount} made them last. */
  private long[] merged = new long[2 * RANGES + 2];
  private static final int RANGES = 16;
  private int outOfOrderBytes;
  /** The chunks reserved in the pool ({@link #chunksFor} the capacity), 0 before the first byte. */
  private int reservedChunks;
  /** The connection was deleted: no more reservations. */
  private boolean released;
  /** Stream offset of a FIN held out of order, or {@link #NO_FIN}. */
  private long finOffset = NO_FIN;
  private static final long NO_FIN = -1;
  private final BufferAccount account;
  /** Readable bytes that lie in packet buffers, interleaved in stream order with those in the chunks. */
  private final LentBytes lent = new LentBytes();

  /** A buffer on its own: its own pool, no account (tests). */
  public ReceiveBuffer(int capacity) {
    this(capacity, BufferAccount.NONE, new ChunkPool());
  }

  /**
   * A buffer that reports the bytes it holds, readable and out of order, to {@code account}, and
   * keeps its in-order bytes in chunks of {@code pool}.
   */
  public ReceiveBuffer(int capacity, BufferAccount account, ChunkPool pool) {
    this.capacity = Math.max(1, capacity);
    this.account = account;
    this.pool = pool;
  }

  /** The bytes held: readable and out of order (Linux's sk_rmem_alloc, without skb overhead). */
  public int held() {
    return lent.bytes() + readable + outOfOrderBytes;
  }

  /** The most this buffer holds (the limit the window is offered from). */
  public int capacity() {
    return capacity;
  }

  /**
   * The bytes of the chunks held now: less than {@link #capacity()} plus two chunks (the first may
   * be partly read, the last partly filled); 0 with nothing readable.
   */
  public int allocated() {
    return chunkCount * CHUNK;
  }

  /**
   * A new limit (SO_RCVBUF, autotuning); never below what is held, out-of-order text up to its
   * place included. A buffer that holds bytes reserves the chunks a larger one can hold.
   */
  public void resize(int capacity) {
    long extent = rangeCount == 0 ? 0 : ranges[2 * rangeCount - 1] - nextOffset;
    if (capacity < lent.bytes() + readable + Math.max(outOfOrderBytes, extent)) return;
    this.capacity = capacity;
    if (reservedChunks > 0) reserve();
    if (lent.reserved()) lent.reserve(capacity);
  }

  /**
   * The chunks a buffer of {@code capacity} bytes can hold at most: its bytes start anywhere in the
   * first chunk.
   */
  public static int chunksFor(int capacity) {
    return (int) (((long) capacity + 2 * CHUNK - 2) >>> SHIFT);
  }

  /**
   * Reserves in the pool the chunks the capacity can hold (the first time, or more after growth),
   * and sizes the ring of chunk references for them: both allocate here, not on the data path.
   */
  private void reserve() {
    if (released) return;
    int need = chunksFor(capacity);
    if (need > reservedChunks) {
      pool.reserve(need - reservedChunks, reservedChunks == 0);
      reservedChunks = need;
    }
    if (chunks.length < need) ringOf(Integer.highestOneBit(need - 1) << 1);
  }

  /** The ring of chunk references made {@code length} long (a power of two), the chunks held kept in order. */
  private void ringOf(int length) {
    byte[][] more = new byte[length][];
    for (int k = 0; k < chunkCount; k++) more[k] = chunk(k);
    chunks = more;
    first = 0;
  }

  /**
   * The connection was deleted: its reservation ends (the chunks stay in the pool for the next
   * connection; any it still holds go back as they are read).
   */
  public void release() {
    if (reservedChunks > 0) pool.unreserve(reservedChunks);
    reservedChunks = 0;
    released = true;
  }

  /** Chunks enough for {@code n} more readable bytes. */
  private void ensureRoom(int n) {
    ensureRoomTo((long) head + readable + n);
  }

  /** Chunks up to position {@code end} (bytes from the start of the first chunk). */
  private void ensureRoomTo(long end) {
    if ((long) chunkCount << SHIFT >= end) return;
    if (reservedChunks == 0) reserve();
    while ((long) chunkCount << SHIFT < end) {
      if (chunkCount == chunks.length) ringOf(2 * chunks.length);
      chunks[(first + chunkCount) & (chunks.length - 1)] = pool.take();
      chunkCount++;
    }
  }

  /** The position of stream offset {@code offset} at or past the next in-order byte. */
  private long position(long offset) {
    return (long) head + readable + (offset - nextOffset);
  }

  /** The {@code k}th chunk held. */
  private byte[] chunk(int k) {
    return chunks[(first + k) & (chunks.length - 1)];
  }

  /** Gives the last chunk back to the pool. */
  private void releaseLast() {
    int k = (first + chunkCount - 1) & (chunks.length - 1);
    pool.give(chunks[k]);
    chunks[k] = null;
    chunkCount--;
  }

  /** Gives back the chunks past the readable bytes and the out-of-order text (after it was dropped). */
  private void releaseTail() {
    if (readable == 0 && rangeCount == 0) {
      releaseAll();
      return;
    }
    long end = rangeCount == 0 ? (long) head + readable : position(ranges[2 * rangeCount - 1]);
    while (chunkCount > 0 && (long) (chunkCount - 1) << SHIFT >= end) releaseLast();
  }

  /** Gives the first chunk back to the pool. */
  private void releaseFirst() {
    pool.give(chunks[first]);
    chunks[first] = null;
    first = (first + 1) & (chunks.length - 1);
    chunkCount--;
  }

  /** Bytes the user can read now. */
  public int readable() {
    return lent.bytes() + readable;
  }

  /** Of {@link #readable()}, the bytes that lie in packet buffers, not in the chunks. */
  public int lent() {
    return lent.bytes();
  }

  /**
   * The receive window (RCV.WND): room from the next in-order byte to the right edge. Out-of-order
   * bytes lie inside it, so taking them does not shrink the window the peer was offered.
   */
  public int window() {
    return capacity - lent.bytes() - readable;
  }

  public long nextOffset() {
    return nextOffset;
  }

  /**
   * Takes text starting at stream offset {@code start}: the part at the next offset goes to the
   * readable bytes (followed by any reassembled blocks it joins), the part beyond is kept out of
   * order, what lies before or beyond the window is trimmed. Returns how far the in-order offset
   * advanced.
   */
  public long accept(long start, byte[] data, int off, int len) {
    long windowEnd = nextOffset + window();
    long s = Math.max(start, nextOffset);
    long e = Math.min(start + len, windowEnd);
    if (e <= s) return 0;
    long before = nextOffset;
    int heldBefore = held();
    if (s == nextOffset) {
      append(data, off + (int) (s - start), (int) (e - s));
      nextOffset = e;
      drainOutOfOrder();
    } else {
      storeOutOfOrder(s, e, data, off + (int) (s - start), null, 0);
    }
    account.held(held() - heldBefore);
    return nextOffset - before;
  }

  /**
   * {@link #accept(long, byte[], int, int)} for bytes {@code [from, from + len)} of a segment's
   * payload: in-order text goes straight from the segment into the chunks, with no array per
   * segment (issue #4); out-of-order text (loss, reordering) goes into the chunks at its place.
   */
  public long accept(long start, SegmentView seg, int from, int len) {
    long windowEnd = nextOffset + window();
    long s = Math.max(start, nextOffset);
    long e = Math.min(start + len, windowEnd);
    if (e <= s) return 0;
    int at = from + (int) (s - start);
    int n = (int) (e - s);
    if (s != nextOffset) {
      int heldBefore = held();
      storeOutOfOrder(s, e, null, 0, seg, at);
      account.held(held() - heldBefore);
      return 0;
    }
    long before = nextOffset;
    int heldBefore = held();
    if (!keepLent(seg, at, n)) {
      ensureRoom(n);
      for (int done = 0; done < n; ) {
        int p = head + readable + done;
        int piece = Math.min(n - done, CHUNK - (p & (CHUNK - 1)));
        seg.copyPayload(at + done, chunk(p >>> SHIFT), p & (CHUNK - 1), piece);
        done += piece;
      }
      readable += n;
    }
    nextOffset = e;
    drainOutOfOrder();
    account.held(held() - heldBefore);
    return nextOffset - before;
  }

  /**
   * Keeps payload bytes {@code [at, at + n)} of {@code seg} lent where they lie and returns true,
   * when they may be: the chunks hold no out-of-order text (whose place there assumes that the
   * next in-order byte goes into the chunks), they are many, and their packet buffer lends them.
   */
  private boolean keepLent(SegmentView seg, int at, int n) {
    if (rangeCount > 0 || n < LentBytes.MIN || !(seg instanceof SegmentReader r)) return false;
    PacketBuffer buffer = r.lender();
    return buffer != null && lent.keep(buffer, r.payloadOffset() + at, n, capacity, readable);
  }

  private void append(byte[] src, int off, int len) {
    ensureRoom(len);
    for (int done = 0; done < len; ) {
      int p = head + readable + done;
      int piece = Math.min(len - done, CHUNK - (p & (CHUNK - 1)));
      System.arraycopy(src, off + done, chunk(p >>> SHIFT), p & (CHUNK - 1), piece);
      done += piece;
    }
    readable += len;
  }

  /**
   * Out-of-order text [s, e) from {@code src} at {@code off}, or else from {@code seg}'s payload at
   * {@code at}: written at its place in the chunks where no range holds text yet (the first copy
   * stays, so the byte count is exact), then its range joins the others. The window bounds [s, e),
   * so its place lies within the capacity.
   */
  private void storeOutOfOrder(long s, long e, byte[] src, int off, SegmentView seg, int at) {
    ensureRoomTo(position(e));
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
    long p0 = position(from);
    for (int done = 0; done < len; ) {
      long p = p0 + done;
      int piece = Math.min(len - done, CHUNK - (int) (p & (CHUNK - 1)));
      byte[] c = chunk((int) (p >>> SHIFT));
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
  private void drainOutOfOrder() {
    while (rangeCount > 0 && ranges[0] <= nextOffset) {
      long rs = ranges[0];
      long re = ranges[1];
      outOfOrderBytes -= (int) (re - rs);
      removeRanges(0, 1);
      if (re > nextOffset) {
        readable += (int) (re - nextOffset);
        nextOffset = re;
      }
    }
    // Text that went past a held FIN makes it stale: Linux's tcp_ofo_queue drops an skb whose end
    // is not after RCV.NXT.
    if (finOffset != NO_FIN && nextOffset > finOffset) finOffset = NO_FIN;
  }

  /**
   * Holds a FIN at stream offset {@code offset}, ahead of the next in-order byte and inside the
   * window (the caller checks both). Of two, the lower is kept: it is the one the stream reaches.
   */
  public void holdFin(long offset) {
    if (finOffset == NO_FIN || offset < finOffset) finOffset = offset;
  }

  /** Whether a FIN is held at stream offset {@code offset}. */
  public boolean finHeldAt(long offset) {
    return finOffset != NO_FIN && finOffset == offset;
  }

  /**
   * Whether taking in-order text up to stream offset {@code end}, with the out-of-order text it
   * joins, would make the held FIN the next thing in order (and not pass over it).
   */
  public boolean finReachedBy(long end) {
    if (finOffset == NO_FIN || end > finOffset) return false;
    long reached = Math.max(end, nextOffset);
    for (int i = 0; i < rangeCount; i++) {
      if (ranges[2 * i] > reached) break;
      reached = Math.max(reached, ranges[2 * i + 1]);
    }
    return reached == finOffset;
  }

  /** Linux's tcp_fin purges the out-of-order queue: nothing after the peer's FIN can be read. */
  public void dropOutOfOrder() {
    account.held(-outOfOrderBytes);
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
  public int pruneOutOfOrder(long from, int goal) {
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
    account.held(-dropped);
    if (dropped > 0) releaseTail();
    return dropped;
  }

  /** Whether out-of-order text or a FIN is waiting (a hole exists). */
  public boolean hasOutOfOrder() {
    return rangeCount > 0 || finOffset != NO_FIN;
  }

  /**
   * How many ranges {@link #outOfOrderRanges()} would return, making them ready for {@link
   * #outOfOrderRangeStart} and {@link #outOfOrderRangeEnd} (without allocating: the sender asks for
   * every segment): the held ranges, a held FIN as one position of its own or joined to the text
   * before it.
   */
  public int outOfOrderRangeCount() {
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
  public long outOfOrderRangeStart(int i) {
    return merged[2 * i];
  }

  /** The end of the {@code i}th range {@link #outOfOrderRangeCount} counted last. */
  public long outOfOrderRangeEnd(int i) {
    return merged[2 * i + 1];
  }

  /** Out-of-order ranges as [start, end) stream offsets, ascending; a held FIN takes one position. */
  public List<long[]> outOfOrderRanges() {
    int n = outOfOrderRangeCount();
    List<long[]> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) list.add(new long[] {merged[2 * i], merged[2 * i + 1]});
    return list;
  }

  /** Advances the in-order offset over a control bit (SYN or FIN) that carries no byte. */
  public void skipControl() {
    if (finOffset == nextOffset) finOffset = NO_FIN;
    nextOffset++;
  }

  /**
   * Copies out up to {@code len} readable bytes in stream order, from the chunks and the lent parts
   * as they interleave; {@code consume} removes them.
   */
  public int read(byte[] dst, int off, int len, boolean consume) {
    int n = Math.min(len, lent.bytes() + readable);
    int done = 0;
    int fromChunks = 0;
    int part = 0; // the lent part next in the stream, counted from the first
    int intoPart = 0; // of it, the bytes read
    // The chunks' bytes before the next part (all that are left after the last), and of them those read.
    int chunkRun = lent.count() > 0 ? lent.chunkBytesBefore(0) : readable;
    int runRead = 0;
    while (done < n) {
      if (runRead < chunkRun) {
        int piece = Math.min(n - done, chunkRun - runRead);
        copyFromChunks(head + fromChunks, dst, off + done, piece);
        fromChunks += piece;
        runRead += piece;
        done += piece;
        continue;
      }
      int piece = Math.min(n - done, lent.length(part) - intoPart);
      lent.copy(part, intoPart, dst, off + done, piece);
      intoPart += piece;
      done += piece;
      if (intoPart == lent.length(part)) {
        part++;
        intoPart = 0;
        chunkRun = part < lent.count() ? lent.chunkBytesBefore(part) : readable - lent.chunkBytesInParts();
        runRead = 0;
      }
    }
    if (consume) {
      lent.consume(part, part < lent.count() ? runRead : 0, intoPart);
      head += fromChunks;
      readable -= fromChunks;
      while (head >= CHUNK) {
        releaseFirst();
        head -= CHUNK;
      }
      if (readable == 0 && rangeCount == 0) releaseAll();
      account.held(-n);
    }
    return n;
  }

  /** Copies {@code n} bytes of the chunks from position {@code p} (from the first chunk's start). */
  private void copyFromChunks(int p, byte[] dst, int off, int n) {
    for (int done = 0; done < n; ) {
      int q = p + done;
      int piece = Math.min(n - done, CHUNK - (q & (CHUNK - 1)));
      System.arraycopy(chunk(q >>> SHIFT), q & (CHUNK - 1), dst, off + done, piece);
      done += piece;
    }
  }

  /** Nothing readable: every chunk goes back to the pool. */
  private void releaseAll() {
    while (chunkCount > 0) releaseFirst();
    head = 0;
  }

  /** Discards everything (abort, reset). Returns how many unread bytes were dropped. */
  public int clear() {
    int dropped = lent.bytes() + readable;
    account.held(-held());
    lent.clear();
    readable = 0;
    releaseAll();
    rangeCount = 0;
    outOfOrderBytes = 0;
    finOffset = NO_FIN;
    return dropped;
  }
}
