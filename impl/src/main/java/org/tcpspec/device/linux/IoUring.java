package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import org.tcpspec.abi.Errno;

/**
 * One io_uring instance: its descriptor and its submission and completion rings, mapped into this
 * process (one mapping for both, IORING_FEAT_SINGLE_MMAP, and one for the submission entries).
 * Queueing an entry and taking a completion are writes and reads of that shared memory with the
 * release and acquire orderings io_uring(7) asks for; nothing here allocates after {@link #open}.
 * The TUN device's two users, its reads ({@link TunUring}) and its batched writes ({@link
 * TunWriteUring}), fill in the entries.
 *
 * <p>Offsets are those of include/uapi/linux/io_uring.h (struct io_uring_params, io_sqring_offsets,
 * io_cqring_offsets, io_uring_sqe, io_uring_cqe).
 */
final class IoUring {
  static final int SETUP_CQSIZE = 1 << 3;
  static final int SETUP_SINGLE_ISSUER = 1 << 12;
  static final int SETUP_DEFER_TASKRUN = 1 << 13;
  static final int SETUP_NO_SQARRAY = 1 << 16;
  static final int ENTER_GETEVENTS = 1;
  static final int SQE_SIZE = 64;
  static final int CQE_SIZE = 16;
  static final int PARAMS_SIZE = 120;
  private static final int FEAT_SINGLE_MMAP = 1;
  private static final long OFF_SQES = 0x10000000L;

  private static final VarHandle INT = JAVA_INT.varHandle();

  final int fd;
  private final long ringAddress;
  private final long ringLength;
  private final long sqesAddress;
  private final long sqesLength;
  /** The rings' shared mapping: heads, tails, masks, and the completions. */
  private final MemorySegment ring;
  /** The submission entries, {@link #SQE_SIZE} bytes each. */
  final MemorySegment sqes;
  private final long sqHead;
  private final long sqTail;
  private final int sqMask;
  private final long cqHead;
  private final long cqTail;
  private final long cqes;
  private final int cqMask;
  private int sqTailLocal;
  private int cqHeadLocal;

  private IoUring(int fd, MemorySegment params, long ringAddress, long ringLength, long sqesAddress,
      long sqesLength) {
    this.fd = fd;
    this.ringAddress = ringAddress;
    this.ringLength = ringLength;
    this.sqesAddress = sqesAddress;
    this.sqesLength = sqesLength;
    ring = MemorySegment.ofAddress(ringAddress).reinterpret(ringLength);
    sqes = MemorySegment.ofAddress(sqesAddress).reinterpret(sqesLength);
    sqHead = Integer.toUnsignedLong(params.get(JAVA_INT, 40));
    sqTail = Integer.toUnsignedLong(params.get(JAVA_INT, 44));
    sqMask = ring.get(JAVA_INT, params.get(JAVA_INT, 48));
    cqHead = Integer.toUnsignedLong(params.get(JAVA_INT, 80));
    cqTail = Integer.toUnsignedLong(params.get(JAVA_INT, 84));
    cqMask = ring.get(JAVA_INT, params.get(JAVA_INT, 88));
    cqes = Integer.toUnsignedLong(params.get(JAVA_INT, 100));
    sqTailLocal = (int) INT.getAcquire(ring, sqTail);
    cqHeadLocal = (int) INT.getAcquire(ring, cqHead);
  }

  /**
   * A ring of {@code sqEntries} submissions and {@code cqEntries} completions (the kernel's default,
   * twice the submissions, when 0) with the IORING_SETUP_ {@code flags}, mapped; null where the
   * kernel refuses, with nothing left open.
   */
  static IoUring open(int sqEntries, int cqEntries, int flags, Arena arena) {
    MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
    long setup = setup(sqEntries, cqEntries, flags, params);
    if (setup < 0) return null;
    int fd = (int) setup;
    if ((params.get(JAVA_INT, 20) & FEAT_SINGLE_MMAP) == 0) {
      LibcFiles.close(fd);
      return null;
    }
    int sqGot = params.get(JAVA_INT, 0);
    int cqGot = params.get(JAVA_INT, 4);
    long sqRingSize = Integer.toUnsignedLong(params.get(JAVA_INT, 64)) + 4L * sqGot;
    long cqRingSize = Integer.toUnsignedLong(params.get(JAVA_INT, 100)) + (long) CQE_SIZE * cqGot;
    long ringLength = Math.max(sqRingSize, cqRingSize);
    long ringAddress = LibcUring.mmapShared(ringLength, fd, 0);
    if (ringAddress < 0) {
      LibcFiles.close(fd);
      return null;
    }
    long sqesLength = (long) SQE_SIZE * sqGot;
    long sqesAddress = LibcUring.mmapShared(sqesLength, fd, OFF_SQES);
    if (sqesAddress < 0) {
      LibcUring.munmap(ringAddress, ringLength);
      LibcFiles.close(fd);
      return null;
    }
    return new IoUring(fd, params, ringAddress, ringLength, sqesAddress, sqesLength);
  }

  /**
   * io_uring_setup into {@code params} (zeroed, {@link #PARAMS_SIZE} bytes), which the kernel fills
   * in: the ring's descriptor, or minus the errno.
   */
  static long setup(int sqEntries, int cqEntries, int flags, MemorySegment params) {
    if (cqEntries > 0) {
      params.set(JAVA_INT, 4, cqEntries);
      flags |= SETUP_CQSIZE;
    }
    params.set(JAVA_INT, 8, flags);
    return LibcUring.setup(sqEntries, params);
  }

  /**
   * Why io_uring_setup refuses a ring of these sizes and flags here, or empty when it makes one
   * (closed at once): kernel.io_uring_disabled, a seccomp filter, or a kernel older than a flag.
   */
  static Optional<String> whyRefused(int sqEntries, int cqEntries, int flags) {
    try (Arena a = Arena.ofConfined()) {
      long fd = setup(sqEntries, cqEntries, flags, a.allocate(PARAMS_SIZE, 8));
      if (fd < 0) return Optional.of("io_uring_setup refused: " + Errno.of((int) -fd));
      LibcFiles.close((int) fd);
      return Optional.empty();
    }
  }

  /** The next submission entry's offset in {@link #sqes}, zeroed; queued by {@link #publishSqe}. */
  long nextSqe() {
    long sqe = (long) (sqTailLocal & sqMask) * SQE_SIZE;
    // Word by word, not asSlice(...).fill: a slice is a 40-byte object whenever the JIT does not
    // scalar-replace it, and the batched writes take an entry per packet (bench, session 24:
    // 9,000-31,200 bytes, all multiples of 40, in the loop's thread in 9 rows of one run).
    for (long at = sqe; at < sqe + SQE_SIZE; at += 8) sqes.set(JAVA_LONG, at, 0L);
    return sqe;
  }

  /**
   * {@link #nextSqe} with its common fields set: the IORING_OP_ {@code opcode}, the IOSQE_ {@code
   * flags}, the descriptor {@code fd} and the {@code userData} its completion carries.
   */
  long nextSqe(int opcode, int flags, int fd, long userData) {
    long sqe = nextSqe();
    sqes.set(JAVA_BYTE, sqe, (byte) opcode);
    sqes.set(JAVA_BYTE, sqe + 1, (byte) flags);
    sqes.set(JAVA_INT, sqe + 4, fd);
    sqes.set(JAVA_LONG, sqe + 32, userData);
    return sqe;
  }

  /** Queues the entry {@link #nextSqe} returned; the next io_uring_enter submits it. */
  void publishSqe() {
    sqTailLocal++;
    INT.setRelease(ring, sqTail, sqTailLocal);
  }

  /** Entries queued and not yet taken by the kernel. */
  int unsubmitted() {
    return sqTailLocal - (int) INT.getAcquire(ring, sqHead);
  }

  boolean completionsWaiting() {
    return (int) INT.getAcquire(ring, cqTail) != cqHeadLocal;
  }

  /** The oldest completion's offset in the ring's mapping; only while {@link #completionsWaiting()}. */
  private long headCqe() {
    return cqes + (long) (cqHeadLocal & cqMask) * CQE_SIZE;
  }

  /** The oldest completion's user_data. */
  long completionUserData() {
    return ring.get(JAVA_LONG, headCqe());
  }

  /** The oldest completion's result: a count, or minus the errno. */
  int completionResult() {
    return ring.get(JAVA_INT, headCqe() + 8);
  }

  /** The oldest completion's IORING_CQE_F_ flags. */
  int completionFlags() {
    return ring.get(JAVA_INT, headCqe() + 12);
  }

  /** Gives the oldest completion's slot back to the kernel. */
  void consumeCompletion() {
    cqHeadLocal++;
    INT.setRelease(ring, cqHead, cqHeadLocal);
  }

  /** Closes the ring (which cancels what it still has in flight) and unmaps it. */
  void close() {
    LibcFiles.close(fd);
    LibcUring.munmap(sqesAddress, sqesLength);
    LibcUring.munmap(ringAddress, ringLength);
  }
}
