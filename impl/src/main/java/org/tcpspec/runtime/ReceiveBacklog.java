package org.tcpspec.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Packets the event loop read while an application thread held the stack's lock, waiting for
 * whoever holds it next, as Linux's socket backlog: a segment that arrives while a process owns
 * the socket (lock_sock, in tcp_recvmsg or tcp_sendmsg) is queued with sk_add_backlog by
 * tcp_v4_rcv, and the owner processes it in release_sock (__release_sock) before it lets go; the
 * softirq does not wait for the owner.
 *
 * <p>Why (issue 15): the loop used to wait for the lock, spinning and then parking, while an
 * application thread copied its read (up to 256 KB) or its write under it; each wait was two
 * futex calls and two context switches, with the packet in hand and the device's queue filling.
 * Now it copies the packet here (a memcpy of at most 64 KB) and reads on.
 *
 * <p>A fixed ring of {@link #SLOTS} native packet buffers, so nothing is allocated per packet.
 * One producer, the loop's thread ({@link #offer}); consumers hold the stack's lock ({@link #peek},
 * {@link #pop}), so one at a time, in the order the packets were read.
 */
final class ReceiveBacklog {
  static final int SLOTS = 4;

  private final MemorySegment[] buffers = new MemorySegment[SLOTS];
  private final int[] lengths = new int[SLOTS];
  private final boolean[] checksumPartial = new boolean[SLOTS];
  private final int[] gsoSize = new int[SLOTS];
  /** The next packet to take; advanced under the stack's lock. */
  private final AtomicLong head = new AtomicLong();
  /** The next free slot; advanced by the loop's thread once the slot is written. Queued: [head, tail). */
  private final AtomicLong tail = new AtomicLong();
  private final AtomicLong deferred = new AtomicLong();

  ReceiveBacklog(long maxPacket) {
    Arena arena = Arena.ofAuto();
    for (int i = 0; i < SLOTS; i++) buffers[i] = arena.allocate(maxPacket, 8);
  }

  /**
   * Copies the packet {@code packet[0, length)} with what the device said of it into the next
   * slot and returns true, or returns false when every slot is taken; the loop's thread only.
   */
  boolean offer(MemorySegment packet, int length, boolean partial, int gso) {
    long t = tail.get();
    if (t - head.get() == SLOTS) return false;
    int i = (int) (t % SLOTS);
    MemorySegment.copy(packet, 0, buffers[i], 0, length);
    lengths[i] = length;
    checksumPartial[i] = partial;
    gsoSize[i] = gso;
    tail.set(t + 1); // publishes the slot's contents (a volatile write after them)
    deferred.incrementAndGet();
    return true;
  }

  /** Whether a packet waits; any thread. */
  boolean isEmpty() {
    return head.get() == tail.get();
  }

  /** The slot of the oldest waiting packet; the stack's lock held and {@link #isEmpty()} false. */
  int peek() {
    return (int) (head.get() % SLOTS);
  }

  MemorySegment buffer(int slot) {
    return buffers[slot];
  }

  int length(int slot) {
    return lengths[slot];
  }

  boolean checksumPartial(int slot) {
    return checksumPartial[slot];
  }

  int gsoSize(int slot) {
    return gsoSize[slot];
  }

  /** The oldest waiting packet was processed; its slot is free. The stack's lock held. */
  void pop() {
    head.set(head.get() + 1);
  }

  /** Packets that went through the backlog so far. */
  long deferred() {
    return deferred.get();
  }
}
