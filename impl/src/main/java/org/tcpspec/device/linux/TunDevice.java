package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.device.PacketDevice;

/**
 * A Linux TUN device (IFF_TUN | IFF_NO_PI: whole IP packets, no packet-information prefix) opened
 * inside a {@link Netns} and configured there by netdevice(7) ioctls: MTU, address and netmask,
 * transmit queue length, link up, and routes (SIOCADDRT). What the kernel of that namespace routes
 * to the device is {@linkplain #readPacket read} here; what is {@linkplain #write written} here
 * arrives in that kernel as if from the wire.
 *
 * <p>The descriptor is non-blocking. {@link #readPacket} waits with ppoll(2) on the device and an
 * eventfd that {@link #close()} signals, so closing wakes a waiting reader at once. Reads hold one
 * lock and writes another: one reader and one writer run in parallel.
 *
 * <p>tuntap.rst in the kernel's Documentation/networking describes the interface.
 */
public final class TunDevice implements PacketDevice {
  static final long TUNSETIFF = 0x400454CAL; // _IOW('T', 202, int)
  static final short IFF_TUN = 0x0001;
  static final short IFF_NO_PI = 0x1000;

  /** The largest IPv4 datagram; a smaller read buffer would truncate packets silently. */
  public static final int MAX_PACKET = 65535;

  private final Netns netns;
  private final String name;
  private final int fd;
  private final int wakeFd;
  private final int mtu;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment rxBuffer = arena.allocate(MAX_PACKET, 8);
  private final MemorySegment txBuffer = arena.allocate(MAX_PACKET, 8);
  private final MemorySegment pollFds = arena.allocate(2 * Libc.POLLFD_SIZE, 8);
  private final ReentrantLock rxLock = new ReentrantLock();
  private final ReentrantLock txLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  private TunDevice(Netns netns, String name, int fd, int wakeFd, int mtu) {
    this.netns = netns;
    this.name = name;
    this.fd = fd;
    this.wakeFd = wakeFd;
    this.mtu = mtu;
    pollFds.set(JAVA_INT, 0, fd);
    pollFds.set(JAVA_SHORT, 4, Libc.POLLIN);
    pollFds.set(JAVA_INT, Libc.POLLFD_SIZE, wakeFd);
    pollFds.set(JAVA_SHORT, Libc.POLLFD_SIZE + 4, Libc.POLLIN);
  }

  /**
   * Creates the device in {@code netns} and configures it: MTU, txqueuelen, address, link up, then
   * the routes. On any failure nothing stays open.
   */
  public static TunDevice open(Netns netns, TunConfig config) throws IOException {
    try {
      return netns.call(() -> openHere(netns, config));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("opening TUN device in " + netns, e);
    }
  }

  /** Runs on the namespace thread. */
  private static TunDevice openHere(Netns netns, TunConfig config) throws IOException {
    SysResult<Void> tun = Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
    if (tun.failed()) throw new IOException("open /dev/net/tun: " + tun);
    int fd = tun.intValue();
    int wakeFd = -1;
    try {
      String actualName;
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment ifr = InterfaceControl.ifreq(arena, config.name());
        ifr.set(JAVA_SHORT, 16, (short) (IFF_TUN | IFF_NO_PI));
        SysResult<Void> set = Libc.ioctl(fd, TUNSETIFF, ifr);
        if (set.failed()) throw new IOException("TUNSETIFF " + config.name() + ": " + set);
        actualName = InterfaceControl.name(ifr);
      }
      InterfaceControl.setMtu(actualName, config.mtu());
      InterfaceControl.setTxQueueLength(actualName, config.txQueueLength());
      InterfaceControl.setAddress(actualName, config.address());
      InterfaceControl.setUp(actualName);
      for (Ipv4Cidr route : config.routes()) InterfaceControl.addRoute(route, actualName);
      SysResult<Void> wake = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
      if (wake.failed()) throw new IOException("eventfd: " + wake);
      wakeFd = wake.intValue();
      return new TunDevice(netns, actualName, fd, wakeFd, config.mtu());
    } catch (IOException | RuntimeException e) {
      Libc.close(fd);
      if (wakeFd >= 0) Libc.close(wakeFd);
      throw e;
    }
  }

  /** The interface name the kernel gave the device. */
  public String name() {
    return name;
  }

  /** The namespace the device lives in. */
  public Netns netns() {
    return netns;
  }

  /** The raw descriptor, for callers that poll it together with others. */
  public int fd() {
    return fd;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  /**
   * Reads one waiting packet into {@code buf} without blocking.
   *
   * @return the packet length, or 0 when no packet is waiting
   */
  public int read(MemorySegment buf) throws IOException {
    rxLock.lock();
    try {
      ensureOpen();
      return readLocked(buf);
    } finally {
      rxLock.unlock();
    }
  }

  /**
   * {@link #read(MemorySegment)} into a heap array. Returns the packet's length; a packet longer
   * than {@code buf} is cut to {@code buf.length} bytes (size buf to {@link #MAX_PACKET}).
   */
  public int read(byte[] buf) throws IOException {
    rxLock.lock();
    try {
      ensureOpen();
      int n = readLocked(rxBuffer);
      MemorySegment.copy(rxBuffer, 0, MemorySegment.ofArray(buf), 0, Math.min(n, buf.length));
      return n;
    } finally {
      rxLock.unlock();
    }
  }

  private int readLocked(MemorySegment buf) throws IOException {
    while (true) {
      SysResult<Void> r = Libc.read(fd, buf, buf.byteSize());
      if (r.succeeded()) return r.intValue();
      switch (r.errno()) {
        case Errno.EAGAIN -> {
          return 0;
        }
        case Errno.EINTR -> {}
        default -> throw new IOException("read " + name + ": " + r);
      }
    }
  }

  /**
   * Waits at most {@code timeoutNanos} (negative: forever) for a packet and returns a copy of it.
   */
  public Optional<byte[]> readPacket(long timeoutNanos) throws IOException {
    rxLock.lock();
    try {
      long deadline = System.nanoTime() + Math.max(timeoutNanos, 0);
      while (true) {
        ensureOpen();
        int n = readLocked(rxBuffer);
        if (n > 0) return Optional.of(rxBuffer.asSlice(0, n).toArray(JAVA_BYTE));
        long remaining = timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
        if (timeoutNanos >= 0 && remaining <= 0) return Optional.empty();
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("interrupted reading " + name);
        }
        // Bounded waits keep an interrupt from going unnoticed for more than 100 ms.
        long wait = remaining < 0 ? 100_000_000L : Math.min(remaining, 100_000_000L);
        SysResult<Void> polled = Libc.ppoll(pollFds, 2, wait);
        if (polled.failed() && polled.errno() != Errno.EINTR) {
          throw new IOException("ppoll " + name + ": " + polled);
        }
      }
    } finally {
      rxLock.unlock();
    }
  }

  /** Writes one whole IP packet: the first {@code packet.byteSize()} bytes of the segment. */
  public void write(MemorySegment packet) throws IOException {
    txLock.lock();
    try {
      ensureOpen();
      writeLocked(packet);
    } finally {
      txLock.unlock();
    }
  }

  /** Writes {@code packet[offset, offset + length)} as one IP packet. */
  public void write(byte[] packet, int offset, int length) throws IOException {
    if (length > MAX_PACKET)
      throw new IOException("packet of " + length + " bytes > " + MAX_PACKET);
    txLock.lock();
    try {
      ensureOpen();
      MemorySegment.copy(MemorySegment.ofArray(packet), offset, txBuffer, 0, length);
      writeLocked(txBuffer.asSlice(0, length));
    } finally {
      txLock.unlock();
    }
  }

  private void writeLocked(MemorySegment packet) throws IOException {
    while (true) {
      SysResult<Void> r = Libc.write(fd, packet, packet.byteSize());
      if (r.succeeded()) {
        if (r.value() != packet.byteSize()) {
          throw new IOException(
              "short write on " + name + ": " + r.value() + " of " + packet.byteSize());
        }
        return;
      }
      if (r.errno() != Errno.EINTR) throw new IOException("write " + name + ": " + r);
    }
  }

  @Override
  public Optional<byte[]> receive(long timeoutNanos) throws IOException {
    return readPacket(timeoutNanos);
  }

  @Override
  public void transmit(byte[] packet) throws IOException {
    write(packet, 0, packet.length);
  }

  private void ensureOpen() throws ClosedChannelException {
    if (closed.get()) throw new ClosedChannelException();
  }

  /**
   * Closes the device: wakes a waiting reader, then closes the descriptors once no read or write is
   * in progress. The interface disappears from the namespace with the last descriptor.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try (Arena a = Arena.ofConfined()) {
      MemorySegment one = a.allocate(JAVA_LONG);
      one.set(JAVA_LONG, 0, 1L);
      Libc.write(wakeFd, one, 8);
    }
    rxLock.lock();
    txLock.lock();
    try {
      Libc.close(fd);
      Libc.close(wakeFd);
      arena.close();
    } finally {
      txLock.unlock();
      rxLock.unlock();
    }
  }

  @Override
  public String toString() {
    return name + "@" + netns.name();
  }
}
