package org.tcpspec.device;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.tcpspec.time.Clock;

/**
 * Writes every packet received and transmitted through it to a pcap file, then passes it on. The
 * file uses the raw IP link type (no link-layer header) and nanosecond timestamps; tcpdump {@code
 * -r} and Wireshark read it. Writing goes through Pcap4J over libpcap, which must be installed at
 * run time (Debian: {@code libpcap0.8}).
 *
 * <p>Timestamps come from the given {@link Clock}: the file's time origin is the wall-clock time at
 * which the capture was opened, and every packet is stamped that origin plus the clock's elapsed
 * nanoseconds. On a manual clock the spacing of packets in the file is the virtual time of the run,
 * exactly.
 */
public final class PcapCapture implements PacketDevice {
  /** Enough for any IPv4 packet. */
  private static final int SNAPLEN = 65536;

  private final PacketDevice inner;
  private final Clock clock;
  private final long originEpochNanos;
  private final long originClockNanos;
  private final PcapHandle handle;
  private final PcapDumper dumper;
  private boolean closed;

  private PcapCapture(PacketDevice inner, Clock clock, PcapHandle handle, PcapDumper dumper) {
    this.inner = inner;
    this.clock = clock;
    this.handle = handle;
    this.dumper = dumper;
    Instant now = Instant.now();
    this.originEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    this.originClockNanos = clock.nowNanos();
  }

  /**
   * Opens {@code file} for writing (replacing it) and captures what passes through {@code inner}.
   *
   * @throws IOException when libpcap is missing or the file cannot be created
   */
  public static PcapCapture open(PacketDevice inner, Path file, Clock clock) throws IOException {
    PcapHandle handle;
    try {
      handle = Pcaps.openDead(DataLinkType.RAW, SNAPLEN, PcapHandle.TimestampPrecision.NANO);
    } catch (PcapNativeException | UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new IOException(
          "libpcap is needed to write pcap files (apt-get install libpcap0.8)", e);
    }
    try {
      PcapDumper dumper = handle.dumpOpen(file.toString());
      return new PcapCapture(inner, clock, handle, dumper);
    } catch (PcapNativeException | NotOpenException e) {
      handle.close();
      throw new IOException("cannot write pcap file " + file, e);
    }
  }

  @Override
  public Optional<byte[]> receive(long timeoutNanos) throws IOException {
    Optional<byte[]> p = inner.receive(timeoutNanos);
    if (p.isPresent()) record(p.get());
    return p;
  }

  @Override
  public void transmit(byte[] packet) throws IOException {
    record(packet);
    inner.transmit(packet);
  }

  private synchronized void record(byte[] packet) throws IOException {
    if (closed) return;
    long epochNanos = originEpochNanos + (clock.nowNanos() - originClockNanos);
    Timestamp ts = new Timestamp(Math.floorDiv(epochNanos, 1_000_000_000L) * 1000);
    ts.setNanos((int) Math.floorMod(epochNanos, 1_000_000_000L));
    try {
      dumper.dumpRaw(packet, ts);
    } catch (NotOpenException e) {
      throw new IOException("pcap dumper closed", e);
    }
  }

  /** Pushes buffered records to the file, so a reader sees every packet so far. */
  public synchronized void flush() throws IOException {
    if (closed) return;
    try {
      dumper.flush();
    } catch (PcapNativeException | NotOpenException e) {
      throw new IOException("flushing pcap file", e);
    }
  }

  @Override
  public int mtu() {
    return inner.mtu();
  }

  /** Completes the file and closes the wrapped device. */
  @Override
  public void close() {
    synchronized (this) {
      if (!closed) {
        closed = true;
        dumper.close();
        handle.close();
      }
    }
    inner.close();
  }
}
