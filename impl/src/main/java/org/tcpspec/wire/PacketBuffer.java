package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;

/**
 * Native memory one received packet was read into, which receive buffers may keep part of (the
 * packet's payload) until the application has read it, instead of copying it (issue 15: on the TUN
 * path the copy from the packet into the receive buffer's chunks was an eighth of the
 * kernel-to-stack processor time). Linux's receive queue likewise holds the skbs the driver filled.
 *
 * <p>The event loop reads into one buffer at a time ({@link PacketBufferPool#take}); when a
 * receive buffer kept part of it ({@link #lend}), the loop takes another for its next read and this
 * one goes back to the pool once every part was given back ({@link #giveBack}). A packet the loop
 * queues in its backlog (the stack's lock was taken) waits in its buffer too, and the loop reads on
 * into another. Lent and given back under the stack's lock, as the receive buffers are.
 */
public final class PacketBuffer {
  private final MemorySegment framed;
  private final MemorySegment memory;
  private final PacketBufferPool pool;
  /** Receive buffers holding part of the packet. */
  private int holders;
  /** The event loop reads into it, or still handles the packet it read. */
  private boolean reading;

  /** @param framed the buffer with its {@link PacketBufferPool#HEADROOM} in front */
  PacketBuffer(MemorySegment framed, PacketBufferPool pool) {
    this.framed = framed;
    this.memory = framed.asSlice(PacketBufferPool.HEADROOM);
    this.pool = pool;
  }

  /** Where the packet lies, from index 0. */
  public MemorySegment memory() {
    return memory;
  }

  /**
   * {@link #memory()} behind its {@link PacketBufferPool#HEADROOM} bytes, for a device that reads a
   * header of its own in front of the packet.
   */
  public MemorySegment framed() {
    return framed;
  }

  /**
   * A receive buffer asks to keep part of the packet until it is read; false when it may not (the
   * pool has no buffer left for the loop's next read) and must copy instead.
   */
  public boolean lend() {
    if (holders == 0 && !pool.canReplace()) return false;
    holders++;
    return true;
  }

  /** A part {@link #lend} lent was read or dropped. */
  public void giveBack() {
    if (holders <= 0) throw new IllegalStateException("given back more often than lent");
    holders--;
    if (holders == 0 && !reading) pool.free(this);
  }

  /** Whether receive buffers hold part of it. */
  public boolean lent() {
    return holders > 0;
  }

  void reading(boolean reading) {
    this.reading = reading;
  }
}
