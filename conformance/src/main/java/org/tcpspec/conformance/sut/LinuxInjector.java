package org.tcpspec.conformance.sut;

import java.io.IOException;
import java.util.OptionalInt;
import java.util.function.LongSupplier;
import org.tcpspec.conformance.linux.DeadlineSleep;
import org.tcpspec.conformance.profile.EventMarks;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.device.linux.VirtioNetHeader;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;

/**
 * Writes a {@link LinuxSut} run's inbound packets into its TUN device and says when each write
 * started: the kernel takes the packet in within the write (tun_get_user hands it to the stack,
 * whose softirq runs before the write returns), so its answer is stamped after that time. Not the
 * time after the write, as packetdrill's now_usecs for the next event is: on this VM's kernel
 * (PREEMPT_NONE, loaded by other work) a write returned once 6 ms after the kernel had sent its
 * answer, which then looked 6 ms early. Not the tap's stamp of the packet's receipt either, as
 * before: waiting for the tap's copy cost 0.1 to 0.5 ms per packet before the next event could
 * start.
 */
final class LinuxInjector {

  private final TunDevice tun;
  /** {@code --mss}: the GSO segment size of every injected TCP packet, when given. */
  private final OptionalInt mss;
  /** The run's clock, in microseconds. */
  private final LongSupplier nowMicros;

  LinuxInjector(TunDevice tun, OptionalInt mss, LongSupplier nowMicros) {
    this.tun = tun;
    this.mss = mss;
    this.nowMicros = nowMicros;
  }

  long inject(Segment segment, Ipv4Params ip) throws IOException {
    byte[] packet = SegmentEmitter.emit(segment, ip);
    return injectPacket(packet, inboundTcpHeader(packet));
  }

  /** {@link #inject}, with the packet emitted before the wait. */
  long injectAt(Segment segment, Ipv4Params ip, long atMicros) throws IOException, InterruptedException {
    byte[] packet = SegmentEmitter.emit(segment, ip);
    VirtioNetHeader header = inboundTcpHeader(packet);
    EventMarks.mark("inject: emitted");
    DeadlineSleep.until(nowMicros, atMicros);
    EventMarks.mark("inject: due");
    return injectPacket(packet, header);
  }

  long injectIcmp(byte[] packet) throws IOException {
    return injectPacket(packet, VirtioNetHeader.NONE);
  }

  /**
   * With {@code --mss}, every injected TCP packet goes in as a GSO packet of that segment size, as
   * packetdrill's linux_tun_write (netdev.c) sends it: the kernel takes a larger one as the run of
   * segments it stands for, and measures the peer's MSS from the GSO size (tcp_measure_rcv_mss),
   * so a 9000-byte packet leaves tcpi_rcv_mss at the MSS and is charged as GRO would charge it.
   */
  private VirtioNetHeader inboundTcpHeader(byte[] packet) {
    if (mss.isEmpty()) return VirtioNetHeader.NONE;
    int type = (packet[0] >> 4) == 6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;
    return VirtioNetHeader.gso(type, mss.getAsInt());
  }

  private long injectPacket(byte[] bytes, VirtioNetHeader header) throws IOException {
    long start = nowMicros.getAsLong();
    tun.write(header, bytes, 0, bytes.length);
    EventMarks.mark("inject: written");
    return start;
  }
}
