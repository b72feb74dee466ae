package org.tcpspec.device;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two {@link PacketDevice}s joined back to back: what end {@link #a()} transmits, end {@link #b()}
 * receives, and the other way round. Each end has a bounded receive queue; a packet that finds it
 * full is dropped and counted, as a full transmit queue drops. No clock, no threads: packets wait
 * in the queue until received, so a test or a virtual-time runner decides when they arrive.
 */
public final class InMemoryLink {
  /** Marks a closed end in its own queue, to wake a receiver that waits. */
  private static final byte[] CLOSED = new byte[0];

  private final End a;
  private final End b;

  /**
   * @param mtu the largest packet either end transmits; a larger one is refused
   * @param queueCapacity packets each end holds before dropping
   */
  public InMemoryLink(int mtu, int queueCapacity) {
    if (mtu < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("mtu and queueCapacity must be positive");
    }
    a = new End("a", mtu, queueCapacity);
    b = new End("b", mtu, queueCapacity);
    a.peer = b;
    b.peer = a;
  }

  /** A link with MTU 1500 and room for 1024 packets per direction. */
  public InMemoryLink() {
    this(1500, 1024);
  }

  public End a() {
    return a;
  }

  public End b() {
    return b;
  }

  /** One end of the link. */
  public static final class End implements PacketDevice {
    private final String name;
    private final int mtu;
    private final BlockingQueue<byte[]> inbound;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final int capacity;
    private End peer;

    private End(String name, int mtu, int capacity) {
      this.name = name;
      this.mtu = mtu;
      // One extra slot so the CLOSED marker always fits.
      this.inbound = new LinkedBlockingQueue<>(capacity + 1);
      this.capacity = capacity;
    }

    @Override
    public Optional<byte[]> receive(long timeoutNanos) throws IOException {
      if (closed.get()) throw new ClosedChannelException();
      try {
        byte[] p =
            timeoutNanos < 0 ? inbound.take() : inbound.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (p == CLOSED) {
          inbound.offer(CLOSED);
          throw new ClosedChannelException();
        }
        return Optional.ofNullable(p);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted receiving on link end " + name);
      }
    }

    /** Queues a copy at the other end; dropped (and counted there) when its queue is full. */
    @Override
    public void transmit(byte[] packet) throws IOException {
      if (closed.get()) throw new ClosedChannelException();
      if (packet.length > mtu) {
        throw new IOException("packet of " + packet.length + " bytes exceeds MTU " + mtu);
      }
      peer.deliver(packet.clone());
    }

    private void deliver(byte[] packet) {
      if (closed.get()) return;
      synchronized (inbound) {
        if (inbound.size() >= capacity || !inbound.offer(packet)) dropped.incrementAndGet();
      }
    }

    /** Packets that arrived at this end while its queue was full. */
    public long dropped() {
      return dropped.get();
    }

    /** Packets waiting to be received at this end. */
    public int queued() {
      return closed.get() ? 0 : inbound.size();
    }

    @Override
    public int mtu() {
      return mtu;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        synchronized (inbound) {
          inbound.clear();
          inbound.offer(CLOSED);
        }
      }
    }

    @Override
    public String toString() {
      return "link end " + name;
    }
  }
}
