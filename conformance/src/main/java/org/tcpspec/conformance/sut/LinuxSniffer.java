package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.tcpspec.conformance.linux.PacketTap;
import org.tcpspec.conformance.run.SystemUnderTest.Sniffed;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.SegmentParser;

/**
 * The kernel's packets of a {@link LinuxSut} run, read from the {@link PacketTap} on the TUN
 * interface with the kernel's own transmit stamp (as packetdrill's packet socket does), so a
 * reader thread's wake-up latency never counts against the kernel. Reads on the interpreter's
 * thread, so no hand-off between threads adds wake-up latency either.
 */
final class LinuxSniffer {

  private final PacketTap tap;
  /** The kernel's address on the wire: packets from it are the kernel's, packets to it were injected. */
  private final IpAddress localIp;
  /** CLOCK_REALTIME when the run's clock started, in microseconds. */
  private final long startMicros;
  /** The run's clock, in microseconds. */
  private final LongSupplier nowMicros;
  /** The kernel's packets, read from the tap and not yet handed to the interpreter. */
  private final ArrayDeque<Sniffed> sniffed = new ArrayDeque<>();

  LinuxSniffer(PacketTap tap, IpAddress localIp, long startMicros, LongSupplier nowMicros) {
    this.tap = tap;
    this.localIp = localIp;
    this.startMicros = startMicros;
    this.nowMicros = nowMicros;
  }

  /** The kernel's next packet, waiting for it until {@code deadlineMicros} on the run's clock. */
  Optional<Sniffed> sniff(long deadlineMicros) throws IOException {
    while (true) {
      Sniffed s = sniffed.poll();
      if (s != null) return Optional.of(s);
      long left = deadlineMicros - nowMicros.getAsLong();
      if (left <= 0) return Optional.empty();
      pump(Math.min(left, 50_000) * 1000);
    }
  }

  /**
   * Reads one packet from the tap, waiting at most {@code timeoutNanos}: the kernel's own TCP
   * segments go to {@link #sniffed} with the kernel's time. The tap also sees the packets injected
   * into the device, which were timed when written, and the kernel's non-TCP packets (ICMPv6
   * multicast listener reports once the device has IPv6): both are passed over.
   */
  private void pump(long timeoutNanos) throws IOException {
    Optional<PacketTap.Stamped> p = tap.receive(timeoutNanos);
    if (p.isEmpty()) return;
    byte[] bytes = p.get().packet();
    if (destination(bytes).filter(localIp::equals).isPresent()) return;
    if (SegmentParser.parse(bytes, 0, bytes.length) instanceof ParseResult.Parsed parsed
        && parsed.segment().srcIp().equals(localIp)) {
      sniffed.add(new Sniffed(p.get().realtimeNanos() / 1000 - startMicros, parsed.segment(), parsed.ip()));
    }
  }

  private static final int IPV4_HEADER = 20;
  /** Offset of the destination address in an IPv4 header (RFC 791 §3.1). */
  private static final int IPV4_DST = 16;
  private static final int IPV6_HEADER = 40;
  /** Offset of the destination address in an IPv6 header (RFC 8200 §3). */
  private static final int IPV6_DST = 24;

  /** The destination address of an IP packet of either version; empty when it is too short for one. */
  static Optional<IpAddress> destination(byte[] packet) {
    if (packet.length == 0) return Optional.empty();
    int version = (packet[0] & 0xFF) >>> 4;
    if (version == 4 && packet.length >= IPV4_HEADER) {
      return Optional.of(IpAddress.ipv4(ByteBuffer.wrap(packet).getInt(IPV4_DST)));
    }
    if (version == 6 && packet.length >= IPV6_HEADER) {
      return Optional.of(IpAddress.of(Arrays.copyOfRange(packet, IPV6_DST, IPV6_DST + 16)));
    }
    return Optional.empty();
  }
}
