package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

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
import org.tcpspec.device.NativePacketDevice;
import org.tcpspec.wire.NativeSlices;
import org.tcpspec.wire.PacketBuffer;

/**
 * A Linux TUN device (IFF_TUN | IFF_NO_PI: whole IP packets, no packet-information prefix) opened
 * inside a {@link Netns} and configured there by netdevice(7) ioctls: MTU, address and netmask,
 * transmit queue length, link up, and routes (SIOCADDRT). What the kernel of that namespace routes
 * to the device is {@linkplain #readPacket read} here; what is {@linkplain #write written} here
 * arrives in that kernel as if from the wire.
 *
 * <p>With {@link TunOffloads} that ask for it (packetdrill's device: {@link
 * TunOffloads#PACKETDRILL}) every packet crosses the descriptor behind a {@link VirtioNetHeader},
 * and the kernel hands over TCP super-packets (GSO: one IP header over many segments' payload,
 * larger than the MTU) with partial checksums. {@link #readWithHeader} shows such a packet as the
 * kernel gave it; the plain reads ({@link #readPacket}, {@link #receive}, {@link #read(byte[])},
 * {@link #read(MemorySegment)}) complete the checksum first, as a NIC would, and hand the
 * super-packet over whole. Plain writes go out behind a zero header (no GSO, checksums complete),
 * as packetdrill's own; {@link #write(VirtioNetHeader, MemorySegment)} sends a header of the
 * caller's, such as a GSO one for a super-packet.
 *
 * <p>The descriptor is non-blocking. {@link #readPacket} waits with ppoll(2) on the device and an
 * eventfd that {@link #close()} signals, so closing wakes a waiting reader at once. Reads hold one
 * lock and writes another: one reader and one writer run in parallel.
 *
 * <p>As a {@link NativePacketDevice} it moves packets through its own native buffers with no
 * allocation per packet (system calls without result objects); with the TSO offloads it takes and
 * hands over TCP super-packets, partial checksums left partial.
 *
 * <p>Its parts, one concern each: {@code TunSetup} opens and configures it, {@code TunDataPath}
 * holds the native buffers and moves packets through them (made once with the device), {@code
 * TunWait} waits on the device and the eventfd. This class holds the locks and the public API.
 *
 * <p>tuntap.rst in the kernel's Documentation/networking describes the interface.
 */
public final class TunDevice implements NativePacketDevice {
  /** The largest IPv4 datagram; a smaller read buffer would truncate packets silently. */
  public static final int MAX_PACKET = 65535;

  private final Netns netns;
  private final String name;
  private final int fd;
  private final int wakeFd;
  private final int mtu;
  private final boolean vnetHeader;
  private final int offloadFlags;
  /**
   * The arena of the device's native buffers ({@link TunDataPath}) and of its wait's structs
   * ({@link TunWait}), freed by the garbage collector once the device is unreachable.
   * Not a shared arena closed in {@link #close()}: closing one makes the JVM stop every thread for
   * a handshake (it must know none is inside the memory), which held up the threads of other
   * devices' users for up to 128 ms (a linux cell of {@code run -j 2} closing its device while
   * another cell played). Nothing is read or written after close: both happen under the locks
   * that {@link #close()} takes, after {@link #ensureOpen}.
   */
  private final Arena arena = Arena.ofAuto();
  /** The native buffers and the readv/writev that move packets through them. */
  private final TunDataPath dataPath;
  /** ppoll on the device and the eventfd that {@link #close()} signals. */
  private final TunWait waiting;
  private final ReentrantLock rxLock = new ReentrantLock();
  private final ReentrantLock txLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  /**
   * The reading thread's io_uring ({@link TunUring}), made by its {@link #buffersWanted()} when
   * {@link #uringWanted}; null before, without, or where the kernel refuses one. Under {@link
   * #rxLock}.
   */
  private TunUring uring;
  private boolean uringTried;
  private boolean uringWanted = URING;

  /**
   * Whether the event loop's reads go through io_uring ({@link TunUring}): off unless the system
   * property {@code tcpspec.tun.uring=true}. Measured in session 22 (impl/TUN-PATH-LOG.md), it
   * made kernel to stack faster and stack to kernel slower, so readv(2) and ppoll(2) stay the default.
   */
  static final boolean URING = Boolean.getBoolean("tcpspec.tun.uring");

  /**
   * Whether {@link #beginTransmitBatch} batches the native writes through io_uring ({@link
   * TunWriteUring}): off when the system property {@code tcpspec.tun.batchWrites=false}.
   */
  static final boolean BATCH_WRITES = !"false".equals(System.getProperty("tcpspec.tun.batchWrites"));

  /** Made by {@link TunSetup#openHere}, which opened {@code fd} and {@code wakeFd}. */
  TunDevice(
      Netns netns, String name, int fd, int wakeFd, int mtu, TunOffloads offloads) {
    this.netns = netns;
    this.name = name;
    this.fd = fd;
    this.wakeFd = wakeFd;
    this.mtu = mtu;
    this.vnetHeader = offloads.vnetHeader();
    this.offloadFlags = offloads.flags();
    this.dataPath = new TunDataPath(name, fd, vnetHeader, arena);
    this.waiting = new TunWait(fd, wakeFd, arena);
  }

  /**
   * Creates the device in {@code netns} and configures it: offloads, MTU, txqueuelen, address,
   * link up, then the routes. On any failure nothing stays open.
   */
  public static TunDevice open(Netns netns, TunConfig config) throws IOException {
    try {
      return netns.call(() -> TunSetup.openHere(netns, config));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("opening TUN device in " + netns, e);
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

  /** The IP MTU; with TSO offloads, packets read may be GSO super-packets larger than this. */
  @Override
  public int mtu() {
    return mtu;
  }

  /** Every packet crosses the descriptor behind a {@link VirtioNetHeader} (IFF_VNET_HDR). */
  public boolean vnetHeader() {
    return vnetHeader;
  }

  /**
   * Reads one waiting packet into {@code buf} without blocking, its checksum completed.
   *
   * @return the packet length, or 0 when no packet is waiting
   */
  public int read(MemorySegment buf) throws IOException {
    rxLock.lock();
    try {
      ensureOpen();
      int n = dataPath.readLocked(buf);
      if (n > 0) dataPath.completeChecksumLocked(buf.asSlice(0, n));
      return n;
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
      int n = dataPath.readLocked(dataPath.rxBuffer);
      if (n > 0) dataPath.completeChecksumLocked(dataPath.rxBuffer.asSlice(0, n));
      MemorySegment.copy(dataPath.rxBuffer, 0, MemorySegment.ofArray(buf), 0, Math.min(n, buf.length));
      return n;
    } finally {
      rxLock.unlock();
    }
  }

  /**
   * Waits at most {@code timeoutNanos} (negative: forever) for a packet and returns a copy of it,
   * its checksum completed.
   */
  public Optional<byte[]> readPacket(long timeoutNanos) throws IOException {
    rxLock.lock();
    try {
      int n = awaitLocked(timeoutNanos);
      if (n == 0) return Optional.empty();
      MemorySegment packet = dataPath.rxBuffer.asSlice(0, n);
      dataPath.completeChecksumLocked(packet);
      return Optional.of(packet.toArray(JAVA_BYTE));
    } finally {
      rxLock.unlock();
    }
  }

  /** A packet as the kernel handed it over, with its virtio-net header. */
  public record Received(VirtioNetHeader header, byte[] packet) {}

  /**
   * Waits at most {@code timeoutNanos} (negative: forever) for a packet and returns it as the
   * kernel handed it over: a GSO super-packet whole, a partial checksum left partial, and the
   * header that says so ({@link VirtioNetHeader#NONE} on a device without the header).
   */
  public Optional<Received> readWithHeader(long timeoutNanos) throws IOException {
    rxLock.lock();
    try {
      int n = awaitLocked(timeoutNanos);
      if (n == 0) return Optional.empty();
      return Optional.of(
          new Received(dataPath.rxHeaderLocked(), dataPath.rxBuffer.asSlice(0, n).toArray(JAVA_BYTE)));
    } finally {
      rxLock.unlock();
    }
  }

  /** Waits for a packet and reads it into {@link #rxBuffer()}; returns its length, 0 on timeout. */
  private int awaitLocked(long timeoutNanos) throws IOException {
    long deadline = System.nanoTime() + Math.max(timeoutNanos, 0);
    while (true) {
      ensureOpen();
      int n = dataPath.readLocked(dataPath.rxBuffer);
      if (n > 0) return n;
      long remaining = timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
      if (timeoutNanos >= 0 && remaining <= 0) return 0;
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted reading " + name);
      }
      // Bounded waits keep an interrupt from going unnoticed for more than 100 ms.
      long wait = remaining < 0 ? 100_000_000L : Math.min(remaining, 100_000_000L);
      SysResult<Void> polled = waiting.ppoll(wait);
      if (polled.failed() && polled.errno() != Errno.EINTR) {
        throw new IOException("ppoll " + name + ": " + polled);
      }
    }
  }

  /**
   * Writes one whole IP packet: the {@code packet.byteSize()} bytes of a native segment (behind a
   * zero header on a device with one).
   */
  public void write(MemorySegment packet) throws IOException {
    write(VirtioNetHeader.NONE, packet);
  }

  /**
   * Writes one IP packet, a native segment, behind {@code header}: a GSO header makes the kernel
   * take the packet as the run of {@code gsoSize}-byte segments it stands for (tun.c
   * tun_get_user, virtio_net_hdr_to_skb).
   *
   * @throws IllegalStateException when the device has no header and {@code header} is not {@link
   *     VirtioNetHeader#NONE}
   */
  public void write(VirtioNetHeader header, MemorySegment packet) throws IOException {
    if (!vnetHeader && !header.equals(VirtioNetHeader.NONE)) {
      throw new IllegalStateException(name + " was opened without IFF_VNET_HDR: " + header);
    }
    txLock.lock();
    try {
      ensureOpen();
      dataPath.writeLocked(header, packet, packet.byteSize());
    } finally {
      txLock.unlock();
    }
  }

  /** Writes {@code packet[offset, offset + length)} as one IP packet. */
  public void write(byte[] packet, int offset, int length) throws IOException {
    write(VirtioNetHeader.NONE, packet, offset, length);
  }

  /** Writes {@code packet[offset, offset + length)} as one IP packet behind {@code header}. */
  public void write(VirtioNetHeader header, byte[] packet, int offset, int length) throws IOException {
    if (length > MAX_PACKET)
      throw new IOException("packet of " + length + " bytes > " + MAX_PACKET);
    if (!vnetHeader && !header.equals(VirtioNetHeader.NONE)) {
      throw new IllegalStateException(name + " was opened without IFF_VNET_HDR: " + header);
    }
    txLock.lock();
    try {
      ensureOpen();
      MemorySegment.copy(MemorySegment.ofArray(packet), offset, dataPath.txBuffer, 0, length);
      dataPath.writeLocked(header, dataPath.txBuffer, length);
    } finally {
      txLock.unlock();
    }
  }

  @Override
  public boolean segmentationOffload() {
    int tso = TunOffloads.TUN_F_TSO4 | TunOffloads.TUN_F_TSO6;
    return (offloadFlags & tso) == tso;
  }

  @Override
  public int receiveNative(MemorySegment into) throws IOException {
    if (into.byteSize() < dataPath.rxBuffer.byteSize()) throw new IllegalArgumentException("a buffer shorter than a packet");
    rxLock.lock();
    try {
      ensureOpen();
      return dataPath.readLocked(into);
    } finally {
      rxLock.unlock();
    }
  }

  @Override
  public MemorySegment rxBuffer() {
    return dataPath.rxBuffer;
  }

  @Override
  public int rxGsoSize() {
    return dataPath.rxGsoSize();
  }

  @Override
  public boolean rxChecksumPartial() {
    return dataPath.rxChecksumPartial();
  }

  @Override
  public boolean awaitPacket(long timeoutNanos) throws IOException {
    rxLock.lock();
    try {
      ensureOpen();
      boolean readable = uring != null ? uring.await(timeoutNanos) : waiting.awaitReadable(timeoutNanos);
      ensureOpen();
      return readable;
    } finally {
      rxLock.unlock();
    }
  }

  /**
   * Makes the calling thread's io_uring ({@link TunUring}) on the first call; the buffers its ring
   * still takes, 0 without one.
   */
  @Override
  public int buffersWanted() throws IOException {
    rxLock.lock();
    try {
      ensureOpen();
      TunUring u = uringLocked();
      return u != null ? u.wanted() : 0;
    } finally {
      rxLock.unlock();
    }
  }

  @Override
  public void provide(PacketBuffer buffer) throws IOException {
    rxLock.lock();
    try {
      ensureOpen();
      if (uring == null) throw new IllegalStateException(name + " reads into the caller's memory: no buffersWanted()");
      uring.provide(buffer);
    } finally {
      rxLock.unlock();
    }
  }

  @Override
  public int receiveProvided() throws IOException {
    rxLock.lock();
    try {
      ensureOpen();
      if (uring == null) throw new IllegalStateException(name + " reads into the caller's memory: no buffersWanted()");
      return uring.next(dataPath.rxHeader);
    } finally {
      rxLock.unlock();
    }
  }

  @Override
  public PacketBuffer receivedBuffer() {
    return uring.last();
  }

  @Override
  public void transmitNative(MemorySegment buffer, int length) throws IOException {
    txLock.lock();
    try {
      ensureOpen();
      dataPath.writeNativeLocked(buffer, length);
    } finally {
      txLock.unlock();
    }
  }

  @Override
  public void transmitSuperPacket(MemorySegment buffer, int length, int tcpOffset, int headerLength, int gsoSize)
      throws IOException {
    if (!segmentationOffload()) throw new IllegalStateException(name + " takes no TCP super-packets");
    txLock.lock();
    try {
      ensureOpen();
      dataPath.writeSuperPacketLocked(buffer, length, tcpOffset, headerLength, gsoSize);
    } finally {
      txLock.unlock();
    }
  }

  /**
   * The super-packet's headers from {@code headers} and its payload from where it lies, in one
   * writev(2): the kernel's copy into its skb (tun_get_user) is the only one, as for a packet built
   * whole.
   */
  @Override
  public void transmitGathered(MemorySegment headers, int headerLength, NativeSlices payload, int tcpOffset,
      int gsoSize) throws IOException {
    if (!segmentationOffload()) throw new IllegalStateException(name + " takes no TCP super-packets");
    if (payload.count() > TunDataPath.GATHER_RUNS) {
      NativePacketDevice.super.transmitGathered(headers, headerLength, payload, tcpOffset, gsoSize);
      return;
    }
    txLock.lock();
    try {
      ensureOpen();
      dataPath.writeGatheredLocked(headers, headerLength, payload, tcpOffset, gsoSize);
    } finally {
      txLock.unlock();
    }
  }

  /**
   * Until {@link #endTransmitBatch}, this thread's {@link #transmitNative}, {@link
   * #transmitSuperPacket} and {@link #transmitGathered} are queued and then written with one system
   * call ({@link TunWriteUring}), unless {@link #BATCH_WRITES} is off or the kernel refuses a ring.
   */
  @Override
  public void beginTransmitBatch() throws IOException {
    if (!BATCH_WRITES) return;
    txLock.lock();
    try {
      ensureOpen();
      dataPath.beginBatchLocked();
    } finally {
      txLock.unlock();
    }
  }

  @Override
  public void endTransmitBatch() throws IOException {
    if (!BATCH_WRITES) return;
    txLock.lock();
    try {
      ensureOpen();
      dataPath.endBatchLocked();
    } finally {
      txLock.unlock();
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

  /**
   * Reads through io_uring from the next {@link #buffersWanted()} on, whatever {@link #URING} says
   * (where the kernel allows a ring).
   */
  public void wantUring() {
    rxLock.lock();
    try {
      uringWanted = true;
    } finally {
      rxLock.unlock();
    }
  }

  /**
   * Why this process cannot read a TUN device through io_uring ({@link #wantUring()}), or empty
   * when it can; for tests, which skip with the reason.
   */
  public static Optional<String> whyUringUnavailable() {
    return TunUring.whyUnavailable();
  }

  /** Whether the native reads go through io_uring: known after {@link #buffersWanted()}. */
  public boolean readsThroughUring() {
    rxLock.lock();
    try {
      return uring != null;
    } finally {
      rxLock.unlock();
    }
  }

  /** The ring of the thread that reads natively, made on its first call; null to read with readv(2). */
  private TunUring uringLocked() {
    if (!uringTried) {
      uringTried = true;
      if (uringWanted) uring = TunUring.open(fd, wakeFd, vnetHeader ? VirtioNetHeader.SIZE : 0, arena);
    }
    return uring;
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
    waiting.wake();
    rxLock.lock();
    txLock.lock();
    try {
      if (uring != null) uring.close();
      dataPath.closeLocked();
      LibcFiles.close(fd);
      waiting.close();
    } finally {
      txLock.unlock();
      rxLock.unlock();
    }
  }

  /** The lifetime of the device's native buffers; closing the device leaves them to the GC. */
  MemorySegment.Scope bufferScope() {
    return dataPath.rxBuffer.scope();
  }

  @Override
  public String toString() {
    return name + "@" + netns.name();
  }
}
