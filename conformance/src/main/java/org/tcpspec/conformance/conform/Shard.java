package org.tcpspec.conformance.conform;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One of {@code count} parts of a suite ({@code --shard index/count}, index from 1), so that CI
 * jobs run the parts side by side and {@code tcpspec merge} joins their results. A script belongs
 * to the shard its name (relative to the suite, so every checkout agrees) hashes to: the
 * assignment is stable, a script keeps its shard when others are added or removed, and every
 * script is in exactly one shard.
 */
public record Shard(int index, int count) {

  public static final Shard ALL = new Shard(1, 1);

  public Shard {
    if (count < 1 || index < 1 || index > count) {
      throw new IllegalArgumentException("shard " + index + "/" + count + ": expected i/n with 1 <= i <= n");
    }
  }

  /** Reads {@code i/n}. */
  public static Shard parse(String text) {
    String[] parts = text.strip().split("/", -1);
    try {
      if (parts.length == 2) return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      // Falls through to the message below.
    }
    throw new IllegalArgumentException("'" + text + "': expected i/n, e.g. 1/4");
  }

  /** Whether the script named {@code name} (relative to the suite) is in this shard. */
  public boolean includes(String name) {
    CRC32 crc = new CRC32();
    crc.update(name.replace('\\', '/').getBytes(StandardCharsets.UTF_8));
    return crc.getValue() % count == index - 1;
  }

  public boolean isAll() {
    return count == 1;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
