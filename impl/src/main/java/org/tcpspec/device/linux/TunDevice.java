package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.device.NativePacketDevice;
import org.tcpspec.wire.NativeSlices;

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
 * <p>tuntap.rst in the kernel's Documentation/networking describes the interface.
 */
public final class TunDevice implements NativePacketDevice {
  static final long TUNSETIFF = 0x400454CAL; // _IOW('T', 202, int)
  /** _IOW('T', 208, unsigned int), though the argument is the TUN_F_* value itself (tun.c). */
  static final long TUNSETOFFLOAD = 0x400454D0L;
  static final short IFF_TUN = 0x0001;
  static final short IFF_NO_PI = 0x1000;
  static final short IFF_VNET_HDR = 0x4000;

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
   * The device's native buffers, freed by the garbage collector once the device is unreachable.
   * Not a shared arena closed in {@link #close()}: closing one makes the JVM stop every thread for
   * a handshake (it must know none is inside the memory), which held up the threads of other
   * devices' users for up to 128 ms (a linux cell of {@code run -j 2} closing its device while
   * another cell played). Nothing is read or written after close: both happen under the locks
   * that {@link #close()} takes, after {@link #ensureOpen}.
   */
  private final Arena arena = Arena.ofAuto();
  private final MemorySegment rxBuffer = arena.allocate(MAX_PACKET, 8);
  private final MemorySegment txBuffer = arena.allocate(MAX_PACKET, 8);
  /** The header of the last packet read, and the two-entry iovec that puts it there. */
  private final MemorySegment rxHeader = arena.allocate(VirtioNetHeader.SIZE, 8);
  private final MemorySegment rxIov = arena.allocate(2 * LibcFiles.IOVEC_SIZE, 8);
  /** The packet's entry of {@link #rxIov} alone, for a device without the header. */
  private final MemorySegment rxIovPacket = rxIov.asSlice(LibcFiles.IOVEC_SIZE);
  private final MemorySegment txHeader = arena.allocate(VirtioNetHeader.SIZE, 8);
  private final MemorySegment txIov = arena.allocate(2 * LibcFiles.IOVEC_SIZE, 8);
  private final MemorySegment txIovPacket = txIov.asSlice(LibcFiles.IOVEC_SIZE);
  /** The virtio-net header, the packet's headers, then the runs of its payload ({@link #transmitGathered}). */
  private final MemorySegment txGatherIov = arena.allocate((2 + GATHER_RUNS) * LibcFiles.IOVEC_SIZE, 8);
  private static final int GATHER_RUNS = 16;
  /** struct timespec for {@link #awaitPacket}: no arena per wait. */
  private final MemorySegment pollTimeout = arena.allocate(16, 8);
  private final MemorySegment pollFds = arena.allocate(2 * LibcPoll.POLLFD_SIZE, 8);
  private final ReentrantLock rxLock = new ReentrantLock();
  private final ReentrantLock txLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  private TunDevice(
      Netns netns, String name, int fd, int wakeFd, int mtu, TunOffloads offloads) {
    this.netns = netns;
    this.name = name;
    this.fd = fd;
    this.wakeFd = wakeFd;
    this.mtu = mtu;
    this.vnetHeader = offloads.vnetHeader();
    this.offloadFlags = offloads.flags();
    rxIov.set(ADDRESS, 0, rxHeader);
    rxIov.set(JAVA_LONG, 8, VirtioNetHeader.SIZE);
    txIov.set(ADDRESS, 0, txHeader);
    txIov.set(JAVA_LONG, 8, VirtioNetHeader.SIZE);
    txGatherIov.set(ADDRESS, 0, txHeader);
    txGatherIov.set(JAVA_LONG, 8, VirtioNetHeader.SIZE);
    pollFds.set(JAVA_INT, 0, fd);
    pollFds.set(JAVA_SHORT, 4, LibcPoll.POLLIN);
    pollFds.set(JAVA_INT, LibcPoll.POLLFD_SIZE, wakeFd);
    pollFds.set(JAVA_SHORT, LibcPoll.POLLFD_SIZE + 4, LibcPoll.POLLIN);
  }

  /**
   * Creates the device in {@code netns} and configures it: offloads, MTU, txqueuelen, address,
   * link up, then the routes. On any failure nothing stays open.
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

  /**
   * IPv6 on this one device, on the namespace thread (Netns switches it off for every other one):
   * on, no router solicitations or advertisements taken, and the address added with {@code nodad}
   * (iproute2; the netdevice ioctls cannot say nodad), so it is usable at once.
   */
  private static void enableIpv6(Netns netns, String ifname, Ipv6Cidr address) throws IOException {
    Path conf = Path.of("/proc/sys/net/ipv6/conf", ifname);
    if (!Files.isDirectory(conf)) throw new IOException("this kernel has no IPv6 (" + conf + " is missing)");
    Files.writeString(conf.resolve("disable_ipv6"), "0");
    Files.writeString(conf.resolve("accept_ra"), "0");
    Files.writeString(conf.resolve("router_solicitations"), "0");
    Netns.ExecResult add = Netns.run(List.of("ip", "-n", netns.name(), "-6", "addr", "add", address.toString(), "dev",
        ifname, "nodad"), Netns.EXEC_TIMEOUT);
    if (add.exitCode() != 0) throw new IOException("ip -6 addr add " + address + " dev " + ifname + ": " + add);
  }

  /** {@code ip -6 route add PREFIX dev IFNAME}: the netdevice ioctls route IPv4 only. */
  private static void addIpv6Route(Netns netns, String ifname, Ipv6Cidr route) throws IOException {
    String prefix = route.network().toString();
    Netns.ExecResult add = Netns.run(List.of("ip", "-n", netns.name(), "-6", "route", "add", prefix, "dev", ifname),
        Netns.EXEC_TIMEOUT);
    if (add.exitCode() != 0) throw new IOException("ip -6 route add " + prefix + " dev " + ifname + ": " + add);
  }

  /** Runs on the namespace thread. */
  private static TunDevice openHere(Netns netns, TunConfig config) throws IOException {
    SysResult<Void> tun = LibcFiles.open("/dev/net/tun", LibcFiles.O_RDWR | LibcFiles.O_NONBLOCK | LibcFiles.O_CLOEXEC);
    if (tun.failed()) throw new IOException("open /dev/net/tun: " + tun);
    int fd = tun.intValue();
    int wakeFd = -1;
    TunOffloads offloads = config.offloads();
    try {
      String actualName;
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment ifr = InterfaceControl.ifreq(arena, config.name());
        short flags = (short) (IFF_TUN | IFF_NO_PI | (offloads.vnetHeader() ? IFF_VNET_HDR : 0));
        ifr.set(JAVA_SHORT, 16, flags);
        SysResult<Void> set = LibcSockets.ioctl(fd, TUNSETIFF, ifr);
        if (set.failed()) throw new IOException("TUNSETIFF " + config.name() + ": " + set);
        actualName = InterfaceControl.name(ifr);
      }
      if (offloads.flags() != 0) {
        // The device's features change before any socket routes over it, so TCP sockets see a
        // TSO device from their first segment (sk_setup_caps reads the features at connect).
        SysResult<Void> off =
            LibcSockets.ioctl(fd, TUNSETOFFLOAD, MemorySegment.ofAddress(offloads.flags()));
        if (off.failed()) throw new IOException("TUNSETOFFLOAD " + offloads + ": " + off);
      }
      InterfaceControl.setMtu(actualName, config.mtu());
      InterfaceControl.setTxQueueLength(actualName, config.txQueueLength());
      InterfaceControl.setAddress(actualName, config.address());
      if (config.ipv6Address().isPresent()) enableIpv6(netns, actualName, config.ipv6Address().get());
      InterfaceControl.setUp(actualName);
      for (Ipv4Cidr route : config.routes()) InterfaceControl.addRoute(route, actualName);
      for (Ipv6Cidr route : config.ipv6Routes()) addIpv6Route(netns, actualName, route);
      SysResult<Void> wake = LibcFiles.eventfd(0, LibcFiles.EFD_NONBLOCK | LibcFiles.EFD_CLOEXEC);
      if (wake.failed()) throw new IOException("eventfd: " + wake);
      wakeFd = wake.intValue();
      return new TunDevice(netns, actualName, fd, wakeFd, config.mtu(), offloads);
    } catch (IOException | RuntimeException e) {
      LibcFiles.close(fd);
      if (wakeFd >= 0) LibcFiles.close(wakeFd);
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
      int n = readLocked(buf);
      if (n > 0) completeChecksumLocked(buf.asSlice(0, n));
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
      int n = readLocked(rxBuffer);
      if (n > 0) completeChecksumLocked(rxBuffer.asSlice(0, n));
      MemorySegment.copy(rxBuffer, 0, MemorySegment.ofArray(buf), 0, Math.min(n, buf.length));
      return n;
    } finally {
      rxLock.unlock();
    }
  }

  /**
   * Reads one waiting packet into {@code buf}, its virtio-net header (with one) into {@link
   * #rxHeader}; returns the packet's length, 0 when none is waiting.
   */
  private int readLocked(MemorySegment buf) throws IOException {
    rxIov.set(ADDRESS, LibcFiles.IOVEC_SIZE, buf);
    rxIov.set(JAVA_LONG, LibcFiles.IOVEC_SIZE + 8, buf.byteSize());
    while (true) {
      long r = vnetHeader ? LibcFiles.readvOrErrno(fd, rxIov, 2) : LibcFiles.readvOrErrno(fd, rxIovPacket, 1);
      if (r >= 0) {
        if (!vnetHeader) return (int) r;
        if (r < VirtioNetHeader.SIZE) {
          throw new IOException("read " + name + ": " + r + " bytes, less than a vnet header");
        }
        return (int) r - VirtioNetHeader.SIZE;
      }
      if (r == -Errno.EAGAIN.number()) return 0;
      if (r != -Errno.EINTR.number()) throw new IOException("read " + name + ": " + Errno.of((int) -r));
    }
  }

  /** The header of the packet just read: the kernel's, or {@link VirtioNetHeader#NONE} without. */
  private VirtioNetHeader rxHeaderLocked() {
    return vnetHeader ? VirtioNetHeader.read(rxHeader, 0) : VirtioNetHeader.NONE;
  }

  /**
   * Completes a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM) of the packet just read; only
   * after a read that returned a packet, since {@link #rxHeader} keeps the last one's header.
   */
  private void completeChecksumLocked(MemorySegment packet) {
    if (vnetHeader && (rxHeader.get(JAVA_BYTE, 0) & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
      rxHeaderLocked().completeChecksum(packet);
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
      MemorySegment packet = rxBuffer.asSlice(0, n);
      completeChecksumLocked(packet);
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
          new Received(rxHeaderLocked(), rxBuffer.asSlice(0, n).toArray(JAVA_BYTE)));
    } finally {
      rxLock.unlock();
    }
  }

  /** Waits for a packet and reads it into {@link #rxBuffer}; returns its length, 0 on timeout. */
  private int awaitLocked(long timeoutNanos) throws IOException {
    long deadline = System.nanoTime() + Math.max(timeoutNanos, 0);
    while (true) {
      ensureOpen();
      int n = readLocked(rxBuffer);
      if (n > 0) return n;
      long remaining = timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
      if (timeoutNanos >= 0 && remaining <= 0) return 0;
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted reading " + name);
      }
      // Bounded waits keep an interrupt from going unnoticed for more than 100 ms.
      long wait = remaining < 0 ? 100_000_000L : Math.min(remaining, 100_000_000L);
      SysResult<Void> polled = LibcPoll.ppoll(pollFds, 2, wait);
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
      writeLocked(header, packet);
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
      MemorySegment.copy(MemorySegment.ofArray(packet), offset, txBuffer, 0, length);
      writeLocked(header, txBuffer.asSlice(0, length));
    } finally {
      txLock.unlock();
    }
  }

  private void writeLocked(VirtioNetHeader header, MemorySegment packet) throws IOException {
    if (vnetHeader) header.write(txHeader, 0);
    writePacketLocked(packet, packet.byteSize());
  }

  /** Writes {@code packet} behind the header already in {@link #txHeader} (with one). */
  private void writePacketLocked(MemorySegment buffer, long length) throws IOException {
    Objects.checkFromIndexSize(0, length, buffer.byteSize());
    long expected = length + (vnetHeader ? VirtioNetHeader.SIZE : 0);
    txIov.set(ADDRESS, LibcFiles.IOVEC_SIZE, buffer);
    txIov.set(JAVA_LONG, LibcFiles.IOVEC_SIZE + 8, length);
    if (vnetHeader) writevLocked(txIov, 2, expected);
    else writevLocked(txIovPacket, 1, expected);
  }

  /** writev(2) of {@code count} entries of {@code iov}, again on EINTR; all {@code expected} bytes or an error. */
  private void writevLocked(MemorySegment iov, int count, long expected) throws IOException {
    while (true) {
      long r = LibcFiles.writevOrErrno(fd, iov, count);
      if (r >= 0) {
        if (r != expected) throw new IOException("short write on " + name + ": " + r + " of " + expected);
        return;
      }
      if (r != -Errno.EINTR.number()) throw new IOException("write " + name + ": " + Errno.of((int) -r));
    }
  }

  /**
   * The virtio-net header of a TCP super-packet whose IP header starts {@code packet}, into {@link
   * #txHeader}: a partial checksum, segmented by {@code gsoSize} unless that is 0.
   */
  private void superPacketHeaderLocked(MemorySegment packet, int tcpOffset, int headerLength, int gsoSize) {
    int ipVersion = (packet.get(JAVA_BYTE, 0) >> 4) & 0xF;
    int gsoType = gsoSize == 0 ? VirtioNetHeader.GSO_NONE
        : ipVersion == 6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;
    // csum_offset 16: the TCP checksum field (tcp_v4_send_check leaves the pseudo-header sum there).
    VirtioNetHeader.write(txHeader, 0, VirtioNetHeader.F_NEEDS_CSUM, gsoType, headerLength, gsoSize, tcpOffset, 16);
  }

  @Override
  public boolean segmentationOffload() {
    int tso = TunOffloads.TUN_F_TSO4 | TunOffloads.TUN_F_TSO6;
    return (offloadFlags & tso) == tso;
  }

  @Override
  public int receiveNative(MemorySegment into) throws IOException {
    if (into.byteSize() < rxBuffer.byteSize()) throw new IllegalArgumentException("a buffer shorter than a packet");
    rxLock.lock();
    try {
      ensureOpen();
      return readLocked(into);
    } finally {
      rxLock.unlock();
    }
  }

  @Override
  public MemorySegment rxBuffer() {
    return rxBuffer;
  }

  @Override
  public int rxGsoSize() {
    return vnetHeader ? VirtioNetHeader.gsoSize(rxHeader, 0) : 0;
  }

  @Override
  public boolean rxChecksumPartial() {
    return vnetHeader && (VirtioNetHeader.flags(rxHeader, 0) & VirtioNetHeader.F_NEEDS_CSUM) != 0;
  }

  @Override
  public boolean awaitPacket(long timeoutNanos) throws IOException {
    rxLock.lock();
    try {
      ensureOpen();
      MemorySegment timeout = MemorySegment.NULL;
      if (timeoutNanos >= 0) {
        pollTimeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        pollTimeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        timeout = pollTimeout;
      }
      // A failed wait (EINTR, or the descriptors closed under it) is a wait that saw no packet: the
      // caller reads next, and that read reports a device that is gone, with its errno.
      int polled = LibcPoll.ppollReady(pollFds, 2, timeout);
      ensureOpen();
      return polled > 0 && (pollFds.get(JAVA_SHORT, 6) & LibcPoll.POLLIN) != 0;
    } finally {
      rxLock.unlock();
    }
  }

  @Override
  public void transmitNative(MemorySegment buffer, int length) throws IOException {
    txLock.lock();
    try {
      ensureOpen();
      if (vnetHeader) VirtioNetHeader.NONE.write(txHeader, 0);
      writePacketLocked(buffer, length);
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
      superPacketHeaderLocked(buffer, tcpOffset, headerLength, gsoSize);
      writePacketLocked(buffer, length);
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
    if (payload.count() > GATHER_RUNS) {
      NativePacketDevice.super.transmitGathered(headers, headerLength, payload, tcpOffset, gsoSize);
      return;
    }
    long expected = VirtioNetHeader.SIZE + headerLength + payload.bytes();
    txLock.lock();
    try {
      ensureOpen();
      superPacketHeaderLocked(headers, tcpOffset, headerLength, gsoSize);
      txGatherIov.set(ADDRESS, LibcFiles.IOVEC_SIZE, headers);
      txGatherIov.set(JAVA_LONG, LibcFiles.IOVEC_SIZE + 8, headerLength);
      for (int i = 0; i < payload.count(); i++) {
        long at = (2 + i) * LibcFiles.IOVEC_SIZE;
        Objects.checkFromIndexSize(payload.offset(i), payload.length(i), payload.memory(i).byteSize());
        // The address as a long: a slice per run would be an object per packet. The slices keep the
        // memory reachable until the packet is cleared, after this write.
        txGatherIov.set(JAVA_LONG, at, payload.memory(i).address() + payload.offset(i));
        txGatherIov.set(JAVA_LONG, at + 8, payload.length(i));
      }
      writevLocked(txGatherIov, 2 + payload.count(), expected);
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
      LibcFiles.write(wakeFd, one, 8);
    }
    rxLock.lock();
    txLock.lock();
    try {
      LibcFiles.close(fd);
      LibcFiles.close(wakeFd);
    } finally {
      txLock.unlock();
      rxLock.unlock();
    }
  }

  /** The lifetime of the device's native buffers; closing the device leaves them to the GC. */
  MemorySegment.Scope bufferScope() {
    return rxBuffer.scope();
  }

  @Override
  public String toString() {
    return name + "@" + netns.name();
  }
}
