package org.tcpspec.stack;

/**
 * SipHash-2-4 (Aumasson, Bernstein 2012) with a 64-bit result, as Linux's siphash(): the keyed
 * hash of SYN cookies ({@link SynCookies}) and of Fast Open cookies ({@link FastOpenKey}). Messages
 * here are whole 8-byte words, each read little-endian from the message bytes as the reference
 * implementation reads them.
 */
final class SipHash {
  private SipHash() {}

  /** The hash of the message whose 8-byte words are {@code words}, under the key (k0, k1). */
  static long hash24(long k0, long k1, long... words) {
    long[] v = {
        k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
    for (long m : words) absorb(v, m);
    absorb(v, (long) (8 * words.length) << 56); // the final block: the message length in its top byte
    v[2] ^= 0xFF;
    for (int i = 0; i < 4; i++) round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
  }

  private static void absorb(long[] v, long m) {
    v[3] ^= m;
    round(v);
    round(v);
    v[0] ^= m;
  }

  private static void round(long[] v) {
    v[0] += v[1];
    v[1] = Long.rotateLeft(v[1], 13);
    v[1] ^= v[0];
    v[0] = Long.rotateLeft(v[0], 32);
    v[2] += v[3];
    v[3] = Long.rotateLeft(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = Long.rotateLeft(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = Long.rotateLeft(v[1], 17);
    v[1] ^= v[2];
    v[2] = Long.rotateLeft(v[2], 32);
  }
}
