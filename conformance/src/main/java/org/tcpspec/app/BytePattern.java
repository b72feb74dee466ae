package org.tcpspec.app;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The deterministic body of {@code GET /bytes/N}: byte {@code i} (counting from 0) is
 * {@code (i * 31 + 7) & 0xFF}. Because 31 is odd, the pattern runs through all 256 byte values
 * and repeats every 256 bytes, so a misplaced, lost or duplicated segment of any length other
 * than a multiple of 256 shows in a comparison. The first bytes are 07 26 45 64 83 a2 c1 e0 ff 1e.
 */
public final class BytePattern {
  private static final int PERIOD = 256;
  /** Two periods, so any window of up to 256 bytes starting anywhere is one array copy. */
  private static final byte[] TABLE = new byte[2 * PERIOD];

  static {
    for (int i = 0; i < TABLE.length; i++) TABLE[i] = (byte) (i * 31 + 7);
  }

  private BytePattern() {}

  /** Byte number {@code index} of the pattern. */
  public static byte at(long index) {
    if (index < 0) throw new IllegalArgumentException("negative index: " + index);
    return TABLE[(int) (index & (PERIOD - 1))];
  }

  /** Fills {@code dst[off, off+len)} with pattern bytes {@code start, start+1, ...}. */
  public static void fill(long start, byte[] dst, int off, int len) {
    if (start < 0) throw new IllegalArgumentException("negative start: " + start);
    int phase = (int) (start & (PERIOD - 1));
    int done = 0;
    while (done < len) {
      int n = Math.min(PERIOD, len - done);
      System.arraycopy(TABLE, phase, dst, off + done, n);
      done += n;
    }
  }

  /** The first {@code length} bytes of the pattern. */
  public static byte[] of(int length) {
    byte[] b = new byte[length];
    fill(0, b, 0, length);
    return b;
  }

  /** Writes pattern bytes {@code 0 .. count-1} to {@code out} in chunks. */
  public static void write(OutputStream out, long count) throws IOException {
    if (count < 0) throw new IllegalArgumentException("negative count: " + count);
    // A multiple of the period, so every chunk starts at phase 0 and one buffer serves all.
    byte[] chunk = of(64 * PERIOD);
    long left = count;
    while (left > 0) {
      int n = (int) Math.min(chunk.length, left);
      out.write(chunk, 0, n);
      left -= n;
    }
  }
}
