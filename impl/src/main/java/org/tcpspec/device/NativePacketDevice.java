package org.tcpspec.device;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import org.tcpspec.wire.NativeSlices;
import org.tcpspec.wire.PacketBuffer;

/**
 * A {@link PacketDevice} that also moves packets through native memory without allocating, and
 * that may carry TCP super-packets: one IP and TCP header over several MSS-sized segments' payload,
 * which the other side cuts into, or has coalesced from, the segments the wire carries (TSO/GSO and
 * GRO, as a TUN device with the virtio-net header does). The event loop's data path uses these
 * methods; the byte-array ones stay for decorators and tests.
 *
 * <p>Threading as for {@link PacketDevice}: one thread receives (and owns {@link #rxBuffer()}
 * between receives), any thread transmits.
 */
public interface NativePacketDevice extends PacketDevice {

  /**
   * Whether TCP super-packets cross the device both ways: received ones may stand for several
   * segments ({@link #rxGsoSize()}), and {@link #transmitSuperPacket} is taken.
   */
  boolean segmentationOffload();

  /**
   * Receives one waiting packet into {@link #rxBuffer()} from index 0, without waiting.
   *
   * @return its length, 0 when none is waiting
   * @throws java.nio.channels.ClosedChannelException when the device is closed
   */
  default int receiveNative() throws IOException {
    return receiveNative(rxBuffer());
  }

  /**
   * {@link #receiveNative()} into {@code into} from index 0, which is at least as long as {@link
   * #rxBuffer()}: the packet stays there after the next receive, for a caller that keeps parts of
   * it (the event loop's receive buffers keep large payloads where they were read, issue 15). {@link
   * #rxGsoSize()} and {@link #rxChecksumPartial()} describe it as for {@link #receiveNative()}.
   */
  int receiveNative(MemorySegment into) throws IOException;

  /**
   * How many buffers the device wants handed over ({@link #provide}) to read packets into ahead of
   * time, its reading made ready on the calling thread, which must be the one that receives; 0
   * when it reads only into the caller's memory ({@link #receiveNative(MemorySegment)}). The TUN
   * device's io_uring reads this way (one system call per wake, issue 15).
   */
  default int buffersWanted() throws IOException {
    return 0;
  }

  /** Hands over {@code buffer} (from the caller's pool) to read a later packet into, after {@link #buffersWanted()}. */
  default void provide(PacketBuffer buffer) throws IOException {
    throw new UnsupportedOperationException(this + " reads into the caller's memory");
  }

  /**
   * Receives one packet read into a {@linkplain #provide provided} buffer, without waiting: its
   * length, 0 when none is waiting. The packet lies from index 0 of {@link #receivedBuffer()}'s
   * memory, which is the caller's again; {@link #rxGsoSize()} and {@link #rxChecksumPartial()}
   * describe it.
   *
   * @throws java.nio.channels.ClosedChannelException when the device is closed
   */
  default int receiveProvided() throws IOException {
    throw new UnsupportedOperationException(this + " reads into the caller's memory");
  }

  /** The buffer of the packet {@link #receiveProvided()} returned last. */
  default PacketBuffer receivedBuffer() {
    throw new UnsupportedOperationException(this + " reads into the caller's memory");
  }

  /** Where {@link #receiveNative()} puts the packet; valid until the next receive. */
  MemorySegment rxBuffer();

  /** The payload bytes per segment of the packet just received when it is a super-packet, else 0. */
  int rxGsoSize();

  /**
   * Whether the TCP checksum of the packet just received is partial: it holds only the
   * pseudo-header's sum, the sender being on this host (Linux's CHECKSUM_PARTIAL), so it must not be
   * verified.
   */
  boolean rxChecksumPartial();

  /**
   * Waits until a packet is waiting, at most {@code timeoutNanos} (negative: forever).
   *
   * @return whether one is waiting
   * @throws java.nio.channels.ClosedChannelException when the device is closed, also while waiting
   */
  boolean awaitPacket(long timeoutNanos) throws IOException;

  /**
   * From here until {@link #endTransmitBatch()} the calling thread's packets ({@link
   * #transmitNative}, {@link #transmitSuperPacket}, {@link #transmitGathered}) may be held and
   * written together, in their order, by {@link #endTransmitBatch()}: their memory must stay as it
   * is until that returns. A device that writes each at once ignores this.
   */
  default void beginTransmitBatch() throws IOException {}

  /**
   * Writes what the calling thread's batch holds and ends it.
   *
   * @throws IOException when a write of the batch failed (the ones after it may be lost as well)
   */
  default void endTransmitBatch() throws IOException {}

  /** Transmits the whole IP packet in {@code buffer[0, length)}, its checksums complete. */
  void transmitNative(MemorySegment buffer, int length) throws IOException;

  /**
   * Transmits a TCP packet whose TCP checksum field holds only the pseudo-header's sum (partial, as
   * Linux hands a TSO device its packets), {@code buffer[0, length)}. With {@code gsoSize} > 0 it is
   * a super-packet: the receiving side takes it as segments of {@code gsoSize} payload bytes each
   * (the last may be shorter), each with the packet's headers (sequence numbers advanced, FIN and
   * PSH only on the last); with 0 it is one segment.
   *
   * @param tcpOffset where the TCP header starts (the IP header's length)
   * @param headerLength IP plus TCP header bytes
   * @throws IllegalStateException when the device has no {@link #segmentationOffload()}
   */
  void transmitSuperPacket(MemorySegment buffer, int length, int tcpOffset, int headerLength, int gsoSize)
      throws IOException;

  /**
   * {@link #transmitSuperPacket} of a packet whose first {@code headerLength} bytes lie in {@code
   * headers} and whose payload lies in {@code payload}'s runs, in order: a device whose write gathers
   * (writev(2)) sends them without a copy. This default copies the payload behind the headers
   * (which must have room for the whole packet) and transmits that.
   */
  default void transmitGathered(MemorySegment headers, int headerLength, NativeSlices payload, int tcpOffset,
      int gsoSize) throws IOException {
    payload.copyTo(headers, headerLength);
    transmitSuperPacket(headers, headerLength + (int) payload.bytes(), tcpOffset, headerLength, gsoSize);
  }
}
