package org.tcpspec.tcb;

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
 *
 * <p>Split by concern into parts made once per buffer: {@link ChunkRing} (the chunks held and the
 * reservation in the pool), {@link OutOfOrderQueue} (the out-of-order ranges, the held FIN and the
 * SACK ranges they make) and {@link LentBytes} (the lent parts). The buffer keeps the in-order
 * bytes: taking text, the window, reading and copying out.
 */
public final class ReceiveBuffer {
  private static final int CHUNK = ChunkPool.CHUNK;
  private static final int SHIFT = ChunkPool.CHUNK_SHIFT;

  /** The chunks held and the reservation in the pool. */
  final ChunkRing ring;
  private int capacity;
  /** Where the first readable byte lies in the first chunk. */
  int head;
  int readable;
  /** Stream offset of the next in-order byte (RCV.NXT as an offset). */
  long nextOffset;
  /** The out-of-order text and the held FIN. */
  private final OutOfOrderQueue ofo = new OutOfOrderQueue(this);
  final BufferAccount account;
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
    this.ring = new ChunkRing(pool);
  }

  /** The bytes held: readable and out of order (Linux's sk_rmem_alloc, without skb overhead). */
  public int held() {
    return lent.bytes() + readable + ofo.outOfOrderBytes;
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
    return ring.chunkCount * CHUNK;
  }

  /**
   * A new limit (SO_RCVBUF, autotuning); never below what is held, out-of-order text up to its
   * place included. A buffer that holds bytes reserves the chunks a larger one can hold.
   */
  public void resize(int capacity) {
    if (capacity < lent.bytes() + readable + Math.max(ofo.outOfOrderBytes, ofo.reachBeyond(nextOffset))) return;
    this.capacity = capacity;
    if (ring.reservedChunks > 0) ring.reserve(capacity);
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
   * The connection was deleted: its reservation ends (the chunks stay in the pool for the next
   * connection; any it still holds go back as they are read).
   */
  public void release() {
    ring.release();
  }

  /** Chunks enough for {@code n} more readable bytes. */
  private void ensureRoom(int n) {
    ensureRoomTo((long) head + readable + n);
  }

  /** Chunks up to position {@code end} (bytes from the start of the first chunk). */
  void ensureRoomTo(long end) {
    ring.ensureRoomTo(end, capacity);
  }

  /** The position of stream offset {@code offset} at or past the next in-order byte. */
  long position(long offset) {
    return (long) head + readable + (offset - nextOffset);
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
    return Math.max(0, capacity - lent.bytes() - readable);
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
      ofo.drainOutOfOrder();
    } else {
      ofo.storeOutOfOrder(s, e, data, off + (int) (s - start), null, 0);
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
    return accept(start, seg, from, len, false);
  }

  /**
   * {@link #accept(long, SegmentView, int, int)}; {@code whole}: the text is taken whole, past the
   * capacity if need be (Linux 6.17+ takes a packet beyond the window whole when its receive queue
   * is empty, tcp_sequence), and the buffer then holds more than its capacity until it is read.
   */
  public long accept(long start, SegmentView seg, int from, int len, boolean whole) {
    long windowEnd = whole ? Math.max(start + len, nextOffset + window()) : nextOffset + window();
    long s = Math.max(start, nextOffset);
    long e = Math.min(start + len, windowEnd);
    if (e <= s) return 0;
    int at = from + (int) (s - start);
    int n = (int) (e - s);
    if (s != nextOffset) {
      int heldBefore = held();
      ofo.storeOutOfOrder(s, e, null, 0, seg, at);
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
        seg.copyPayload(at + done, ring.chunk(p >>> SHIFT), p & (CHUNK - 1), piece);
        done += piece;
      }
      readable += n;
    }
    nextOffset = e;
    ofo.drainOutOfOrder();
    account.held(held() - heldBefore);
    return nextOffset - before;
  }

  /**
   * Keeps payload bytes {@code [at, at + n)} of {@code seg} lent where they lie and returns true,
   * when they may be: the chunks hold no out-of-order text (whose place there assumes that the
   * next in-order byte goes into the chunks), they are many, and their packet buffer lends them.
   */
  private boolean keepLent(SegmentView seg, int at, int n) {
    if (ofo.rangeCount > 0 || n < LentBytes.MIN || !(seg instanceof SegmentReader r)) return false;
    PacketBuffer buffer = r.lender();
    return buffer != null && lent.keep(buffer, r.payloadOffset() + at, n, capacity, readable);
  }

  private void append(byte[] src, int off, int len) {
    ensureRoom(len);
    for (int done = 0; done < len; ) {
      int p = head + readable + done;
      int piece = Math.min(len - done, CHUNK - (p & (CHUNK - 1)));
      System.arraycopy(src, off + done, ring.chunk(p >>> SHIFT), p & (CHUNK - 1), piece);
      done += piece;
    }
    readable += len;
  }

  /**
   * Holds a FIN at stream offset {@code offset}, ahead of the next in-order byte and inside the
   * window (the caller checks both): see {@link OutOfOrderQueue#holdFin}.
   */
  public void holdFin(long offset) {
    ofo.holdFin(offset);
  }

  /** Whether a FIN is held at stream offset {@code offset}. */
  public boolean finHeldAt(long offset) {
    return ofo.finHeldAt(offset);
  }

  /**
   * Whether taking in-order text up to stream offset {@code end}, with the out-of-order text it
   * joins, would make the held FIN the next thing in order (and not pass over it).
   */
  public boolean finReachedBy(long end) {
    return ofo.finReachedBy(end);
  }

  /** Linux's tcp_fin purges the out-of-order queue: nothing after the peer's FIN can be read. */
  public void dropOutOfOrder() {
    ofo.dropOutOfOrder();
  }

  /**
   * Linux's tcp_prune_ofo_queue: drops out-of-order text from the highest down, none before {@code
   * from}, until {@code goal} bytes are gone ({@link OutOfOrderQueue#pruneOutOfOrder}). Returns the
   * bytes dropped.
   */
  public int pruneOutOfOrder(long from, int goal) {
    return ofo.pruneOutOfOrder(from, goal);
  }

  /** Whether out-of-order text or a FIN is waiting (a hole exists). */
  public boolean hasOutOfOrder() {
    return ofo.hasOutOfOrder();
  }

  /**
   * How many ranges {@link #outOfOrderRanges()} would return, making them ready for {@link
   * #outOfOrderRangeStart} and {@link #outOfOrderRangeEnd} (without allocating: the sender asks for
   * every segment): see {@link OutOfOrderQueue#outOfOrderRangeCount}.
   */
  public int outOfOrderRangeCount() {
    return ofo.outOfOrderRangeCount();
  }

  /** The start of the {@code i}th range (ascending) {@link #outOfOrderRangeCount} counted last. */
  public long outOfOrderRangeStart(int i) {
    return ofo.outOfOrderRangeStart(i);
  }

  /** The end of the {@code i}th range {@link #outOfOrderRangeCount} counted last. */
  public long outOfOrderRangeEnd(int i) {
    return ofo.outOfOrderRangeEnd(i);
  }

  /** Out-of-order ranges as [start, end) stream offsets, ascending; a held FIN takes one position. */
  public List<long[]> outOfOrderRanges() {
    return ofo.outOfOrderRanges();
  }

  /** Advances the in-order offset over a control bit (SYN or FIN) that carries no byte. */
  public void skipControl() {
    ofo.controlTaken(nextOffset);
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
        ring.copyFromChunks(head + fromChunks, dst, off + done, piece);
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
        ring.releaseFirst();
        head -= CHUNK;
      }
      if (readable == 0 && ofo.rangeCount == 0) releaseAll();
      account.held(-n);
    }
    return n;
  }

  /** Nothing readable: every chunk goes back to the pool. */
  void releaseAll() {
    ring.releaseAll();
    head = 0;
  }

  /** Discards everything (abort, reset). Returns how many unread bytes were dropped. */
  public int clear() {
    int dropped = lent.bytes() + readable;
    account.held(-held());
    lent.clear();
    readable = 0;
    releaseAll();
    ofo.clear();
    return dropped;
  }
}