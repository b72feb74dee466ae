package org.tcpspec.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The TCP Fast Open cookie option (RFC 7413 §4.1.1): kind 34, or the experimental kind 254 with
 * the magic 0xF989 (RFC 6994) that Linux still sends when asked to. Both are carried as {@link
 * TcpOption.Unknown} (the option list keeps every kind it does not parse); this class reads and
 * writes them as Linux's tcp_parse_fastopen_option and tcp_options_write do.
 */
public final class FastOpenOption {
  public static final int KIND = 34;
  public static final int KIND_EXPERIMENTAL = 254;
  public static final int MAGIC = 0xF989;
  /** Linux TCP_FASTOPEN_COOKIE_MIN and _MAX: a cookie of 4 to 16 bytes, an even number of them. */
  public static final int COOKIE_MIN = 4;
  public static final int COOKIE_MAX = 16;

  private FastOpenOption() {}

  /**
   * What one option says: a cookie of {@code value.length} bytes, or a cookie request when empty;
   * {@code experimental} when it came (or goes) as kind 254.
   */
  public record Cookie(byte[] value, boolean experimental) {
    public Cookie {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    public boolean request() {
      return value.length == 0;
    }

    public boolean sameValue(byte[] other) {
      return Arrays.equals(value, other);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cookie c && c.experimental == experimental && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value) * 31 + (experimental ? 1 : 0);
    }

    @Override
    public String toString() {
      return (experimental ? "FOEXP " : "FO ") + HexFormat.of().formatHex(value);
    }
  }

  /**
   * The Fast Open option of a SYN or SYN-ACK as Linux's tcp_parse_options reads it: every kind-34
   * option, and every kind-254 option with the magic, overrides the ones before it; one of odd
   * length is ignored; one whose cookie is neither empty nor 4..16 bytes leaves no cookie at all.
   */
  public static Optional<Cookie> find(List<TcpOption> options) {
    Optional<Cookie> found = Optional.empty();
    for (TcpOption o : options) {
      if (!(o instanceof TcpOption.Unknown u)) continue;
      byte[] data = u.data();
      boolean experimental;
      int offset;
      if (u.kind() == KIND) {
        experimental = false;
        offset = 0;
      } else if (u.kind() == KIND_EXPERIMENTAL && data.length >= 2
          && ((data[0] & 0xFF) << 8 | (data[1] & 0xFF)) == MAGIC) {
        experimental = true;
        offset = 2;
      } else {
        continue;
      }
      int len = data.length - offset;
      if ((len & 1) != 0) continue;
      found = len == 0 || (len >= COOKIE_MIN && len <= COOKIE_MAX)
          ? Optional.of(new Cookie(Arrays.copyOfRange(data, offset, data.length), experimental))
          : Optional.empty();
    }
    return found;
  }

  /**
   * The option carrying {@code cookie}, followed by the two NOPs Linux's tcp_options_write adds
   * when its length leaves the 32-bit word half full (kind 34 with an empty or 4k+8-byte cookie).
   */
  public static List<TcpOption> options(Cookie cookie) {
    byte[] value = cookie.value();
    List<TcpOption> out = new ArrayList<>(3);
    int length;
    if (cookie.experimental()) {
      byte[] data = new byte[2 + value.length];
      data[0] = (byte) (MAGIC >> 8);
      data[1] = (byte) MAGIC;
      System.arraycopy(value, 0, data, 2, value.length);
      out.add(new TcpOption.Unknown(KIND_EXPERIMENTAL, data));
      length = 2 + data.length;
    } else {
      out.add(new TcpOption.Unknown(KIND, value));
      length = 2 + value.length;
    }
    if ((length & 3) == 2) {
      out.add(new TcpOption.Nop());
      out.add(new TcpOption.Nop());
    }
    return out;
  }
}
