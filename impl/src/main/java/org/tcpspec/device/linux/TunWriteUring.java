package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import org.tcpspec.abi.Errno;

/**
 * A batch of writes to one {@link TunDevice} in one system call: each packet's writev(2) becomes a
 * submission entry (IORING_OP_WRITEV) and one io_uring_enter(2) submits them all, where the writes
 * run one after the other, in the caller's thread, as the writev calls did (the device's descriptor
 * is non-blocking, so io_uring issues them at once rather than handing them to a worker). Linked
 * (IOSQE_IO_LINK), so they run in the order queued and a failed write cancels those after it: TCP
 * recovers lost packets, not reordered ones. On this VM a system call's entry and exit cost about a
 * microsecond (impl/TUN-PATH-LOG.md, session 17), paid per packet by the writing thread, the
 * bottleneck from stack to kernel (session 23: the writev's entry and the glibc wrapper about a
 * tenth of its samples); a transmit ring's drain writes up to {@link #BATCH} packets.
 *
 * <p>Used under the device's write lock (not IORING_SETUP_SINGLE_ISSUER: whichever thread drains
 * writes). The iovecs an entry names must stay as they are until {@link #submit} returns.
 */
final class TunWriteUring {
  /** Writes one submission carries; the transmit ring's slots (TransmitRing.SLOTS). */
  static final int BATCH = 8;
  private static final int OP_WRITEV = 2;
  private static final int SQE_IO_LINK = 1 << 2;

  private final IoUring ring;
  private final int tunFd;
  /** The bytes each queued write must write, by its place in the batch (its user_data). */
  private final long[] expected = new long[BATCH];
  /** The offset in the entries of the last one queued, whose link flag {@link #submit} clears. */
  private long lastSqe;
  private int queued;

  private TunWriteUring(IoUring ring, int tunFd) {
    this.ring = ring;
    this.tunFd = tunFd;
  }

  /** The batch for {@code tunFd}; null where the kernel refuses a ring. */
  static TunWriteUring open(int tunFd, Arena arena) {
    IoUring ring = IoUring.open(BATCH, 0, IoUring.SETUP_NO_SQARRAY, arena);
    return ring == null ? null : new TunWriteUring(ring, tunFd);
  }

  /** Why this process cannot make the ring {@link #open} makes, or empty when it can; tried once per JVM. */
  static Optional<String> whyUnavailable() {
    return Availability.REASON;
  }

  private static final class Availability {
    static final Optional<String> REASON = IoUring.whyRefused(BATCH, 0, IoUring.SETUP_NO_SQARRAY);
  }

  /** Writes queued and not yet submitted. */
  int queued() {
    return queued;
  }

  boolean full() {
    return queued == BATCH;
  }

  /**
   * Queues writev({@code count} entries of {@code iov}), which must write {@code bytes}; submitted
   * by {@link #submit}. Only while not {@link #full()}.
   */
  void queueWritev(MemorySegment iov, int count, long bytes) {
    if (full()) throw new IllegalStateException("a batch of " + BATCH + " writes is full");
    long sqe = ring.nextSqe(OP_WRITEV, SQE_IO_LINK, tunFd, queued);
    MemorySegment sqes = ring.sqes;
    sqes.set(JAVA_LONG, sqe + 8, -1L); // the file's position: the device has none
    sqes.set(JAVA_LONG, sqe + 16, iov.address());
    sqes.set(JAVA_INT, sqe + 24, count);
    expected[queued++] = bytes;
    lastSqe = sqe;
    ring.publishSqe();
  }

  /**
   * Submits the queued writes and waits for all of them (done within the call unless one had to
   * wait for the device); throws when one failed or wrote short, naming the first, after taking
   * every completion, so the batch is empty again either way.
   */
  void submit() throws IOException {
    int n = queued;
    if (n == 0) return;
    queued = 0;
    // The last entry ends the chain; the kernel reads the entries only in the enter below.
    ring.sqes.set(JAVA_BYTE, lastSqe + 1, (byte) 0);
    String failure = null;
    int completed = 0;
    while (completed < n) {
      long r = LibcUring.enter(ring.fd, ring.unsubmitted(), n - completed, IoUring.ENTER_GETEVENTS,
          MemorySegment.NULL, 0);
      if (r < 0 && r != -Errno.EINTR.number()) {
        // The errno cell may hold a value the JVM left there: ask again, with capture.
        r = LibcUring.enterCaptured(ring.fd, ring.unsubmitted(), n - completed, IoUring.ENTER_GETEVENTS,
            MemorySegment.NULL, 0);
        if (r < 0 && r != -Errno.EINTR.number() && r != -Errno.EAGAIN.number()) {
          throw new IOException("io_uring_enter for " + n + " writes: " + Errno.of((int) -r));
        }
      }
      while (ring.completionsWaiting()) {
        int index = (int) ring.completionUserData();
        int res = ring.completionResult();
        ring.consumeCompletion();
        completed++;
        if (failure == null && res != expected[index]) {
          failure = res < 0 ? "write " + (index + 1) + " of " + n + ": " + Errno.of(-res)
              : "short write " + (index + 1) + " of " + n + ": " + res + " of " + expected[index];
        }
      }
    }
    if (failure != null) throw new IOException(failure);
  }

  /** Closes the ring; queued writes are dropped. */
  void close() {
    queued = 0;
    ring.close();
  }
}
