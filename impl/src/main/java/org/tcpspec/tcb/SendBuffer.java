package org.tcpspec.tcb;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.tcpspec.wire.PayloadSource;

/**
 * Bytes the user wrote that the peer has not acknowledged: index 0 is the byte at SND.UNA. A ring
 * whose capacity (SO_SNDBUF, tcp_wmem's default) is a limit: it starts at {@link #INITIAL_RING}
 * bytes and doubles when a write needs the room, so a connection that sends little holds little,
 * and steady-state sending, once the ring has grown, allocates nothing here.
 */
public final class SendBuffer implements PayloadSource {
  static final int INITIAL_RING = 2048;

  private byte[] ring;
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
    ring = new byte[Math.min(this.capacity, INITIAL_RING)];
  }

  public int capacity() {
    return capacity;
  }

  /** The bytes allocated now: at most {@link #capacity()}. */
  public int allocated() {
    return ring.length;
  }

  /** A new limit for SO_SNDBUF; never below the bytes held. */
  public void resize(int capacity) {
    if (capacity < size || capacity == this.capacity) return;
    this.capacity = capacity;
    if (ring.length > capacity) reallocate(capacity);
  }

  private void reallocate(int length) {
    byte[] next = new byte[length];
    copyOut(0, next, 0, size);
    ring = next;
    head = 0;
  }

  public int size() {
    return size;
  }

  public int free() {
    return capacity - size;
  }

  /** Appends up to {@code len} bytes; returns how many fit. */
  public int write(byte[] src, int off, int len) {
    int n = Math.min(len, free());
    if (size + n > ring.length) reallocate(Math.min(capacity, Math.max(2 * ring.length, size + n)));
    int tail = (head + size) % ring.length;
    int first = Math.min(n, ring.length - tail);
    System.arraycopy(src, off, ring, tail, first);
    System.arraycopy(src, off + first, ring, 0, n - first);
    size += n;
    account.held(n);
    return n;
  }

  /** Copies {@code len} bytes starting {@code from} bytes after SND.UNA into {@code dst}. */
  @Override
  public void copyOut(int from, byte[] dst, int dstOff, int len) {
    int start = start(from, len);
    int first = Math.min(len, ring.length - start);
    System.arraycopy(ring, start, dst, dstOff, first);
    System.arraycopy(ring, 0, dst, dstOff + first, len - first);
  }

  /** {@link #copyOut(int, byte[], int, int)} into native memory: a device's packet buffer. */
  @Override
  public void copyOut(int from, MemorySegment dst, long dstOff, int len) {
    int start = start(from, len);
    int first = Math.min(len, ring.length - start);
    MemorySegment.copy(ring, start, dst, ValueLayout.JAVA_BYTE, dstOff, first);
    MemorySegment.copy(ring, 0, dst, ValueLayout.JAVA_BYTE, dstOff + first, len - first);
  }

  /** The ring index of the byte {@code from} after SND.UNA, once [from, from + len) is checked to be held. */
  private int start(int from, int len) {
    if (from < 0 || len < 0 || from + len > size) throw new IndexOutOfBoundsException(from + "+" + len + " > " + size);
    return (head + from) % ring.length;
  }

  /** Drops {@code n} acknowledged bytes from the front. */
  public void consume(int n) {
    if (n < 0 || n > size) throw new IllegalArgumentException("consume " + n + " of " + size);
    head = (head + n) % ring.length;
    size -= n;
    account.held(-n);
  }

  public void clear() {
    account.held(-size);
    head = 0;
    size = 0;
  }
}
