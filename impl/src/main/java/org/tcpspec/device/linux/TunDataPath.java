package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.tcpspec.abi.Errno;
import org.tcpspec.wire.NativeSlices;

/**
 * The native data path of one {@link TunDevice}: its packet buffers, the virtio-net headers, and
 * the iovecs that put a header and a packet through one readv(2) or writev(2), all made once when
 * the device opens, so that moving a packet allocates nothing (system calls without result
 * objects: {@link LibcFiles#readvOrErrno}, {@link LibcFiles#writevOrErrno}). A method named
 * {@code ...Locked} runs under the device's lock for its direction (reads under the read lock,
 * writes under the write lock), once the device has checked it is open.
 *
 * <p>Writes have {@link #TX_SLOTS} sets of header and iovecs: while a thread batches its writes
 * ({@link #beginBatchLocked}), each of its packets takes the next set and becomes an entry of a
 * {@link TunWriteUring}, all written by {@link #endBatchLocked}; any other write, and every write
 * outside a batch, uses the last set and is written at once.
 */
final class TunDataPath {
  /**
   * The runs of payload one gathered write takes ({@link #writeGatheredLocked}); a packet of more
   * is copied whole first (NativePacketDevice's transmitGathered).
   */
  static final int GATHER_RUNS = 16;
  /** A batch's sets of header and iovecs, and one more for the writes made at once. */
  private static final int TX_SLOTS = TunWriteUring.BATCH + 1;
  private static final int DIRECT = TX_SLOTS - 1;
  /** Bytes per slot's virtio-net header, its size rounded up to keep each aligned. */
  private static final long TX_HEADER_STRIDE = 16;

  private final String name;
  private final int fd;
  private final boolean vnetHeader;
  final MemorySegment rxBuffer;
  final MemorySegment txBuffer;
  /** The header of the last packet read, and the two-entry iovec that puts it there. */
  final MemorySegment rxHeader;
  private final MemorySegment rxIov;
  /** The packet's entry of {@link #rxIov} alone, for a device without the header. */
  private final MemorySegment rxIovPacket;
  /** Per write slot: the virtio-net header, and the two-entry iovec that puts it before a packet. */
  private final MemorySegment[] txHeader = new MemorySegment[TX_SLOTS];
  private final MemorySegment[] txIov = new MemorySegment[TX_SLOTS];
  /** The packet's entry of {@link #txIov} alone, for a device without the header. */
  private final MemorySegment[] txIovPacket = new MemorySegment[TX_SLOTS];
  /**
   * Per write slot: the virtio-net header, the packet's headers, then the runs of its payload
   * ({@link #writeGatheredLocked}).
   */
  private final MemorySegment[] txGatherIov = new MemorySegment[TX_SLOTS];
  private final Arena arena;
  /** The batched writes' ring, made by the first {@link #beginBatchLocked}; null before or where refused. */
  private TunWriteUring batch;
  private boolean batchTried;
  /** The thread whose writes join {@link #batch}, null when none batches. */
  private Thread batchOwner;
  /** The slot the write being made uses ({@link #takeSlotLocked}). */
  private int slot = DIRECT;

  /** The buffers in {@code arena}, the device's ({@link TunDevice} says why it is automatic). */
  TunDataPath(String name, int fd, boolean vnetHeader, Arena arena) {
    this.name = name;
    this.fd = fd;
    this.vnetHeader = vnetHeader;
    this.arena = arena;
    rxBuffer = arena.allocate(TunDevice.MAX_PACKET, 8);
    txBuffer = arena.allocate(TunDevice.MAX_PACKET, 8);
    rxHeader = arena.allocate(VirtioNetHeader.SIZE, 8);
    rxIov = arena.allocate(2 * LibcFiles.IOVEC_SIZE, 8);
    rxIovPacket = rxIov.asSlice(LibcFiles.IOVEC_SIZE);
    rxIov.set(ADDRESS, 0, rxHeader);
    rxIov.set(JAVA_LONG, 8, VirtioNetHeader.SIZE);
    MemorySegment headers = arena.allocate(TX_SLOTS * TX_HEADER_STRIDE, 8);
    MemorySegment iovs = arena.allocate(TX_SLOTS * 2 * LibcFiles.IOVEC_SIZE, 8);
    MemorySegment gatherIovs = arena.allocate(TX_SLOTS * (2 + GATHER_RUNS) * LibcFiles.IOVEC_SIZE, 8);
    for (int i = 0; i < TX_SLOTS; i++) {
      txHeader[i] = headers.asSlice(i * TX_HEADER_STRIDE, VirtioNetHeader.SIZE);
      txIov[i] = iovs.asSlice(i * 2 * LibcFiles.IOVEC_SIZE, 2 * LibcFiles.IOVEC_SIZE);
      txIovPacket[i] = txIov[i].asSlice(LibcFiles.IOVEC_SIZE);
      txGatherIov[i] = gatherIovs.asSlice(
          i * (2 + GATHER_RUNS) * LibcFiles.IOVEC_SIZE, (2 + GATHER_RUNS) * LibcFiles.IOVEC_SIZE);
      txIov[i].set(ADDRESS, 0, txHeader[i]);
      txIov[i].set(JAVA_LONG, 8, VirtioNetHeader.SIZE);
      txGatherIov[i].set(ADDRESS, 0, txHeader[i]);
      txGatherIov[i].set(JAVA_LONG, 8, VirtioNetHeader.SIZE);
    }
  }

  /**
   * Reads one waiting packet into {@code buf}, its virtio-net header (with one) into {@link
   * #rxHeader}; returns the packet's length, 0 when none is waiting.
   */
  int readLocked(MemorySegment buf) throws IOException {
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
  VirtioNetHeader rxHeaderLocked() {
    return vnetHeader ? VirtioNetHeader.read(rxHeader, 0) : VirtioNetHeader.NONE;
  }

  /**
   * Completes a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM) of the packet just read; only
   * after a read that returned a packet, since {@link #rxHeader} keeps the last one's header.
   */
  void completeChecksumLocked(MemorySegment packet) {
    if (vnetHeader && (rxHeader.get(JAVA_BYTE, 0) & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
      rxHeaderLocked().completeChecksum(packet);
    }
  }

  /**
   * Writes {@code buffer[0, length)} as one IP packet behind {@code header} (with one), at once:
   * the device's byte-array writes reuse {@link #txBuffer}.
   */
  void writeLocked(VirtioNetHeader header, MemorySegment buffer, long length) throws IOException {
    slot = DIRECT;
    if (vnetHeader) header.write(txHeader[slot], 0);
    writePacketLocked(buffer, length);
  }

  /**
   * Writes {@code buffer[0, length)}, an IP packet with its checksums complete, in the calling
   * thread's batch if it has one open (then {@code buffer} must stay as it is until the batch ends).
   */
  void writeNativeLocked(MemorySegment buffer, long length) throws IOException {
    takeSlotLocked();
    if (vnetHeader) VirtioNetHeader.NONE.write(txHeader[slot], 0);
    writePacketLocked(buffer, length);
  }

  /**
   * Writes the TCP super-packet {@code buffer[0, length)} behind its virtio-net header ({@link
   * #superPacketHeaderLocked}).
   */
  void writeSuperPacketLocked(MemorySegment buffer, int length, int tcpOffset, int headerLength, int gsoSize)
      throws IOException {
    takeSlotLocked();
    superPacketHeaderLocked(buffer, tcpOffset, headerLength, gsoSize);
    writePacketLocked(buffer, length);
  }

  /** Writes {@code packet} behind the header already in {@link #slot}'s (with one). */
  private void writePacketLocked(MemorySegment buffer, long length) throws IOException {
    Objects.checkFromIndexSize(0, length, buffer.byteSize());
    long expected = length + (vnetHeader ? VirtioNetHeader.SIZE : 0);
    txIov[slot].set(ADDRESS, LibcFiles.IOVEC_SIZE, buffer);
    txIov[slot].set(JAVA_LONG, LibcFiles.IOVEC_SIZE + 8, length);
    if (vnetHeader) writevLocked(txIov[slot], 2, expected);
    else writevLocked(txIovPacket[slot], 1, expected);
  }

  /**
   * The slot for the write being made: the batch's next when the calling thread batches (written
   * first if full), else the one for writes made at once.
   */
  private void takeSlotLocked() throws IOException {
    if (batchOwner != Thread.currentThread()) {
      slot = DIRECT;
      return;
    }
    if (batch.full()) batch.submit();
    slot = batch.queued();
  }

  /**
   * writev(2) of {@code count} entries of {@code iov}, again on EINTR; all {@code expected} bytes or
   * an error. In a batch's slot, queued in the batch instead.
   */
  private void writevLocked(MemorySegment iov, int count, long expected) throws IOException {
    if (slot != DIRECT) {
      batch.queueWritev(iov, count, expected);
      return;
    }
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
   * #slot}'s: a partial checksum, segmented by {@code gsoSize} unless that is 0.
   */
  private void superPacketHeaderLocked(MemorySegment packet, int tcpOffset, int headerLength, int gsoSize) {
    int ipVersion = (packet.get(JAVA_BYTE, 0) >> 4) & 0xF;
    int gsoType = gsoSize == 0 ? VirtioNetHeader.GSO_NONE
        : ipVersion == 6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;
    // csum_offset 16: the TCP checksum field (tcp_v4_send_check leaves the pseudo-header sum there).
    VirtioNetHeader.write(txHeader[slot], 0, VirtioNetHeader.F_NEEDS_CSUM, gsoType, headerLength, gsoSize, tcpOffset, 16);
  }

  /**
   * The super-packet's headers from {@code headers} and its payload from where it lies, in one
   * writev(2) behind its virtio-net header; at most {@link #GATHER_RUNS} runs of payload.
   */
  void writeGatheredLocked(MemorySegment headers, int headerLength, NativeSlices payload, int tcpOffset,
      int gsoSize) throws IOException {
    long expected = VirtioNetHeader.SIZE + headerLength + payload.bytes();
    takeSlotLocked();
    superPacketHeaderLocked(headers, tcpOffset, headerLength, gsoSize);
    MemorySegment iov = txGatherIov[slot];
    iov.set(ADDRESS, LibcFiles.IOVEC_SIZE, headers);
    iov.set(JAVA_LONG, LibcFiles.IOVEC_SIZE + 8, headerLength);
    for (int i = 0; i < payload.count(); i++) {
      long at = (2 + i) * LibcFiles.IOVEC_SIZE;
      Objects.checkFromIndexSize(payload.offset(i), payload.length(i), payload.memory(i).byteSize());
      // The address as a long: a slice per run would be an object per packet. The slices keep the
      // memory reachable until the packet is cleared, after this write.
      iov.set(JAVA_LONG, at, payload.memory(i).address() + payload.offset(i));
      iov.set(JAVA_LONG, at + 8, payload.length(i));
    }
    writevLocked(iov, 2 + payload.count(), expected);
  }

  /**
   * From here the calling thread's writes of native packets are queued and written together by
   * {@link #endBatchLocked}; whether they are (false where the kernel refuses a ring, or when
   * another thread batches: its writes are then made at once).
   */
  boolean beginBatchLocked() {
    if (!batchTried) {
      batchTried = true;
      batch = TunWriteUring.open(fd, arena);
    }
    if (batch == null || batchOwner != null) return false;
    batchOwner = Thread.currentThread();
    return true;
  }

  /** Writes the calling thread's batch, if it has one, and ends it (also when a write failed). */
  void endBatchLocked() throws IOException {
    if (batchOwner != Thread.currentThread()) return;
    batchOwner = null;
    batch.submit();
  }

  /** Drops the batch's ring; the device is closing. */
  void closeLocked() {
    if (batch != null) batch.close();
    batch = null;
    batchOwner = null;
  }

  /** The gso_size of the packet just read: 0 when it is no super-packet or has no header. */
  int rxGsoSize() {
    return vnetHeader ? VirtioNetHeader.gsoSize(rxHeader, 0) : 0;
  }

  /** Whether the packet just read has its checksum partial (VIRTIO_NET_HDR_F_NEEDS_CSUM). */
  boolean rxChecksumPartial() {
    return vnetHeader && (VirtioNetHeader.flags(rxHeader, 0) & VirtioNetHeader.F_NEEDS_CSUM) != 0;
  }
}
