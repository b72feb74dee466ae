package org.tcpspec.device;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;

/**
 * Two {@link NativePacketDevice}s joined back to back, shaped as a TUN device with the virtio-net
 * header is: packets cross in native memory, and with {@code segmentationOffload} a super-packet
 * one end transmits reaches the other whole, with its segment size and its partial checksum said,
 * as the kernel hands a TCP super-packet to a TUN reader. Each direction is a ring of preallocated
 * slots, so nothing is allocated per packet; a packet that finds the ring full is dropped and
 * counted. No clock, no threads: a test decides when packets are received.
 */
public final class InMemoryNativeLink {
  /** The largest packet, as a TUN device's (IPv4's total length field). */
  public static final int MAX_PACKET = 65_535;

  private final End a;
  private final End b;

  /**
   * @param mtu the MTU each end reports; plain packets may not exceed it, super-packets may
   * @param slots packets each direction holds before dropping
   * @param segmentationOffload whether super-packets cross (both ends)
   */
  public InMemoryNativeLink(int mtu, int slots, boolean segmentationOffload) {
    if (mtu < 1 || slots < 1) throw new IllegalArgumentException("mtu and slots must be positive");
    Arena arena = Arena.ofAuto();
    a = new End("a", mtu, new Ring(arena, slots), segmentationOffload, arena);
    b = new End("b", mtu, new Ring(arena, slots), segmentationOffload, arena);
    a.peer = b;
    b.peer = a;
  }

  public End a() {
    return a;
  }

  public End b() {
    return b;
  }

  /** Packets in flight toward one end: fixed slots, their lengths and what the header would say. */
  private static final class Ring {
    final MemorySegment[] packets;
    final int[] lengths;
    final int[] gsoSizes;
    final boolean[] partial;
    int head;
    int count;

    Ring(Arena arena, int slots) {
      packets = new MemorySegment[slots];
      for (int i = 0; i < slots; i++) packets[i] = arena.allocate(MAX_PACKET, 8);
      lengths = new int[slots];
      gsoSizes = new int[slots];
      partial = new boolean[slots];
    }
  }

  /** One end of the link. */
  public static final class End implements NativePacketDevice {
    private final String name;
    private final int mtu;
    private final Ring inbound;
    private final boolean segmentationOffload;
    private final MemorySegment rxBuffer;
    private End peer;
    private volatile boolean closed;
    private long dropped;
    /** Written by one drainer at a time (the transmit ring's write lock). */
    private volatile long batches;
    private int rxGsoSize;
    private boolean rxPartial;

    private End(String name, int mtu, Ring inbound, boolean segmentationOffload, Arena arena) {
      this.name = name;
      this.mtu = mtu;
      this.inbound = inbound;
      this.segmentationOffload = segmentationOffload;
      this.rxBuffer = arena.allocate(MAX_PACKET, 8);
    }

    @Override
    public boolean segmentationOffload() {
      return segmentationOffload;
    }

    @Override
    public int receiveNative(MemorySegment into) throws IOException {
      ensureOpen();
      synchronized (inbound) {
        if (inbound.count == 0) return 0;
        int slot = inbound.head;
        int length = inbound.lengths[slot];
        MemorySegment.copy(inbound.packets[slot], 0, into, 0, length);
        rxGsoSize = inbound.gsoSizes[slot];
        rxPartial = inbound.partial[slot];
        inbound.head = (slot + 1) % inbound.packets.length;
        inbound.count--;
        return length;
      }
    }

    @Override
    public MemorySegment rxBuffer() {
      return rxBuffer;
    }

    @Override
    public int rxGsoSize() {
      return rxGsoSize;
    }

    @Override
    public boolean rxChecksumPartial() {
      return rxPartial;
    }

    @Override
    public boolean awaitPacket(long timeoutNanos) throws IOException {
      long deadline = System.nanoTime() + timeoutNanos;
      synchronized (inbound) {
        while (inbound.count == 0 && !closed) {
          long left = timeoutNanos < 0 ? 0 : deadline - System.nanoTime();
          if (timeoutNanos >= 0 && left <= 0) return false;
          try {
            inbound.wait(timeoutNanos < 0 ? 0 : Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting on " + name);
          }
        }
      }
      ensureOpen();
      return true;
    }

    @Override
    public void transmitNative(MemorySegment buffer, int length) throws IOException {
      if (length > mtu) throw new IOException(name + ": packet of " + length + " bytes > MTU " + mtu);
      peer.offer(buffer, length, 0, false);
    }

    @Override
    public void transmitSuperPacket(MemorySegment buffer, int length, int tcpOffset, int headerLength, int gsoSize)
        throws IOException {
      if (!segmentationOffload) throw new IllegalStateException(name + " takes no TCP super-packets");
      peer.offer(buffer, length, gsoSize, true);
    }

    private void offer(MemorySegment buffer, int length, int gsoSize, boolean partial) throws IOException {
      peer.ensureOpen();
      ensureOpen();
      synchronized (inbound) {
        if (inbound.count == inbound.packets.length) {
          dropped++;
          return;
        }
        int slot = (inbound.head + inbound.count) % inbound.packets.length;
        MemorySegment.copy(buffer, 0, inbound.packets[slot], 0, length);
        inbound.lengths[slot] = length;
        inbound.gsoSizes[slot] = gsoSize;
        inbound.partial[slot] = partial;
        inbound.count++;
        inbound.notifyAll();
      }
    }

    /**
     * Counts a batch; this end writes each packet at once, which the batch's contract allows
     * ({@link NativePacketDevice#beginTransmitBatch}).
     */
    @Override
    public void beginTransmitBatch() throws IOException {
      ensureOpen();
      batches++;
    }

    /** How many batches callers made ({@link #beginTransmitBatch}). */
    public long transmitBatches() {
      return batches;
    }

    /** Packets dropped because this end's ring was full. */
    public long dropped() {
      synchronized (inbound) {
        return dropped;
      }
    }

    /** Plain packets only: a super-packet is handed over whole, as by the native receive. */
    @Override
    public Optional<byte[]> receive(long timeoutNanos) throws IOException {
      if (timeoutNanos != 0 && !awaitPacket(timeoutNanos)) return Optional.empty();
      int length = receiveNative();
      if (length == 0) return Optional.empty();
      return Optional.of(rxBuffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
    }

    @Override
    public void transmit(byte[] packet) throws IOException {
      transmitNative(MemorySegment.ofArray(packet), packet.length);
    }

    @Override
    public int mtu() {
      return mtu;
    }

    private void ensureOpen() throws ClosedChannelException {
      if (closed) throw new ClosedChannelException();
    }

    @Override
    public void close() {
      closed = true;
      synchronized (inbound) {
        inbound.notifyAll();
      }
    }

    @Override
    public String toString() {
      return "in-memory native link end " + name;
    }
  }
}
