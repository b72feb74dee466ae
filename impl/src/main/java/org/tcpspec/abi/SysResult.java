package org.tcpspec.abi;

import java.util.Objects;
import java.util.Optional;

/**
 * What a system call returned, as C sees it: the return value, errno ({@link Errno#NONE} unless
 * the value is -1), and what the call wrote through its pointer arguments ({@code out}: the bytes
 * read, an option's value, a peer address, poll's revents), present when it succeeded and wrote
 * something. A failing call is a value, never an exception: scripts expect errors such as
 * ECONNREFUSED as results. {@code T} is {@link Void} for calls that write nothing.
 *
 * <p>The same type serves the kernel's calls made through FFM, the Java stack's socket API and
 * the script runner, so a result reads the same whichever side produced it.
 */
public record SysResult<T>(long value, Errno errno, Optional<T> out) {

  public SysResult {
    Objects.requireNonNull(errno, "errno");
    Objects.requireNonNull(out, "out");
    if ((errno == Errno.NONE) == (value == -1)) {
      throw new IllegalArgumentException("value " + value + " with errno " + errno);
    }
  }

  /** A success that wrote nothing through pointers. */
  public static <T> SysResult<T> ok(long value) {
    return new SysResult<>(value, Errno.NONE, Optional.empty());
  }

  /** A success that wrote {@code out}. */
  public static <T> SysResult<T> ok(long value, T out) {
    return new SysResult<>(value, Errno.NONE, Optional.of(out));
  }

  /** A failure as the C library reports it: -1, errno. */
  public static <T> SysResult<T> error(Errno errno) {
    return new SysResult<>(-1, errno, Optional.empty());
  }

  public boolean succeeded() {
    return errno == Errno.NONE;
  }

  public boolean failed() {
    return errno != Errno.NONE;
  }

  /** The return value as an int (file descriptors, byte counts of small transfers). */
  public int intValue() {
    return Math.toIntExact(value);
  }

  /** "3", "0 [out]" or "-1 EINPROGRESS (Operation now in progress)", packetdrill's notation. */
  @Override
  public String toString() {
    if (failed()) return "-1 " + errno + " (" + errno.description() + ")";
    return out.map(o -> value + " " + o).orElse(Long.toString(value));
  }
}
