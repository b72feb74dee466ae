package org.tcpspec.tcb;

import java.util.ArrayList;
import java.util.List;
import org.tcpspec.wire.SegmentView;

/**
 * Received bytes: the in-order part the user has not read yet, and a bounded reassembler for
 * out-of-order text (RFC 9293 §3.10.7.4 seventh step; RFC 2018 for the SACK blocks it reports).
 * Positions are 64-bit stream offsets (bytes since the peer's SYN), so wraparound of sequence
 * numbers never reaches here. Out-of-order bytes count against the same capacity as in-order
 * ones, so the advertised window bounds the bytes held (never more than {@link #capacity()}). The
 * capacity is a limit (SO_RCVBUF, tcp_rmem's default, autotuned), not an allocation: the in-order
 * bytes lie in a queue of fixed-size chunks taken from the stack's {@link ChunkPool} as bytes
 * arrive and given back as they are read, as Linux allocates receive memory per segment; a
 * connection that holds nothing unread holds no chunk, and growing to a larger capacity copies
 * nothing.
 *
 * <p>A FIN that arrives ahead of the next in-order byte is held too, as Linux holds it in the
 * out-of-order queue with its text (tcp_data_queue_ofo): it takes one position of sequence space
 * and no byte, the SACK ranges cover it, and it becomes the next thing in order when the text
 * before it has arrived (tcp_ofo_queue, which then calls tcp_fin).
 */
public final class ReceiveBuffer {
  /** A block of out-of-order text, [start, start + data.length). */
  private record Block(long start, byte[] data) {
    long end() {
      return start + data.length;
    }
  }

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
  private final List<Block> outOfOrder = new ArrayList<>();
  private int outOfOrderBytes;
  /** Stream offset of a FIN held out of order, or {@link #NO_FIN}. */
  private long finOffset = NO_FIN;
  private static final long NO_FIN = -1;
  private final BufferAccount account;

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
    return readable + outOfOrderBytes;
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

  /** A new limit (SO_RCVBUF, autotuning); never below what is held. */
  public void resize(int capacity) {
    if (capacity < readable + outOfOrderBytes) return;
    this.capacity = capacity;
  }

  /** Chunks enough for {@code n} more readable bytes. */
  private void ensureRoom(int n) {
    long needed = (long) head + readable + n;
    while ((long) chunkCount << SHIFT < needed) {
      if (chunkCount == chunks.length) {
        byte[][] more = new byte[2 * chunks.length][];
        for (int k = 0; k < chunkCount; k++) more[k] = chunk(k);
        chunks = more;
        first = 0;
      }
      chunks[(first + chunkCount) & (chunks.length - 1)] = pool.take();
      chunkCount++;
    }
  }

  /** The {@code k}th chunk held. */
  private byte[] chunk(int k) {
    return chunks[(first + k) & (chunks.length - 1)];
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
    return readable;
  }

  /**
   * The receive window (RCV.WND): room from the next in-order byte to the right edge. Out-of-order
   * bytes lie inside it, so taking them does not shrink the window the peer was offered.
   */
  public int window() {
    return capacity - readable;
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
      storeOutOfOrder(s, data, off + (int) (s - start), (int) (e - s));
    }
    account.held(held() - heldBefore);
    return nextOffset - before;
  }

  /**
   * {@link #accept(long, byte[], int, int)} for bytes {@code [from, from + len)} of a segment's
   * payload: in-order text goes straight from the segment into the chunks, with no array per
   * segment (issue #4); out-of-order text (loss, reordering) is rare and is sliced out first.
   */
  public long accept(long start, SegmentView seg, int from, int len) {
    long windowEnd = nextOffset + window();
    long s = Math.max(start, nextOffset);
    long e = Math.min(start + len, windowEnd);
    if (e <= s) return 0;
    int at = from + (int) (s - start);
    int n = (int) (e - s);
    if (s != nextOffset) {
      byte[] slice = new byte[n];
      seg.copyPayload(at, slice, 0, n);
      return accept(s, slice, 0, n);
    }
    long before = nextOffset;
    int heldBefore = held();
    ensureRoom(n);
    for (int done = 0; done < n; ) {
      int p = head + readable + done;
      int piece = Math.min(n - done, CHUNK - (p & (CHUNK - 1)));
      seg.copyPayload(at + done, chunk(p >>> SHIFT), p & (CHUNK - 1), piece);
      done += piece;
    }
    readable += n;
    nextOffset = e;
    drainOutOfOrder();
    account.held(held() - heldBefore);
    return nextOffset - before;
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

  private void storeOutOfOrder(long s, byte[] src, int off, int len) {
    // Keep only bytes no block holds yet, so the byte count stays exact.
    long cur = s;
    long end = s + len;
    List<Block> fresh = new ArrayList<>();
    for (Block b : outOfOrder) {
      if (b.end() <= cur) continue;
      if (b.start() >= end) break;
      if (b.start() > cur) fresh.add(slice(cur, src, off + (int) (cur - s), (int) (b.start() - cur)));
      cur = Math.max(cur, b.end());
      if (cur >= end) break;
    }
    if (cur < end) fresh.add(slice(cur, src, off + (int) (cur - s), (int) (end - cur)));
    int room = window() - outOfOrderBytes;
    for (Block b : fresh) {
      // The window bounds the blocks, but the chunks may also hold unread bytes: never exceed it.
      if (b.data().length > room) break;
      room -= b.data().length;
      outOfOrderBytes += b.data().length;
      int i = 0;
      while (i < outOfOrder.size() && outOfOrder.get(i).start() < b.start()) i++;
      outOfOrder.add(i, b);
    }
  }

  private static Block slice(long start, byte[] src, int off, int len) {
    byte[] d = new byte[len];
    System.arraycopy(src, off, d, 0, len);
    return new Block(start, d);
  }

  private void drainOutOfOrder() {
    while (!outOfOrder.isEmpty()) {
      Block b = outOfOrder.getFirst();
      if (b.start() > nextOffset) break;
      outOfOrder.removeFirst();
      outOfOrderBytes -= b.data().length;
      if (b.end() > nextOffset) {
        int skip = (int) (nextOffset - b.start());
        append(b.data(), skip, b.data().length - skip);
        nextOffset = b.end();
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
    for (int i = 0; i < outOfOrder.size(); i++) {
      Block b = outOfOrder.get(i);
      if (b.start() > reached) break;
      reached = Math.max(reached, b.end());
    }
    return reached == finOffset;
  }

  /** Linux's tcp_fin purges the out-of-order queue: nothing after the peer's FIN can be read. */
  public void dropOutOfOrder() {
    account.held(-outOfOrderBytes);
    outOfOrder.clear();
    outOfOrderBytes = 0;
    finOffset = NO_FIN;
  }

  /**
   * Linux's tcp_prune_ofo_queue: drops out-of-order blocks from the highest one down, none that
   * starts before {@code from} (the arriving text would land after them, so dropping them makes no
   * room worth having), until at least {@code goal} bytes are gone. Returns the bytes dropped.
   */
  public int pruneOutOfOrder(long from, int goal) {
    // A held FIN lies at the end of what the peer sent: the highest skb, which Linux drops first.
    if (finOffset != NO_FIN && finOffset >= from) finOffset = NO_FIN;
    int dropped = 0;
    while (dropped < goal && !outOfOrder.isEmpty() && outOfOrder.getLast().start() >= from) {
      dropped += outOfOrder.removeLast().data().length;
    }
    outOfOrderBytes -= dropped;
    account.held(-dropped);
    return dropped;
  }

  /** Whether out-of-order text or a FIN is waiting (a hole exists). */
  public boolean hasOutOfOrder() {
    return !outOfOrder.isEmpty() || finOffset != NO_FIN;
  }

  /** How many ranges {@link #outOfOrderRanges()} would return (without allocating them). */
  public int outOfOrderRangeCount() {
    int n = 0;
    long lastEnd = -1;
    boolean finCounted = finOffset == NO_FIN;
    // Indexed: the sender asks for every segment, and an iterator would allocate.
    for (int i = 0; i < outOfOrder.size(); i++) {
      Block b = outOfOrder.get(i);
      if (!finCounted && finOffset < b.start()) {
        if (finOffset != lastEnd) n++;
        lastEnd = finOffset + 1;
        finCounted = true;
      }
      if (b.start() != lastEnd) n++;
      lastEnd = b.end();
      // A FIN inside held text (a peer contradicting itself) adds no range.
      if (!finCounted && finOffset < b.end()) finCounted = true;
    }
    if (!finCounted && finOffset != lastEnd) n++;
    return n;
  }

  /** Out-of-order ranges as [start, end) stream offsets, ascending; a held FIN takes one position. */
  public List<long[]> outOfOrderRanges() {
    List<long[]> ranges = new ArrayList<>();
    boolean finAdded = finOffset == NO_FIN;
    for (Block b : outOfOrder) {
      if (!finAdded && finOffset < b.start()) {
        addRange(ranges, finOffset, finOffset + 1);
        finAdded = true;
      }
      addRange(ranges, b.start(), b.end());
      if (!finAdded && finOffset < b.end()) finAdded = true;
    }
    if (!finAdded) addRange(ranges, finOffset, finOffset + 1);
    return ranges;
  }

  private static void addRange(List<long[]> ranges, long start, long end) {
    if (!ranges.isEmpty() && ranges.getLast()[1] == start) ranges.getLast()[1] = end;
    else ranges.add(new long[] {start, end});
  }

  /** Advances the in-order offset over a control bit (SYN or FIN) that carries no byte. */
  public void skipControl() {
    if (finOffset == nextOffset) finOffset = NO_FIN;
    nextOffset++;
  }

  /** Copies out up to {@code len} readable bytes; {@code consume} removes them. */
  public int read(byte[] dst, int off, int len, boolean consume) {
    int n = Math.min(len, readable);
    for (int done = 0; done < n; ) {
      int p = head + done;
      int piece = Math.min(n - done, CHUNK - (p & (CHUNK - 1)));
      System.arraycopy(chunk(p >>> SHIFT), p & (CHUNK - 1), dst, off + done, piece);
      done += piece;
    }
    if (consume) {
      head += n;
      readable -= n;
      while (head >= CHUNK) {
        releaseFirst();
        head -= CHUNK;
      }
      if (readable == 0) releaseAll();
      account.held(-n);
    }
    return n;
  }

  /** Nothing readable: every chunk goes back to the pool. */
  private void releaseAll() {
    while (chunkCount > 0) releaseFirst();
    head = 0;
  }

  /** Discards everything (abort, reset). Returns how many unread bytes were dropped. */
  public int clear() {
    int dropped = readable;
    account.held(-held());
    readable = 0;
    releaseAll();
    outOfOrder.clear();
    outOfOrderBytes = 0;
    finOffset = NO_FIN;
    return dropped;
  }
}
