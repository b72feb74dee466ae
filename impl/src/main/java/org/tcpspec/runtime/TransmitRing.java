package org.tcpspec.runtime;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.tcpspec.device.NativePacketDevice;
import org.tcpspec.wire.TcpSuperPacket;

/**
 * The event loop's packets on their way to a {@link NativePacketDevice}: super-packets are built
 * under the loop's lock and queued here, and written to the device by whichever thread calls {@link
 * #drain()} after releasing that lock. A write to a TUN device runs the receiving kernel's input
 * path in the system call (for a 64 KB super-packet its GRO and TCP receive, the copy into the
 * socket, the wake-up of its reader), tens of microseconds during which the stack's lock held the
 * other thread out: sending to the kernel, the loop spent most of its time spinning for the lock
 * an application thread held through its write.
 *
 * <p>A fixed ring of {@link #SLOTS} packet buffers, so nothing is allocated per packet. One thread
 * at a time fills ({@link #filling()}, {@link #submit()}: the loop's lock held); one thread at a
 * time writes, under the ring's own lock, in the order the packets were queued. When every slot is
 * queued, {@link #submit()} writes the whole queue itself, the loop's lock still held (after waiting
 * for the write lock if another thread is writing): the old behaviour, for bursts longer than the
 * ring.
 */
final class TransmitRing {
  /** Packet buffers: 8 super-packets of 64 KB, half a megabyte, more than one cycle's output. */
  static final int SLOTS = 8;
  private static final int MAX_PACKET = 65_535;
  /** Busy tries at the write lock before a full ring yields for it (see {@link EventLoop}'s lock spins). */
  private static final int LOCK_SPINS = 10_000;

  private final NativePacketDevice device;
  private final Consumer<String> log;
  private final TcpSuperPacket[] slots = new TcpSuperPacket[SLOTS];
  private final ReentrantLock writeLock = new ReentrantLock();
  /** The next packet to write; advanced under {@link #writeLock}. */
  private final AtomicLong head = new AtomicLong();
  /** The packet being filled; advanced under the loop's lock. Queued: [head, tail). */
  private final AtomicLong tail = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong segmentsWritten = new AtomicLong();

  TransmitRing(NativePacketDevice device, Consumer<String> log) {
    this.device = device;
    this.log = log;
    // Freed with the loop by the GC: an application thread may still drain into it after close.
    Arena arena = Arena.ofAuto();
    for (int i = 0; i < SLOTS; i++) {
      slots[i] = new TcpSuperPacket(arena.allocate(MAX_PACKET, 8), device.segmentationOffload());
    }
  }

  /** The packet being built; the loop's lock held. */
  TcpSuperPacket filling() {
    return slots[(int) (tail.get() % SLOTS)];
  }

  /**
   * Queues the packet being built, if any, and returns whether it did; the loop's lock held. The
   * next {@link #filling()} is a free slot: with all queued, the oldest are written first.
   */
  boolean submit() {
    TcpSuperPacket p = filling();
    if (p.isEmpty()) return false;
    p.finish();
    long t = tail.get() + 1;
    tail.set(t);
    if (t - head.get() == SLOTS) {
      lockToWrite();
      try {
        writeQueued();
      } finally {
        writeLock.unlock();
      }
    }
    return true;
  }

  /** Whether packets are queued, not yet written. */
  boolean pending() {
    return head.get() != tail.get();
  }

  /**
   * Writes the queued packets unless another thread is writing them: that one writes what was
   * queued before it let go of the write lock, and a packet queued later is seen by the check after
   * it let go. Call without the loop's lock.
   */
  void drain() {
    while (pending()) {
      if (!writeLock.tryLock()) return;
      try {
        writeQueued();
      } finally {
        writeLock.unlock();
      }
    }
  }

  private void lockToWrite() {
    for (int i = 0; i < LOCK_SPINS; i++) {
      if (writeLock.tryLock()) return;
      Thread.onSpinWait();
    }
    // Never the lock's queue: a contended ReentrantLock.lock() allocates a 40-byte node, which on
    // the loop's thread is allocation per packet (bench, 4 and 16 connections: 80-1080 bytes per
    // window, all multiples of 40, before this).
    while (!writeLock.tryLock()) Thread.yield();
  }

  /**
   * Writes the queued packets in order, those queued when it looks as one batch ({@link
   * NativePacketDevice#beginTransmitBatch}: on a TUN device one system call for all); the write
   * lock held. A slot is freed only once its batch is written, so no packet is changed before.
   */
  private void writeQueued() {
    long h = head.get();
    long t;
    while (h != (t = tail.get())) {
      int batchWritten = 0;
      int batchSegments = 0;
      try {
        device.beginTransmitBatch();
        try {
          for (long i = h; i != t; i++) {
            TcpSuperPacket p = slots[(int) (i % SLOTS)];
            if (transmit(p)) {
              batchWritten++;
              batchSegments += p.segments();
            }
          }
        } finally {
          device.endTransmitBatch();
        }
      } catch (IOException e) {
        // A failed batch is lost packets, which TCP recovers from; the device's next read reports a
        // device that is gone. None of the batch is counted.
        log.accept("transmit failed: " + e);
        batchWritten = 0;
        batchSegments = 0;
      }
      written.addAndGet(batchWritten);
      segmentsWritten.addAndGet(batchSegments);
      for (long i = h; i != t; i++) slots[(int) (i % SLOTS)].clear();
      head.set(h = t);
    }
  }

  /** Hands {@code p} to the device; whether it took it (a failure is logged). */
  private boolean transmit(TcpSuperPacket p) {
    try {
      int segments = p.segments();
      if (p.gathered()) {
        device.transmitGathered(p.buffer(), p.headerLength(), p.slices(), p.tcpOffset(),
            segments > 1 ? p.gsoSize() : 0);
      } else if (p.checksumPartial()) {
        device.transmitSuperPacket(p.buffer(), p.length(), p.tcpOffset(), p.headerLength(),
            segments > 1 ? p.gsoSize() : 0);
      } else {
        device.transmitNative(p.buffer(), p.length());
      }
      return true;
    } catch (IOException e) {
      log.accept("transmit failed: " + e);
      return false;
    }
  }

  /** Packets written to the device. */
  long written() {
    return written.get();
  }

  /** Segments those packets stood for. */
  long segmentsWritten() {
    return segmentsWritten.get();
  }
}
