package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import org.tcpspec.abi.Errno;
import org.tcpspec.wire.PacketBuffer;
import org.tcpspec.wire.PacketBufferPool;

/**
 * The event loop's reads of one {@link TunDevice} through io_uring: one multishot read
 * (IORING_OP_READ_MULTISHOT, Linux 6.7) stays armed on the device and reads each packet that arrives
 * into a buffer of a provided-buffer ring (IORING_REGISTER_PBUF_RING), posting a completion per
 * packet, in the order the device queued them; the ring runs its deferred work only when the loop
 * enters it (IORING_SETUP_DEFER_TASKRUN), so one io_uring_enter(2) both waits and reads every
 * packet that waits, and taking them is reading memory. Before, a wake cost a ppoll(2), a readv(2)
 * per packet and one more that found none (issue 15: system calls were 46 % of the loop's time
 * when it reads the kernel's ACKs). An eventfd poll on the same ring lets {@link TunDevice#close}
 * wake the wait.
 *
 * <p>Made by the thread that will read (IORING_SETUP_SINGLE_ISSUER: only it may enter the ring),
 * under the device's read lock; {@link #open} returns null where the kernel refuses (io_uring
 * disabled, or older than 6.7), and the device reads as before.
 *
 * <p>Offsets and constants are those of include/uapi/linux/io_uring.h; the man pages
 * io_uring_setup(2), io_uring_enter(2), io_uring_register(2) and io_uring_buf_ring(7) describe them.
 */
final class TunUring {
  /**
   * Packet buffers in the provided ring, a power of two: what one wake may read before the read
   * ends (ENOBUFS) and waits for the loop to give buffers back and enter again.
   */
  static final int BUFFERS = 16;
  private static final int BUFFER_GROUP = 0;
  private static final int SQ_ENTRIES = 4;
  private static final int CQ_ENTRIES = 4 * BUFFERS;
  private static final int SETUP_FLAGS = IoUring.SETUP_SINGLE_ISSUER | IoUring.SETUP_DEFER_TASKRUN
      | IoUring.SETUP_NO_SQARRAY;
  private static final int REGISTER_PBUF_RING = 22;
  private static final int OP_POLL_ADD = 6;
  private static final int OP_READ_MULTISHOT = 49;
  private static final int SQE_BUFFER_SELECT = 1 << 5;
  private static final int ENTER_EXT_ARG = 1 << 3;
  private static final int CQE_F_BUFFER = 1;
  private static final int CQE_F_MORE = 1 << 1;
  private static final long GETEVENTS_ARG_SIZE = 24;
  /** Completions' user_data: the multishot read, and the eventfd's poll. */
  private static final long READ = 1;
  private static final long WAKE = 2;
  /**
   * Cycles that may pass without entering the ring before {@link #next} enters to look: the wait
   * enters on every idle, so this bounds only a loop kept busy by timers alone.
   */
  private static final int CYCLES_WITHOUT_ENTER = 8;

  private static final VarHandle SHORT = JAVA_SHORT.varHandle();

  private final IoUring ring;
  private final int tunFd;
  private final int wakeFd;
  private final int headerSize;
  /** struct io_uring_buf entries; the ring's tail is the u16 at offset 14. */
  private final MemorySegment bufRing;
  /** The buffers the kernel may read into, by buffer id; null where the id is free. */
  private final PacketBuffer[] provided = new PacketBuffer[BUFFERS];
  /** Free buffer ids, a stack. */
  private final int[] freeIds = new int[BUFFERS];
  private int freeIdCount;
  /** The buffer the last packet taken ({@link #next}) lies in. */
  private PacketBuffer last;
  /** struct io_uring_getevents_arg and its struct __kernel_timespec. */
  private final MemorySegment waitArg;
  private final MemorySegment waitTimeout;
  private int bufTailLocal;
  private boolean readArmed;
  private int cyclesSinceEnter;
  private boolean closed;

  private TunUring(IoUring ring, int tunFd, int wakeFd, int headerSize, Arena arena) {
    this.ring = ring;
    this.tunFd = tunFd;
    this.wakeFd = wakeFd;
    this.headerSize = headerSize;
    bufRing = arena.allocate((long) BUFFERS * 16, 4096);
    for (int id = BUFFERS - 1; id >= 0; id--) freeIds[freeIdCount++] = id;
    waitArg = arena.allocate(GETEVENTS_ARG_SIZE, 8);
    waitTimeout = arena.allocate(16, 8);
  }

  /**
   * The ring for reading {@code tunFd} (whose packets carry a virtio-net header of {@code
   * headerSize} bytes, 0 without), woken by {@code wakeFd}; null where the kernel refuses, with
   * nothing left open.
   */
  static TunUring open(int tunFd, int wakeFd, int headerSize, Arena arena) {
    if (headerSize > PacketBufferPool.HEADROOM) throw new IllegalArgumentException("header of " + headerSize);
    IoUring ring = IoUring.open(SQ_ENTRIES, CQ_ENTRIES, SETUP_FLAGS, arena);
    if (ring == null) return null;
    TunUring uring = new TunUring(ring, tunFd, wakeFd, headerSize, arena);
    if (!uring.registerBuffers()) {
      uring.close();
      return null;
    }
    uring.queueWakePoll();
    uring.queueRead();
    return uring;
  }

  /**
   * Why this process cannot make the ring {@link #open} makes, or empty when it can: tried once per
   * JVM (kernel.io_uring_disabled, a seccomp filter or an older kernel refuse io_uring_setup with
   * the flags used here). Tests skip with this reason.
   */
  static Optional<String> whyUnavailable() {
    return Availability.REASON;
  }

  private static final class Availability {
    static final Optional<String> REASON = IoUring.whyRefused(SQ_ENTRIES, CQ_ENTRIES, SETUP_FLAGS);
  }

  /** Registers the provided-buffer ring, empty until {@link #provide}. */
  private boolean registerBuffers() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment reg = a.allocate(40, 8);
      reg.set(JAVA_LONG, 0, bufRing.address());
      reg.set(JAVA_INT, 8, BUFFERS);
      reg.set(JAVA_SHORT, 12, (short) BUFFER_GROUP);
      return LibcUring.register(ring.fd, REGISTER_PBUF_RING, reg, 1) >= 0;
    }
  }

  /** Whether the kernel holds a buffer to read into. */
  private boolean holdsBuffers() {
    return freeIdCount < BUFFERS;
  }

  /** How many more buffers the ring takes ({@link #provide}). */
  int wanted() {
    return freeIdCount;
  }

  /**
   * Hands {@code buffer} to the kernel's ring (io_uring_buf_ring_add and _advance): a packet is
   * read into it, its virtio-net header into the end of its headroom, the packet at index 0 of its
   * {@link PacketBuffer#memory()}.
   */
  void provide(PacketBuffer buffer) {
    if (freeIdCount == 0) throw new IllegalStateException("the ring holds " + BUFFERS + " buffers already");
    int id = freeIds[--freeIdCount];
    provided[id] = buffer;
    MemorySegment framed = buffer.framed();
    long entry = (long) (bufTailLocal & (BUFFERS - 1)) * 16;
    bufRing.set(JAVA_LONG, entry, framed.address() + PacketBufferPool.HEADROOM - headerSize);
    bufRing.set(JAVA_INT, entry + 8, (int) (headerSize + buffer.memory().byteSize()));
    bufRing.set(JAVA_SHORT, entry + 12, (short) id);
    bufTailLocal++;
    SHORT.setRelease(bufRing, 14L, (short) bufTailLocal);
  }

  /** The multishot read of the device into the provided buffers; submitted by the next enter. */
  private void queueRead() {
    long sqe = ring.nextSqe(OP_READ_MULTISHOT, SQE_BUFFER_SELECT, tunFd, READ);
    MemorySegment sqes = ring.sqes;
    sqes.set(JAVA_LONG, sqe + 8, -1L); // the file's position: the device has none
    sqes.set(JAVA_SHORT, sqe + 40, (short) BUFFER_GROUP);
    ring.publishSqe();
    readArmed = true;
  }

  /** A one-shot poll of the eventfd that {@link TunDevice#close} signals. */
  private void queueWakePoll() {
    long sqe = ring.nextSqe(OP_POLL_ADD, 0, wakeFd, WAKE);
    ring.sqes.set(JAVA_INT, sqe + 28, LibcPoll.POLLIN);
    ring.publishSqe();
  }

  /**
   * Enters the ring: submits what is queued and runs its deferred work (the reads of what waits),
   * waiting up to {@code timeoutNanos} (negative: forever; 0: not at all) for a completion.
   */
  private void enter(long timeoutNanos) throws IOException {
    cyclesSinceEnter = 0;
    int flags = IoUring.ENTER_GETEVENTS | ENTER_EXT_ARG;
    int minComplete = timeoutNanos == 0 ? 0 : 1;
    waitArg.set(JAVA_LONG, 0, 0L);
    waitArg.set(JAVA_INT, 8, 0);
    waitArg.set(JAVA_INT, 12, 0);
    if (timeoutNanos > 0) {
      waitTimeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
      waitTimeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
      waitArg.set(JAVA_LONG, 16, waitTimeout.address());
    } else {
      waitArg.set(JAVA_LONG, 16, 0L);
    }
    long r = LibcUring.enter(ring.fd, ring.unsubmitted(), minComplete, flags, waitArg, GETEVENTS_ARG_SIZE);
    if (r >= 0 || r == -Errno.ETIME.number() || r == -Errno.EINTR.number()) return;
    // The errno cell may hold a value the JVM left there: ask again, with capture and no wait.
    r = LibcUring.enterCaptured(ring.fd, ring.unsubmitted(), 0, flags, waitArg.fill((byte) 0), GETEVENTS_ARG_SIZE);
    if (r >= 0 || r == -Errno.EINTR.number() || r == -Errno.EAGAIN.number() || r == -Errno.EBUSY.number()) return;
    throw new IOException("io_uring_enter: " + Errno.of((int) -r));
  }

  /** Waits at most {@code timeoutNanos} (negative: forever) for a packet; whether one waits. */
  boolean await(long timeoutNanos) throws IOException {
    if (ring.completionsWaiting()) return true;
    if (!readArmed && holdsBuffers()) queueRead();
    enter(timeoutNanos < 0 ? -1 : Math.max(timeoutNanos, 1));
    return ring.completionsWaiting();
  }

  /**
   * The next packet read: its length, 0 when none has been read; it lies in {@link #last()}, from
   * index 0 of its memory, which the ring no longer holds; its virtio-net header is copied into
   * {@code header}. Enters the ring only when the loop has not for {@link #CYCLES_WITHOUT_ENTER}
   * calls that found nothing.
   */
  int next(MemorySegment header) throws IOException {
    while (true) {
      if (!ring.completionsWaiting()) {
        if (closed) return 0;
        if (readArmed ? cyclesSinceEnter++ < CYCLES_WITHOUT_ENTER : !holdsBuffers()) return 0;
        if (!readArmed) queueRead();
        enter(0);
        if (!ring.completionsWaiting()) return 0;
      }
      long userData = ring.completionUserData();
      int res = ring.completionResult();
      int flags = ring.completionFlags();
      ring.consumeCompletion();
      if (userData == WAKE) {
        closed = true;
        continue;
      }
      if ((flags & CQE_F_MORE) == 0) readArmed = false;
      if (res < 0) {
        // ENOBUFS: the ring had no buffer left; the read is armed again once the caller has given
        // some back (provide) and enters.
        if (res == -Errno.ENOBUFS.number() || res == -Errno.EINTR.number() || res == -Errno.EAGAIN.number()) continue;
        throw new IOException("io_uring read of the TUN device: " + Errno.of(-res));
      }
      if ((flags & CQE_F_BUFFER) == 0) continue;
      int id = flags >>> 16;
      PacketBuffer buffer = provided[id];
      provided[id] = null;
      freeIds[freeIdCount++] = id;
      int length = res - headerSize;
      if (length < 0) throw new IOException("io_uring read of " + res + " bytes, less than a vnet header");
      if (headerSize > 0) {
        MemorySegment.copy(buffer.framed(), PacketBufferPool.HEADROOM - headerSize, header, 0, headerSize);
      }
      last = buffer;
      return length;
    }
  }

  /** The buffer of the packet {@link #next} returned last; the caller's now. */
  PacketBuffer last() {
    return last;
  }

  /** Closes the ring (which drops its reads) and unmaps it; the buffers stay their pool's. */
  void close() {
    ring.close();
  }
}
