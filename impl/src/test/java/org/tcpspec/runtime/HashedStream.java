package org.tcpspec.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Both ends of a checked bulk transfer: the sender writes {@code bytes} pseudo-random bytes from a
 * seed and returns their SHA-256; the receiver reads to end of stream and returns count and
 * SHA-256. Nothing is held in memory, so 100 MB costs one buffer.
 */
final class HashedStream {
  private static final int CHUNK = 64 * 1024;

  private HashedStream() {}

  record Received(long bytes, String sha256) {}

  static String send(OutputStream out, long seed, long bytes) throws IOException {
    MessageDigest sha = sha256();
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[CHUNK];
    for (long left = bytes; left > 0; ) {
      int n = (int) Math.min(CHUNK, left);
      for (int i = 0; i < n; i += 8) {
        long r = random.nextLong();
        for (int j = 0; j < 8 && i + j < n; j++) chunk[i + j] = (byte) (r >>> (8 * j));
      }
      sha.update(chunk, 0, n);
      out.write(chunk, 0, n);
      left -= n;
    }
    out.flush();
    return HexFormat.of().formatHex(sha.digest());
  }

  static Received receive(InputStream in) throws IOException {
    MessageDigest sha = sha256();
    byte[] buf = new byte[CHUNK];
    long total = 0;
    for (int n; (n = in.read(buf)) != -1; ) {
      sha.update(buf, 0, n);
      total += n;
    }
    return new Received(total, HexFormat.of().formatHex(sha.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
