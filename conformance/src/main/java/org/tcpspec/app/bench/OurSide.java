package org.tcpspec.app.bench;

import java.util.Locale;
import org.tcpspec.runtime.EventLoop;
import org.tcpspec.tcb.ChunkPool;

/**
 * What our stack's event loop did during one transfer: device packets and the MSS-sized segments
 * they stood for (a super-packet counts its segments), each way, the bytes the loop's thread
 * allocated, and the receive chunks the stack made (part of those bytes). Taken as the difference
 * of two {@link #of samples}.
 *
 * @param packetsRead packets read from the device
 * @param segmentsRead segments those packets stood for
 * @param packetsWritten packets written to the device
 * @param segmentsWritten segments those packets stood for
 * @param allocatedBytes bytes the loop's thread allocated
 * @param chunksMade receive chunks the stack's pool made ({@link EventLoop#receiveChunksMade()})
 * @param nanos how long the transfer took
 * @param backlogged packets read while an application thread held the stack's lock, left for it
 *     ({@link EventLoop#packetsBacklogged()})
 */
public record OurSide(long packetsRead, long segmentsRead, long packetsWritten, long segmentsWritten,
    long allocatedBytes, long chunksMade, long nanos, long backlogged) {
  /** No packets, nothing allocated. */
  public static final OurSide NOTHING = new OurSide(0, 0, 0, 0, 0, 0, 0, 0);

  /** The loop's counters now (nanos is the sample's time). */
  public static OurSide of(EventLoop loop) {
    return new OurSide(loop.packetsReceived(), loop.segmentsReceived(), loop.packetsTransmitted(),
        loop.segmentsTransmitted(), loop.allocatedBytes(), loop.receiveChunksMade(), System.nanoTime(),
        loop.packetsBacklogged());
  }

  /** What happened from {@code before} to this sample. */
  public OurSide since(OurSide before) {
    return new OurSide(packetsRead - before.packetsRead, segmentsRead - before.segmentsRead,
        packetsWritten - before.packetsWritten, segmentsWritten - before.segmentsWritten,
        allocatedBytes - before.allocatedBytes, chunksMade - before.chunksMade, nanos - before.nanos,
        backlogged - before.backlogged);
  }

  /** Packets both ways. */
  public long packets() {
    return packetsRead + packetsWritten;
  }

  /** Segments both ways. */
  public long segments() {
    return segmentsRead + segmentsWritten;
  }

  public double segmentsPerSecond() {
    return segments() / (nanos / 1e9);
  }

  /** Bytes allocated per device packet; 0 without packets. */
  public double allocatedPerPacket() {
    return packets() == 0 ? 0 : (double) allocatedBytes / packets();
  }

  /**
   * "1234 k segments/s (5.2 per packet; read 1000 packets of 41.0, written 900 of 1.0), 0.0 B
   * allocated per packet (0 bytes over 120000 packets after warm-up)": the rate over this sample, each way's
   * packets and segments per packet (the ACKs of a transfer are the packets of one segment on its
   * receiving side), the allocation over {@code steady}, a part of it after warm-up; when the
   * receive pool grew in it, how many chunks that was (made when buffers reserved their capacity:
   * a new peak of the stack's reserved receive capacity, not a per-packet cost; the receive
   * autotuning runs where the application reads, as Linux's tcp_rcv_space_adjust in tcp_recvmsg,
   * so these are in the loop's bytes only when its thread made them). The bytes are printed whole too: a rounded 0.0 per packet could hide a
   * few thousand. When the loop left packets in the backlog for an application thread holding the
   * lock, how many of those read that was ("read 1000 packets of 41.0, 300 of them left in the
   * backlog").
   */
  public String text(OurSide steady) {
    String text = String.format(Locale.ROOT,
        "%.0f k segments/s (%.1f per packet; read %d packets of %.1f%s, written %d of %.1f), %.1f B allocated per"
            + " packet (%d bytes over %d packets after warm-up)",
        segmentsPerSecond() / 1e3, perPacket(segments(), packets()), packetsRead,
        perPacket(segmentsRead, packetsRead), backlogged == 0 ? "" : ", " + backlogged + " of them left in the backlog",
        packetsWritten, perPacket(segmentsWritten, packetsWritten),
        steady.allocatedPerPacket(), steady.allocatedBytes, steady.packets());
    if (steady.chunksMade == 0) return text;
    return text + String.format(Locale.ROOT, "; the receive pool made chunks for buffers that reserved a grown"
        + " capacity (autotuning runs on the reading thread, so in the bytes above only if the loop's thread did it):"
        + " %d chunks of %d KB, %.1f B per packet", steady.chunksMade, ChunkPool.CHUNK / 1024,
        steady.packets() == 0 ? 0.0 : (double) steady.chunksMade * ChunkPool.CHUNK / steady.packets());
  }

  private static double perPacket(long segments, long packets) {
    return packets == 0 ? 0.0 : (double) segments / packets;
  }
}
