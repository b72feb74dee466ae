package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.tcpspec.abi.SysResult;

/**
 * The waiting of one {@link TunDevice}: ppoll(2) on the device's descriptor and an eventfd that
 * {@link TunDevice#close()} signals, so closing wakes a waiting reader at once. The struct pollfd
 * pair and the struct timespec are made once with the device, so the event loop's wait ({@link
 * #awaitReadable}) allocates nothing. The device calls it under its read lock.
 */
final class TunWait {
  private final int wakeFd;
  /** struct timespec for {@link #awaitReadable}: no arena per wait. */
  private final MemorySegment pollTimeout;
  private final MemorySegment pollFds;

  /** Waits on {@code fd} and {@code wakeFd}, the eventfd, with structs in {@code arena}, the device's. */
  TunWait(int fd, int wakeFd, Arena arena) {
    this.wakeFd = wakeFd;
    pollTimeout = arena.allocate(16, 8);
    pollFds = arena.allocate(2 * LibcPoll.POLLFD_SIZE, 8);
    pollFds.set(JAVA_INT, 0, fd);
    pollFds.set(JAVA_SHORT, 4, LibcPoll.POLLIN);
    pollFds.set(JAVA_INT, LibcPoll.POLLFD_SIZE, wakeFd);
    pollFds.set(JAVA_SHORT, LibcPoll.POLLFD_SIZE + 4, LibcPoll.POLLIN);
  }

  /** ppoll(2) on both descriptors for at most {@code timeoutNanos} (negative: forever), with its errno. */
  SysResult<Void> ppoll(long timeoutNanos) {
    return LibcPoll.ppoll(pollFds, 2, timeoutNanos);
  }

  /**
   * Waits at most {@code timeoutNanos} (negative: forever), allocating nothing; whether the device
   * has a packet waiting (false also when the eventfd woke the wait).
   */
  boolean awaitReadable(long timeoutNanos) {
    MemorySegment timeout = MemorySegment.NULL;
    if (timeoutNanos >= 0) {
      pollTimeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
      pollTimeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
      timeout = pollTimeout;
    }
    // A failed wait (EINTR, or the descriptors closed under it) is a wait that saw no packet: the
    // caller reads next, and that read reports a device that is gone, with its errno.
    int polled = LibcPoll.ppollReady(pollFds, 2, timeout);
    return polled > 0 && (pollFds.get(JAVA_SHORT, 6) & LibcPoll.POLLIN) != 0;
  }

  /** Wakes a waiting reader, now and for every later wait: the eventfd's counter stays nonzero. */
  void wake() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment one = a.allocate(JAVA_LONG);
      one.set(JAVA_LONG, 0, 1L);
      LibcFiles.write(wakeFd, one, 8);
    }
  }

  /** Closes the eventfd. */
  void close() {
    LibcFiles.close(wakeFd);
  }
}
