package org.tcpspec.runtime;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.tcpspec.device.NativePacketDevice;
import org.tcpspec.device.PacketDevice;
import org.tcpspec.stack.Stack;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpSuperPacket;

/**
 * The {@link EventLoop}'s way out: what the stack produced, to the device. On a {@link
 * NativePacketDevice} the stack's segments are emitted as they are made ({@link Stack#transmitTo},
 * the sink {@link #transmitSegment} installed once, here) into the slots of a {@link
 * TransmitRing}, consecutive ones of a flow coalesced into one super-packet, and written by the
 * thread that made them once it let go of the lock ({@link #drain}); on a plain {@link
 * PacketDevice} the stack's queued segments are emitted with {@link SegmentEmitter} and written
 * under the lock ({@link #flushLocked}). One per loop.
 */
final class TransmitPath {
  private final PacketDevice device;
  private final Stack stack;
  /** Where the stack's segments go on a native device, to be written after the lock is released; null on a plain one. */
  private final TransmitRing ring;
  /** Packets transmitted on a plain device; a native one's are counted by {@link #ring}. */
  private final AtomicLong transmitted = new AtomicLong();
  /** Segments the packets stood for (a super-packet counts its segments), on a plain device. */
  private final AtomicLong segmentsTransmitted = new AtomicLong();
  /**
   * Application threads inside a call of {@link ApplicationCalls} and not asleep in it: what the
   * loop queues meanwhile is theirs to write ({@link #drainOnLoop}).
   */
  private final AtomicInteger applicationsInside = new AtomicInteger();
  /** Packets queued since the last {@link #flushLocked}, for its count of work done. */
  private int queuedSinceFlush;

  /** Installs the stack's sink when {@code device} is native. */
  TransmitPath(PacketDevice device, Stack stack, Consumer<String> log) {
    this.device = device;
    this.stack = stack;
    if (device instanceof NativePacketDevice n) {
      ring = new TransmitRing(n, log);
      stack.transmitTo(this::transmitSegment, n.segmentationOffload());
    } else {
      ring = null;
    }
  }

  /**
   * The stack's sink on a native device: each segment into the super-packet being built. A pure
   * ACK is held until the next segment or the end of the cycle, and a later pure ACK of the same
   * connection that acknowledges more replaces it ({@link TcpSuperPacket#supersededBy}): the
   * packets of one cycle's reads are acknowledged once, after the last of them. Linux's GRO merges
   * less: at most 64 KB into one packet, which its receiver acknowledges; a cycle reads up to 64
   * packets, so at MTU 65000 one ACK of ours stands for up to 4 MB. Each ACK we write costs a system
   * call, and the sending kernel's ACK processing and transmission, which run in that call on our
   * thread: bounded to 64 KB, kernel to stack cost 0.41-0.45 processor-seconds per GB against
   * 0.36-0.37 (impl/TUN-PATH-LOG.md, session 17).
   */
  private void transmitSegment(SegmentView s) {
    TcpSuperPacket outgoing = ring.filling();
    if (outgoing.supersededBy(s)) outgoing.clear();
    if (!outgoing.add(s)) {
      queue();
      outgoing = ring.filling();
      outgoing.add(s);
    }
    if (outgoing.closed() && !outgoing.pureAck()) queue();
  }

  /** Queues the super-packet being built, if any, for the device (see {@link TransmitRing}). */
  private void queue() {
    if (ring.submit()) queuedSinceFlush++;
  }

  /**
   * Transmits what the stack produced and returns how many packets that was; the lock is held. On a
   * native device the segments went out as they were made, but for the super-packet still open.
   */
  int flushLocked() throws IOException {
    if (ring != null) {
      queue();
      int queued = queuedSinceFlush;
      queuedSinceFlush = 0;
      return queued;
    }
    List<Segment> out = stack.drainOutput();
    for (Segment s : out) {
      device.transmit(SegmentEmitter.emit(s, Ipv4Params.DEFAULT));
      transmitted.incrementAndGet();
      segmentsTransmitted.incrementAndGet();
    }
    return out.size();
  }

  /** Writes what the stack queued for a native device (see {@link TransmitRing}); without the lock. */
  void drain() {
    if (ring != null) ring.drain();
  }

  /** An application thread enters a call, or wakes inside one. */
  void applicationEnters() {
    applicationsInside.incrementAndGet();
  }

  /**
   * An application thread leaves a call, or goes to sleep inside one: it writes what is queued,
   * and, no longer counted, once more, for what the loop queued meanwhile and left to it.
   */
  void applicationLeaves() {
    drain();
    applicationsInside.decrementAndGet();
    drain();
  }

  /**
   * The loop's drain, after a cycle's reads and timers: what they queued is left to an application
   * thread inside a call, which writes it as it leaves ({@link #applicationLeaves}), as Linux leaves
   * the transmission that an ACK's softirq would start to the process that owns the socket
   * (tcp_tsq_handler sets TCP_TSQ_DEFERRED, tcp_release_cb runs it in release_sock). Sending to the
   * kernel, a writing thread then writes its flow's packets in one run instead of spinning for the
   * ring's write lock while the loop writes them (TransmitRing), and the loop, free of device
   * writes, reads the ACKs sooner. Stack to kernel at MTU 65000, alternating with the loop that
   * always wrote, one round each (impl/TUN-PATH-LOG.md, session 20): faster in 9 of 10 pairs (at
   * MTU 1500 in 4 of 5), at 0.31-0.50 processor-seconds per GB against 0.30-0.54. Nothing is left behind: the loop queues before it reads the
   * count and a leaving thread is uncounted before it looks at the queue, all volatile, so either the
   * loop sees no thread inside or the last one out sees the packets.
   */
  void drainOnLoop() {
    if (applicationsInside.get() == 0) drain();
  }

  /** Whether an application thread is inside a call and not asleep in it. */
  boolean applicationInside() {
    return applicationsInside.get() > 0;
  }

  /** Whether packets are queued for a native device and not yet written. */
  boolean pending() {
    return ring != null && ring.pending();
  }

  long packetsTransmitted() {
    return ring != null ? ring.written() : transmitted.get();
  }

  long segmentsTransmitted() {
    return ring != null ? ring.segmentsWritten() : segmentsTransmitted.get();
  }
}
