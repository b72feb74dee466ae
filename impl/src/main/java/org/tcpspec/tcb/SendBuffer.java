package org.tcpspec.tcb;

/**
 * Bytes the user wrote that the peer has not acknowledged: index 0 is the byte at SND.UNA. A ring
 * over one array allocated at connection setup, so steady-state sending allocates nothing here.
 */
public final class SendBuffer {
  private byte[] ring;
  private int head;
  private int size;

  public SendBuffer(int capacity) {
    ring = new byte[Math.max(1, capacity)];
  }

  public int capacity() {
    return ring.length;
  }

  /** Grows (never shrinks below the bytes held) for SO_SNDBUF. */
  public void resize(int capacity) {
    if (capacity < size || capacity == ring.length) return;
    byte[] next = new byte[capacity];
    copyOut(0, next, 0, size);
    ring = next;
    head = 0;
  }

  public int size() {
    return size;
  }

  public int free() {
    return ring.length - size;
  }

  /** Appends up to {@code len} bytes; returns how many fit. */
  public int write(byte[] src, int off, int len) {
    int n = Math.min(len, free());
    int tail = (head + size) % ring.length;
    int first = Math.min(n, ring.length - tail);
    System.arraycopy(src, off, ring, tail, first);
    System.arraycopy(src, off + first, ring, 0, n - first);
    size += n;
    return n;
  }

  /** Copies {@code len} bytes starting {@code from} bytes after SND.UNA into {@code dst}. */
  public void copyOut(int from, byte[] dst, int dstOff, int len) {
    if (from < 0 || len < 0 || from + len > size) throw new IndexOutOfBoundsException(from + "+" + len + " > " + size);
    int start = (head + from) % ring.length;
    int first = Math.min(len, ring.length - start);
    System.arraycopy(ring, start, dst, dstOff, first);
    System.arraycopy(ring, 0, dst, dstOff + first, len - first);
  }

  /** Drops {@code n} acknowledged bytes from the front. */
  public void consume(int n) {
    if (n < 0 || n > size) throw new IllegalArgumentException("consume " + n + " of " + size);
    head = (head + n) % ring.length;
    size -= n;
  }

  public void clear() {
    head = 0;
    size = 0;
  }
}
