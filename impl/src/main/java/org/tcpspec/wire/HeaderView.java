package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The shared machinery of the header flyweights: a window of {@code length} bytes at {@code
 * offset} of a byte array, a {@link ByteBuffer} or a {@link MemorySegment}, read and written
 * explicitly big-endian (network byte order, RFC 791 Appendix B) one byte at a time, so the
 * backing's own byte order never matters.
 *
 * <p>Contract, as smoltcp writes it down for its packet views: {@code wrap} checks once that the
 * window lies inside the backing and holds at least the fixed header; after that, no accessor of
 * a fixed header field can fail. The variable parts (IP options, TCP options, payload) are read
 * with {@link #byteAt(int)} and {@link #copyOut}, which are bounds-checked against the window;
 * {@link SegmentReader} checks the header lengths before it uses them, so in its wrap they
 * never fail either. A view is not thread-safe; re-wrap it for every packet, it allocates nothing.
 */
public abstract sealed class HeaderView permits Ipv4Header, Ipv6Header, TcpHeader {

  // Exactly one backing is non-null at a time; a fresh view wraps zeros so it is never unusable.
  private byte[] array;
  private ByteBuffer buffer;
  private MemorySegment memory;
  private long offset;
  private int length;

  HeaderView(int minLength) {
    this.array = new byte[minLength];
    this.length = minLength;
  }

  /** Bytes of the fixed header: the least a window must hold. */
  abstract int minLength();

  final void wrapArray(byte[] bytes, int at, int len) {
    Objects.checkFromIndexSize(at, len, bytes.length);
    window(bytes, null, null, at, len);
  }

  final void wrapBuffer(ByteBuffer bytes, int at, int len) {
    Objects.checkFromIndexSize(at, len, bytes.limit());
    window(null, bytes, null, at, len);
  }

  final void wrapMemory(MemorySegment bytes, long at, int len) {
    Objects.checkFromIndexSize(at, len, bytes.byteSize());
    window(null, null, bytes, at, len);
  }

  /**
   * Where the window starts in native memory {@code m}: its offset when the view wraps {@code m},
   * else -1.
   */
  final long offsetIn(MemorySegment m) {
    return memory == m ? offset : -1;
  }

  /** Wraps the bytes {@code [at, at + len)} of another view's window, on the same backing. */
  final void wrapInside(HeaderView outer, int at, int len) {
    Objects.checkFromIndexSize(at, len, outer.length);
    window(outer.array, outer.buffer, outer.memory, outer.offset + at, len);
  }

  /**
   * Points the view at its new window once the caller has checked the window lies inside the
   * backing; exactly one of the three backings is non-null.
   */
  private void window(byte[] a, ByteBuffer b, MemorySegment m, long at, int len) {
    if (len < minLength()) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " needs at least " + minLength() + " bytes, got " + len);
    }
    array = a;
    buffer = b;
    memory = m;
    offset = at;
    length = len;
  }

  /** Bytes in the window: the header and whatever follows it. */
  public final int length() {
    return length;
  }

  /** The unsigned byte at {@code index} of the window; bounds-checked. */
  public final int byteAt(int index) {
    Objects.checkIndex(index, length);
    return u8(index);
  }

  /** Writes the low 8 bits of {@code value} at {@code index} of the window; bounds-checked. */
  public final void byteAt(int index, int value) {
    Objects.checkIndex(index, length);
    put8(index, value);
  }

  /** Copies {@code len} bytes from window index {@code from} into {@code dst}. */
  public final void copyOut(int from, byte[] dst, int dstOffset, int len) {
    Objects.checkFromIndexSize(from, len, length);
    Objects.checkFromIndexSize(dstOffset, len, dst.length);
    long at = offset + from;
    if (array != null) {
      System.arraycopy(array, (int) at, dst, dstOffset, len);
    } else if (buffer != null) {
      buffer.get((int) at, dst, dstOffset, len);
    } else {
      MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, at, dst, dstOffset, len);
    }
  }

  /**
   * Copies {@code len} bytes of {@code src} from {@code from} on into the window at index {@code
   * to} and returns true when the window lies in an array or native memory; over a ByteBuffer it
   * copies nothing and returns false.
   */
  final boolean copyIn(int to, PayloadSource src, int from, int len) {
    Objects.checkFromIndexSize(to, len, length);
    long at = offset + to;
    if (array != null) {
      src.copyOut(from, array, (int) at, len);
    } else if (buffer == null) {
      src.copyOut(from, memory, at, len);
    } else {
      return false;
    }
    return true;
  }

  /** Copies {@code len} bytes of {@code src} into the window at index {@code to}. */
  public final void copyIn(int to, byte[] src, int srcOffset, int len) {
    Objects.checkFromIndexSize(to, len, length);
    Objects.checkFromIndexSize(srcOffset, len, src.length);
    long at = offset + to;
    if (array != null) {
      System.arraycopy(src, srcOffset, array, (int) at, len);
    } else if (buffer != null) {
      buffer.put((int) at, src, srcOffset, len);
    } else {
      MemorySegment.copy(src, srcOffset, memory, ValueLayout.JAVA_BYTE, at, len);
    }
  }

  /**
   * The folded 16-bit ones' complement sum (RFC 1071 §4.1) of window bytes {@code [from, from +
   * len)}, a trailing odd byte padded with zero; bounds-checked.
   */
  final int sum(int from, int len) {
    Objects.checkFromIndexSize(from, len, length);
    if (array != null) return InternetChecksum.sum(array, (int) offset + from, len);
    long acc = 0;
    int i = from;
    int end = from + len;
    for (; i + 1 < end; i += 2) acc += u16(i);
    if (i < end) acc += u8(i) << 8;
    return InternetChecksum.fold(acc);
  }

  final int u8(int at) {
    long i = offset + at;
    if (array != null) return array[(int) i] & 0xFF;
    if (buffer != null) return buffer.get((int) i) & 0xFF;
    return memory.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
  }

  final int u16(int at) {
    return (u8(at) << 8) | u8(at + 1);
  }

  final int u32(int at) {
    return (u16(at) << 16) | u16(at + 2);
  }

  final long u64(int at) {
    return ((long) u32(at) << 32) | (u32(at + 4) & 0xFFFF_FFFFL);
  }

  final void put8(int at, int value) {
    long i = offset + at;
    byte b = (byte) value;
    if (array != null) {
      array[(int) i] = b;
    } else if (buffer != null) {
      buffer.put((int) i, b);
    } else {
      memory.set(ValueLayout.JAVA_BYTE, i, b);
    }
  }

  final void put16(int at, int value) {
    put8(at, value >>> 8);
    put8(at + 1, value);
  }

  final void put32(int at, int value) {
    put16(at, value >>> 16);
    put16(at + 2, value);
  }

  final void put64(int at, long value) {
    put32(at, (int) (value >>> 32));
    put32(at + 4, (int) value);
  }
}
