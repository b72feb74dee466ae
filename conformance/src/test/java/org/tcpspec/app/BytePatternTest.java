package org.tcpspec.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BytePatternTest {

  @Test
  void firstBytesAreTheDocumentedOnes() {
    assertEquals("0726456483a2c1e0ff1e", HexFormat.of().formatHex(BytePattern.of(10)));
  }

  @Test
  void everyByteIsTheFormula() {
    for (long i : new long[] {0, 1, 255, 256, 257, 1L << 33, (1L << 40) - 1}) {
      assertEquals((byte) ((i * 31 + 7) & 0xFF), BytePattern.at(i), "byte " + i);
    }
  }

  @Test
  void fillAtAnyOffsetAgreesWithAt() {
    byte[] dst = new byte[1000];
    for (long start : new long[] {0, 3, 255, 256, 1_000_003}) {
      BytePattern.fill(start, dst, 7, 900);
      for (int k = 0; k < 900; k++) {
        assertEquals(BytePattern.at(start + k), dst[7 + k], "start " + start + " k " + k);
      }
    }
  }

  @Test
  void writeProducesExactlyCountBytesOfThePattern() throws IOException {
    int count = 64 * 256 * 2 + 13; // crosses the chunk size twice
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BytePattern.write(out, count);
    assertArrayEquals(BytePattern.of(count), out.toByteArray());
  }

  @Test
  void negativeIndexIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BytePattern.at(-1));
  }
}
