package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.tcpspec.conformance.linux.PacketTap;
import org.tcpspec.conformance.profile.EventMarks;
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
  /** The kernel's address on the wire: the TCP segments from it are the kernel's. */
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
   * segments go to {@link #sniffed} with the kernel's time. The tap also sees the kernel's non-TCP
   * packets (ICMPv6 multicast listener reports once the device has IPv6), which are passed over;
   * the packets injected into the device it never sees.
   */
  private void pump(long timeoutNanos) throws IOException {
    Optional<PacketTap.Stamped> p = tap.receive(timeoutNanos);
    if (p.isEmpty()) return;
    byte[] bytes = p.get().packet();
    if (SegmentParser.parse(bytes, 0, bytes.length) instanceof ParseResult.Parsed parsed
        && parsed.segment().srcIp().equals(localIp)) {
      sniffed.add(new Sniffed(p.get().realtimeNanos() / 1000 - startMicros, parsed.segment(), parsed.ip()));
    }
    EventMarks.mark("sniffer: parsed");
  }
}
