package org.tcpspec.stack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tcpspec.wire.IpAddress;

/**
 * A server's Fast Open cookie key (RFC 7413 §4.1.2: the cookie is a MAC of the client's address
 * under a server secret), as Linux keeps it: a SipHash-2-4 key of two 64-bit words
 * (tcp_fastopen_reset_cipher reads the 16 key bytes as two little-endian words). The cookie of a
 * SYN is the hash of its source and destination addresses, in network order, written
 * little-endian (__tcp_fastopen_cookie_gen_cipher), so that the same key gives the same 8 bytes
 * as Linux.
 */
public record FastOpenKey(long k0, long k1) {
  /** Linux TCP_FASTOPEN_COOKIE_SIZE: the cookies we make are 8 bytes. */
  public static final int COOKIE_SIZE = 8;
  /** Linux TCP_FASTOPEN_KEY_LENGTH; TCP_FASTOPEN_KEY takes one key or two (a primary and a backup). */
  public static final int KEY_LENGTH = 16;

  /**
   * net.ipv4.tcp_fastopen_key's text, "w0-w1-w2-w3" in hex, optionally ",w4-w5-w6-w7" for a backup
   * key: each 32-bit word stored little-endian (proc_tcp_fastopen_key, sscanf_key); empty when it
   * does not parse.
   */
  public static Optional<List<FastOpenKey>> parseSysctl(String text) {
    List<FastOpenKey> keys = new ArrayList<>(2);
    for (String part : text.strip().split(",", -1)) {
      String[] words = part.strip().split("-", -1);
      if (words.length != 4) return Optional.empty();
      ByteBuffer b = ByteBuffer.allocate(KEY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
      try {
        for (String w : words) b.putInt((int) Long.parseLong(w, 16));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      keys.add(of(b.array(), 0));
    }
    return keys.size() > 2 ? Optional.empty() : Optional.of(List.copyOf(keys));
  }

  /**
   * TCP_FASTOPEN_KEY's value: 16 bytes (a primary key) or 32 (a primary and a backup); empty for
   * any other length, which Linux refuses with EINVAL.
   */
  public static Optional<List<FastOpenKey>> ofBytes(byte[] bytes) {
    if (bytes.length == KEY_LENGTH) return Optional.of(List.of(of(bytes, 0)));
    if (bytes.length == 2 * KEY_LENGTH) return Optional.of(List.of(of(bytes, 0), of(bytes, KEY_LENGTH)));
    return Optional.empty();
  }

  /** The inverse of {@link #ofBytes}: the keys' 16 bytes each, in order (tcp_fastopen_get_cipher). */
  public static byte[] toBytes(List<FastOpenKey> keys) {
    ByteBuffer b = ByteBuffer.allocate(keys.size() * KEY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    for (FastOpenKey k : keys) b.putLong(k.k0()).putLong(k.k1());
    return b.array();
  }

  private static FastOpenKey of(byte[] bytes, int offset) {
    ByteBuffer b = ByteBuffer.wrap(bytes, offset, KEY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    return new FastOpenKey(b.getLong(), b.getLong());
  }

  /** The cookie for a SYN from {@code client} to {@code server}: siphash(saddr || daddr). */
  public byte[] cookie(IpAddress client, IpAddress server) {
    byte[] message = client.isIpv4()
        ? ByteBuffer.allocate(8).putInt(client.ipv4()).putInt(server.ipv4()).array()
        : ByteBuffer.allocate(32).put(client.bytes()).put(server.bytes()).array();
    ByteBuffer m = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
    long[] words = new long[message.length / 8];
    for (int i = 0; i < words.length; i++) words[i] = m.getLong();
    return ByteBuffer.allocate(COOKIE_SIZE).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(SipHash.hash24(k0, k1, words)).array();
  }
}
