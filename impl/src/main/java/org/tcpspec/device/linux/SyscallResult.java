package org.tcpspec.device.linux;

/**
 * What one Linux system call returned: its return value and, when that value is -1, the errno the
 * kernel reported, read through FFM's captured call state exactly as C would see it. A failing call
 * is a value, never an exception: scripts expect errors like {@code ECONNREFUSED} as results.
 *
 * @param value the call's return value (-1 on failure)
 * @param errno the errno when {@code value == -1}, else 0
 */
public record SyscallResult(long value, int errno) {

  /** A success with the given return value. */
  public static SyscallResult ok(long value) {
    return new SyscallResult(value, 0);
  }

  /** A failure with the given errno, as the C library reports it (-1, errno). */
  public static SyscallResult failed(int errno) {
    return new SyscallResult(-1, errno);
  }

  public boolean succeeded() {
    return value != -1;
  }

  public boolean failed() {
    return value == -1;
  }

  /** The return value as an int (file descriptors, byte counts of small transfers). */
  public int intValue() {
    return Math.toIntExact(value);
  }

  /** The errno's name ("EINPROGRESS"), or "OK" when the call succeeded. */
  public String errnoName() {
    return failed() ? Errno.name(errno) : "OK";
  }

  /** "3" or "-1 EINPROGRESS (Operation now in progress)": packetdrill's way of printing results. */
  @Override
  public String toString() {
    return failed()
        ? "-1 " + Errno.name(errno) + " (" + Errno.message(errno) + ")"
        : Long.toString(value);
  }
}
