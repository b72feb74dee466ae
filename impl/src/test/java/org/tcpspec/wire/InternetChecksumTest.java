package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {

  /** RFC 1071 §3, "Numerical Examples": bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2. */
  @Test
  void rfc1071WorkedExample() {
    byte[] data = Hex.bytes("0001 f203 f4f5 f6f7");
    assertEquals(0xddf2, InternetChecksum.sum(data, 0, data.length));
    assertEquals(0x220d, InternetChecksum.compute(data, 0, data.length));
  }

  /** RFC 1071 §2 (B)/(C): the sum of a concatenation is the ones' complement sum of the parts. */
  @Test
  void partialSumsOfEvenChunksCombine() {
    byte[] data = Hex.bytes("0001 f203 f4f5 f6f7");
    int parts = InternetChecksum.add(InternetChecksum.sum(data, 0, 4), InternetChecksum.sum(data, 4, 4));
    assertEquals(0xddf2, parts);
  }

  /** RFC 1071 §4.1: an odd trailing byte is padded with a zero byte on the right. */
  @Test
  void oddLengthPadsTheLastByteWithZero() {
    byte[] odd = Hex.bytes("0001 f203 f4");
    byte[] padded = Hex.bytes("0001 f203 f400");
    assertEquals(InternetChecksum.sum(padded, 0, 6), InternetChecksum.sum(odd, 0, 5));
    assertEquals(0xf204 + 0xf400 - 0xFFFF, InternetChecksum.sum(odd, 0, 5));
  }

  @Test
  void dataCarryingItsChecksumVerifies() {
    byte[] data = Hex.bytes("0001 f203 f4f5 f6f7 0000");
    int c = InternetChecksum.compute(data, 0, data.length);
    data[8] = (byte) (c >>> 8);
    data[9] = (byte) c;
    assertTrue(InternetChecksum.verifies(InternetChecksum.sum(data, 0, data.length)));
    data[3] ^= 0x10;
    assertFalse(InternetChecksum.verifies(InternetChecksum.sum(data, 0, data.length)));
  }

  /** RFC 9293 §3.1 pseudo-header: src, dst, zero, PTCL, TCP length as 16-bit words. */
  @Test
  void pseudoHeaderSumIsTheSumOfItsWords() {
    byte[] pseudo = Hex.bytes("c0000201 c0a80001 0006 0028");
    assertEquals(
        InternetChecksum.sum(pseudo, 0, pseudo.length),
        InternetChecksum.pseudoHeaderSum(0xC0000201, 0xC0A80001, 6, 40));
  }

  @Test
  void sumOfNothingIsZeroAndItsChecksumIsAllOnes() {
    assertEquals(0, InternetChecksum.sum(new byte[0], 0, 0));
    assertEquals(0xFFFF, InternetChecksum.compute(new byte[0], 0, 0));
  }

  /** The eight-bytes-at-a-time sum equals the plain 16-bit word sum, at every offset and length. */
  @Test
  void wideSumEqualsTheWordByWordSum() {
    java.util.Random rnd = new java.util.Random(1071);
    for (int round = 0; round < 2_000; round++) {
      byte[] data = new byte[rnd.nextInt(1600)];
      rnd.nextBytes(data);
      if (round % 3 == 0) java.util.Arrays.fill(data, (byte) 0xFF); // carries on every word
      int offset = data.length == 0 ? 0 : rnd.nextInt(data.length);
      int length = rnd.nextInt(data.length - offset + 1);
      assertEquals(wordByWord(data, offset, length), InternetChecksum.sum(data, offset, length),
          "offset " + offset + " length " + length);
    }
  }

  private static int wordByWord(byte[] data, int offset, int length) {
    long acc = 0;
    int i = offset;
    for (; i + 1 < offset + length; i += 2) acc += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
    if (i < offset + length) acc += (data[i] & 0xFF) << 8;
    while ((acc >>> 16) != 0) acc = (acc & 0xFFFF) + (acc >>> 16);
    return (int) acc;
  }
}
