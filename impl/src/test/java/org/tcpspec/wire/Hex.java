package org.tcpspec.wire;

import java.util.HexFormat;

/** Test helper: hex text (whitespace and '#' comment lines ignored) to bytes and back. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String text) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith("#")) continue;
      b.append(l.replaceAll("\\s+", ""));
    }
    return HexFormat.of().parseHex(b);
  }

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
