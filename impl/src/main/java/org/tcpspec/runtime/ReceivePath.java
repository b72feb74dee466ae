package org.tcpspec.runtime;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.tcpspec.device.NativePacketDevice;
import org.tcpspec.stack.Stack;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.PacketBuffer;
import org.tcpspec.wire.PacketBufferPool;
import org.tcpspec.wire.SegmentReader;

/**
 * The {@link EventLoop}'s way in: a packet read from the device, parsed with the loop's one
 * {@link SegmentReader} and fed to the stack, or counted and dropped. On a {@link
 * NativePacketDevice} packets are read into buffers of a {@link PacketBufferPool} and parsed where
 * they lie (a large in-order payload stays there, lent to its receive buffer, until the application
 * reads it); one read while an application thread holds the lock goes into the {@link
 * ReceiveBacklog} for whoever holds it next. On a plain device a packet is a byte array ({@link
 * #deliver}). Counts what it took and what it dropped, by reason. One per loop.
 */
final class ReceivePath {
  /** Drops by the reader's failed check (its ordinal), and, in the last slot, well-formed packets for another address. */
  private static final int NOT_OURS = SegmentReader.Check.values().length;
  /**
   * Buffers of 64 KB for payload waiting to be read: a few megabytes; past that, receive buffers
   * copy. A device that reads into buffers handed over ahead of time gets those on top ({@link
   * NativePacketDevice#buffersWanted()}).
   */
  private static final int RX_BUFFERS = 64;

  private final Stack stack;
  private final LoopLock lock;
  private final SegmentReader reader = new SegmentReader();
  /** The device's native side, or null on a plain device (byte arrays). */
  private final NativePacketDevice nativeDevice;
  /** Packets read while an application thread held the lock, for the next holder (see {@link ReceiveBacklog}). */
  private final ReceiveBacklog backlog;
  /**
   * The buffers the loop reads packets into on a native device; receive buffers keep large
   * payloads in them until the application reads them ({@link PacketBuffer}), and the loop then
   * reads on into another ({@link #RX_BUFFERS}). Made by the loop's first read ({@link
   * #startNative}), once the device has said how it reads; null before and on a plain device.
   * Volatile: an application thread that holds the lock gives back buffers of the backlog.
   */
  private volatile PacketBufferPool rxPool;
  /**
   * The buffer the next packet is read into, when the device reads into the caller's memory: the
   * loop's thread only, swapped under the lock; null when the device holds buffers of the pool
   * ({@link #providing}).
   */
  private PacketBuffer rx;
  /** The device reads into buffers of the pool handed to it ahead of time (io_uring). */
  private volatile boolean providing;
  /**
   * After {@link #received}: the buffer for a later read, the packet's own unless the stack kept
   * it (lent to a receive buffer, or in the backlog), then one from the pool in its place.
   */
  private PacketBuffer reusable;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLongArray droppedBy = new AtomicLongArray(NOT_OURS + 1);
  /** Segments the packets stood for (a super-packet counts its segments). */
  private final AtomicLong segmentsReceived = new AtomicLong();

  /** @param nativeDevice null on a plain device */
  ReceivePath(NativePacketDevice nativeDevice, Stack stack, LoopLock lock) {
    this.nativeDevice = nativeDevice;
    this.stack = stack;
    this.lock = lock;
    if (nativeDevice != null) {
      backlog = new ReceiveBacklog();
    } else {
      backlog = null;
    }
  }

  /**
   * Reads the next packet from the native device and takes it ({@link #received}): 1 when the
   * stack took it or it waits in the backlog, 0 when it was dropped, -1 when none was waiting. The
   * loop's thread only.
   */
  int readNative() throws IOException {
    if (rxPool == null) startNative();
    if (providing) {
      int length = nativeDevice.receiveProvided();
      if (length == 0) return -1;
      int work = received(nativeDevice.receivedBuffer(), length);
      nativeDevice.provide(reusable);
      return work;
    }
    int length = nativeDevice.receiveNative(rx.memory());
    if (length == 0) return -1;
    int work = received(rx, length);
    rx = reusable;
    return work;
  }

  /**
   * Asks the device, on the loop's thread, whether it reads into buffers handed over ahead of time,
   * makes the pool, and hands the device the buffers it wants, or takes the one to read into.
   */
  private void startNative() throws IOException {
    int wanted = nativeDevice.buffersWanted();
    rxPool = new PacketBufferPool(nativeDevice.rxBuffer().byteSize(), RX_BUFFERS + wanted);
    providing = wanted > 0;
    if (!providing) {
      rx = rxPool.take();
      return;
    }
    for (int i = 0; i < wanted; i++) nativeDevice.provide(rxPool.take());
  }

  /**
   * The packet just read into {@code buffer}: fed to the stack under the lock, or, while an
   * application thread holds the lock, left in the backlog for whoever holds it next (Linux's
   * sk_add_backlog); only with the backlog full does the loop wait for the lock. Sets {@link
   * #reusable}.
   */
  private int received(PacketBuffer buffer, int length) {
    MemorySegment packet = buffer.memory();
    boolean partial = nativeDevice.rxChecksumPartial();
    int gsoSize = nativeDevice.rxGsoSize();
    if (!lock.tryLock()) {
      PacketBuffer next = backlog.hasRoom() ? rxPool.take() : null;
      if (next != null) {
        backlog.offer(buffer, length, partial, gsoSize);
        reusable = next;
        return 1;
      }
      lock.lockOnLoop();
    }
    try {
      processBacklogLocked();
      reader.lendFrom(buffer);
      try {
        return deliverLocked(packet, length, partial, gsoSize);
      } finally {
        reader.lendFrom(null);
        reusable = replacedIfLent(buffer);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * A receive buffer kept part of the packet just delivered: the next one is read into another
   * buffer (one is there: the lend asked the pool), and this one goes back to the pool when the
   * application has read what was kept. The lock held, so no read gives a part back meanwhile.
   */
  private PacketBuffer replacedIfLent(PacketBuffer buffer) {
    if (!buffer.lent()) return buffer;
    PacketBuffer next = rxPool.take();
    if (next == null) throw new IllegalStateException("a packet buffer was lent with none to replace it");
    rxPool.doneReading(buffer);
    return next;
  }

  /**
   * Feeds the backlog's packets to the stack, oldest first (Linux __release_sock), and returns how
   * many were taken; the lock held. Packets go to the stack in the order they were read: the loop
   * delivers one itself only after this.
   */
  int processBacklogLocked() {
    if (backlog == null) return 0;
    int n = 0;
    while (!backlog.isEmpty()) {
      int slot = backlog.peek();
      PacketBuffer packet = backlog.buffer(slot);
      reader.lendFrom(packet);
      try {
        n += deliverLocked(packet.memory(), backlog.length(slot), backlog.checksumPartial(slot),
            backlog.gsoSize(slot));
      } finally {
        reader.lendFrom(null);
        rxPool.doneReading(packet);
        backlog.pop();
      }
    }
    return n;
  }

  /** Parses the packet {@code packet[0, length)} where it lies and feeds it to the stack; the lock held. */
  private int deliverLocked(MemorySegment packet, int length, boolean checksumPartial, int gsoSize) {
    boolean wellFormed = checksumPartial
        ? reader.wrapChecksumOffloaded(packet, 0, length)
        : reader.wrap(packet, 0, length);
    if (!wellFormed && notTcp() && icmpError(packet.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE))) return 1;
    int payload = wellFormed ? reader.payloadLength() : 0;
    return inputWrapped(wellFormed, gsoSize > 0 && payload > gsoSize ? (payload + gsoSize - 1) / gsoSize : 1);
  }

  /** A packet from a plain device: parsed and fed to the stack under the lock (1), or dropped (0). */
  int deliver(byte[] packet) {
    lock.lock();
    try {
      // A malformed packet is only counted, so the flyweight's verdict is enough: no Segment
      // record, option list or payload copy per received packet (issue #4). The reader is the
      // loop's one view, so it is used under the lock.
      boolean wellFormed = reader.wrap(packet, 0, packet.length);
      if (!wellFormed && notTcp() && icmpError(packet)) return 1;
      return inputWrapped(wellFormed, 1);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The packet the reader has wrapped, {@code segments} of them when it is a super-packet: counted
   * and dropped when malformed or not for this stack, else fed to the stack (1); the lock held.
   */
  private int inputWrapped(boolean wellFormed, int segments) {
    if (!wellFormed) {
      dropped.incrementAndGet();
      droppedBy.incrementAndGet(reader.failedCheck().ordinal());
      return 0;
    }
    if (!stack.isLocal(reader.dstAddrHigh(), reader.dstAddrLow())) {
      dropped.incrementAndGet();
      droppedBy.incrementAndGet(NOT_OURS);
      return 0;
    }
    received.incrementAndGet();
    segmentsReceived.addAndGet(segments);
    stack.input(reader);
    return 1;
  }

  /** Whether the packet the reader refused is not TCP at all (and so may be ICMP). */
  private boolean notTcp() {
    SegmentReader.Check c = reader.failedCheck();
    return c == SegmentReader.Check.IPV4_PROTOCOL || c == SegmentReader.Check.IPV6_NEXT_HEADER;
  }

  /**
   * An ICMP or ICMPv6 error about one of our segments goes to the stack (RFC 9293 §3.9.2.2,
   * MUST-54), which directs it to the connection it quotes; anything else is not taken. The lock is
   * held. A copy per packet, since ICMP is rare and the TCP path stays as it is.
   */
  private boolean icmpError(byte[] packet) {
    Optional<IcmpError> e = IcmpError.parse(packet, 0, packet.length);
    if (e.isEmpty()) return false;
    received.incrementAndGet();
    stack.icmpInput(e.get());
    return true;
  }

  long packetsReceived() {
    return received.get();
  }

  long packetsDropped() {
    return dropped.get();
  }

  /** See {@link EventLoop#packetsDroppedByReason()}. */
  Map<String, Long> packetsDroppedByReason() {
    Map<String, Long> out = new TreeMap<>();
    SegmentReader.Check[] checks = SegmentReader.Check.values();
    for (SegmentReader.Check c : checks) {
      long n = droppedBy.get(c.ordinal());
      if (n > 0) out.put(c.field() + " " + c.name(), n);
    }
    long foreign = droppedBy.get(NOT_OURS);
    if (foreign > 0) out.put("not for this stack", foreign);
    return out;
  }

  /** See {@link EventLoop#packetsBacklogged()}. */
  long packetsBacklogged() {
    return backlog != null ? backlog.deferred() : 0;
  }

  /** See {@link EventLoop#readsIntoProvidedBuffers()}. */
  boolean providing() {
    return providing;
  }

  long segmentsReceived() {
    return segmentsReceived.get();
  }
}
