package org.tcpspec.socket;

import java.util.Arrays;

/**
 * A socket call's result as C sees it: a return value and errno (NONE on success, value -1 on
 * error), the bytes read for read(), and whether a blocking call would have to wait (then the
 * caller retries it once the stack made progress; a non-blocking socket gets EAGAIN instead).
 */
public record SockResult(long value, Errno errno, byte[] data, boolean wouldBlock) {
  private static final byte[] NO_DATA = new byte[0];

  public SockResult {
    data = data.clone();
  }

  public static SockResult ok(long value) {
    return new SockResult(value, Errno.NONE, NO_DATA, false);
  }

  public static SockResult read(byte[] data) {
    return new SockResult(data.length, Errno.NONE, data, false);
  }

  public static SockResult error(Errno e) {
    return new SockResult(-1, e, NO_DATA, false);
  }

  /** A blocking call that cannot complete yet. */
  public static SockResult blocked() {
    return new SockResult(-1, Errno.EAGAIN, NO_DATA, true);
  }

  public boolean ok() {
    return errno == Errno.NONE;
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SockResult r && r.value == value && r.errno == errno && r.wouldBlock == wouldBlock
        && Arrays.equals(r.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value) * 31 + errno.hashCode();
  }

  @Override
  public String toString() {
    return errno == Errno.NONE ? "= " + value : "= -1 " + errno + (wouldBlock ? " (would block)" : "");
  }
}
