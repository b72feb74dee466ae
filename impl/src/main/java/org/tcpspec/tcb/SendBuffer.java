package org.tcpspec.tcb;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.tcpspec.wire.NativeSlices;
import org.tcpspec.wire.PayloadSource;

/**
 * Bytes the user wrote that the peer has not acknowledged: index 0 is the byte at SND.UNA. Its
 * capacity is SO_SNDBUF (tcp_wmem's default, Linux's sk_sndbuf), which the stack compares with
 * Linux's accounting of the bytes (skb truesize, stack.SendSkbs); the ring takes up to {@link
 * #SKB_SLACK} bytes more, since Linux asks for room only before each new skb and an skb may be
 * topped up without asking, so a write may overshoot the limit. The ring starts at {@link
 * #INITIAL_RING} bytes and doubles when a write needs the room, so a connection that sends little holds little,
 * and steady-state sending, once the ring has grown, allocates nothing here. The ring is native
 * memory (the garbage collector's to free), so a device that gathers its writes sends a segment's
 * payload from here without a copy ({@link #slicesTo}; issue 15: copying it into the packet was
 * 14 % of all samples sending to the kernel at MTU 65000).
 */
public final class SendBuffer implements PayloadSource {
  static final int INITIAL_RING = 2048;
  /**
   * How far the bytes held may pass the capacity: two skbs of Linux's largest size goal
   * (GSO_LEGACY_MAX_SIZE), the one begun below the limit and a tail topped up past it.
   */
  public static final int SKB_SLACK = 2 * 65_536;

  private MemorySegment ring;
  private int capacity;
  private int head;
  private int size;
  private final BufferAccount account;

  public SendBuffer(int capacity) {
    this(capacity, BufferAccount.NONE);
  }

  /** A buffer that reports the bytes it holds (Linux's sk_wmem_queued) to {@code account}. */
  public SendBuffer(int capacity, BufferAccount account) {
    this.capacity = Math.max(1, capacity);
    this.account = account;
    ring = allocate(Math.min(this.capacity, INITIAL_RING));
  }

  public int capacity() {
    return capacity;
  }

  /** The bytes allocated now: at most {@link #limit()}. */
  public int allocated() {
    return ringLength();
  }

  /** The most bytes the ring holds: the capacity plus {@link #SKB_SLACK}. */
  public int limit() {
    return (int) Math.min(Integer.MAX_VALUE, (long) capacity + SKB_SLACK);
  }

  /** A new capacity for SO_SNDBUF; never one whose {@link #limit()} is below the bytes held. */
  public void resize(int capacity) {
    if (capacity == this.capacity || (long) capacity + SKB_SLACK < size) return;
    this.capacity = capacity;
    if (ringLength() > limit()) reallocate(limit());
  }

  private void reallocate(int length) {
    MemorySegment previous = ring;
    int start = head;
    int previousLength = ringLength();
    ring = allocate(length);
    int first = Math.min(size, previousLength - start);
    MemorySegment.copy(previous, start, ring, 0, first);
    MemorySegment.copy(previous, 0, ring, first, size - first);
    head = 0;
  }

  /** A ring of {@code length} bytes; a packet still pointing at the one it replaces keeps that alive. */
  private static MemorySegment allocate(int length) {
    return Arena.ofAuto().allocate(length);
  }

  private int ringLength() {
    return (int) ring.byteSize();
  }

  public int size() {
    return size;
  }

  /** What the ring can still take: {@link #limit()} less the bytes held. */
  public int room() {
    return limit() - size;
  }

  /** Appends up to {@code len} bytes; returns how many fit. */
  public int write(byte[] src, int off, int len) {
    int n = Math.min(len, room());
    if (size + n > ringLength()) reallocate(Math.min(limit(), Math.max(2 * ringLength(), size + n)));
    int tail = (head + size) % ringLength();
    int first = Math.min(n, ringLength() - tail);
    MemorySegment.copy(src, off, ring, ValueLayout.JAVA_BYTE, tail, first);
    MemorySegment.copy(src, off + first, ring, ValueLayout.JAVA_BYTE, 0, n - first);
    size += n;
    account.held(n);
    return n;
  }

  /** Copies {@code len} bytes starting {@code from} bytes after SND.UNA into {@code dst}. */
  @Override
  public void copyOut(int from, byte[] dst, int dstOff, int len) {
    int start = start(from, len);
    int first = Math.min(len, ringLength() - start);
    MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, start, dst, dstOff, first);
    MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, 0, dst, dstOff + first, len - first);
  }

  /** {@link #copyOut(int, byte[], int, int)} into native memory: a device's packet buffer. */
  @Override
  public void copyOut(int from, MemorySegment dst, long dstOff, int len) {
    int start = start(from, len);
    int first = Math.min(len, ringLength() - start);
    MemorySegment.copy(ring, start, dst, dstOff, first);
    MemorySegment.copy(ring, 0, dst, dstOff + first, len - first);
  }

  /** Where bytes {@code [from, from + len)} lie in the ring: one run, or two where it wraps. */
  @Override
  public boolean slicesTo(int from, int len, NativeSlices out) {
    if (out.room() < 2) return false;
    int start = start(from, len);
    int first = Math.min(len, ringLength() - start);
    out.add(ring, start, first);
    out.add(ring, 0, len - first);
    return true;
  }

  /** The ring index of the byte {@code from} after SND.UNA, once [from, from + len) is checked to be held. */
  private int start(int from, int len) {
    if (from < 0 || len < 0 || from + len > size) throw new IndexOutOfBoundsException(from + "+" + len + " > " + size);
    return (head + from) % ringLength();
  }

  /** Drops {@code n} acknowledged bytes from the front. */
  public void consume(int n) {
    if (n < 0 || n > size) throw new IllegalArgumentException("consume " + n + " of " + size);
    head = (head + n) % ringLength();
    size -= n;
    account.held(-n);
  }

  public void clear() {
    account.held(-size);
    head = 0;
    size = 0;
  }
}
