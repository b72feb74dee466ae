package org.tcpspec.runtime;

import java.util.concurrent.atomic.AtomicLong;
import org.tcpspec.wire.PacketBuffer;

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
 * Now it queues the packet here, in the {@link PacketBuffer} it was read into, and reads on into
 * another: no copy, and a receive buffer may keep the payload where it lies as for any other read.
 *
 * <p>A fixed ring of {@link #SLOTS}, so nothing is allocated per packet. One producer, the loop's
 * thread ({@link #offer}); consumers hold the stack's lock ({@link #peek}, {@link #pop}), so one at
 * a time, in the order the packets were read.
 */
final class ReceiveBacklog {
  static final int SLOTS = 8;

  private final PacketBuffer[] buffers = new PacketBuffer[SLOTS];
  private final int[] lengths = new int[SLOTS];
  private final boolean[] checksumPartial = new boolean[SLOTS];
  private final int[] gsoSize = new int[SLOTS];
  /** The next packet to take; advanced under the stack's lock. */
  private final AtomicLong head = new AtomicLong();
  /** The next free slot; advanced by the loop's thread once the slot is written. Queued: [head, tail). */
  private final AtomicLong tail = new AtomicLong();
  private final AtomicLong deferred = new AtomicLong();

  /** Whether a slot is free; the loop's thread only (consumers only free slots meanwhile). */
  boolean hasRoom() {
    return tail.get() - head.get() < SLOTS;
  }

  /**
   * Queues the packet {@code packet.memory()[0, length)} with what the device said of it; the
   * loop's thread only, after {@link #hasRoom()}. The loop reads its next packet elsewhere.
   */
  void offer(PacketBuffer packet, int length, boolean partial, int gso) {
    long t = tail.get();
    if (t - head.get() == SLOTS) throw new IllegalStateException("the backlog is full");
    int i = (int) (t % SLOTS);
    buffers[i] = packet;
    lengths[i] = length;
    checksumPartial[i] = partial;
    gsoSize[i] = gso;
    tail.set(t + 1); // publishes the slot's contents (a volatile write after them)
    deferred.incrementAndGet();
  }

  /** Whether a packet waits; any thread. */
  boolean isEmpty() {
    return head.get() == tail.get();
  }

  /** The slot of the oldest waiting packet; the stack's lock held and {@link #isEmpty()} false. */
  int peek() {
    return (int) (head.get() % SLOTS);
  }

  PacketBuffer buffer(int slot) {
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
    long h = head.get();
    buffers[(int) (h % SLOTS)] = null;
    head.set(h + 1);
  }

  /** Packets that went through the backlog so far. */
  long deferred() {
    return deferred.get();
  }
}
