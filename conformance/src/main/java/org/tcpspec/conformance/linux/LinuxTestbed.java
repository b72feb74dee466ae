package org.tcpspec.conformance.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.tcpspec.device.PacketDevice;
import org.tcpspec.device.PcapCapture;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.time.Clock;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;

/**
 * The Linux kernel set up for one run: a namespace made for it, a TUN device with the script's
 * topology, the kernel socket API, and optionally a pcap file of every packet on the TUN. The
 * remote side of a script exists only as packets {@linkplain #inject injected} into the TUN and
 * {@linkplain #sniff sniffed} from it. {@link #close()} releases everything in reverse order; setup
 * that fails half-way leaves nothing behind either.
 *
 * <pre>{@code
 * TunConfig topology = TunConfig.packetdrill();
 * try (LinuxTestbed kernel = LinuxTestbed.open("run", topology, Optional.empty(), clock)) {
 *   KernelSockets api = kernel.sockets();
 *   int fd = api.socket(KernelSockets.AF_INET, KernelSockets.SOCK_STREAM, 0).intValue();
 *   kernel.inject(synAck);
 *   Optional<ParseResult> sent = kernel.sniff(timeoutNanos);
 * }
 * }</pre>
 */
public final class LinuxTestbed implements AutoCloseable {
  private final Netns netns;
  private final TunDevice tun;
  private final PacketDevice device;
  private final KernelSockets sockets;

  private LinuxTestbed(Netns netns, TunDevice tun, PacketDevice device) {
    this.netns = netns;
    this.tun = tun;
    this.device = device;
    this.sockets = new KernelSockets(netns);
  }

  /**
   * Creates the namespace {@code tcpspec-<purpose>-<pid>-<n>} and the TUN device in it.
   *
   * @param pcapFile where to record the packets on the TUN, both ways, if anywhere
   * @param clock time source of the pcap timestamps
   */
  public static LinuxTestbed open(
      String purpose, TunConfig config, Optional<Path> pcapFile, Clock clock) throws IOException {
    Netns netns = Netns.create(purpose);
    TunDevice tun = null;
    try {
      tun = TunDevice.open(netns, config);
      PacketDevice device =
          pcapFile.isPresent() ? PcapCapture.open(tun, pcapFile.get(), clock) : tun;
      return new LinuxTestbed(netns, tun, device);
    } catch (IOException | RuntimeException e) {
      if (tun != null) tun.close();
      netns.close();
      throw e;
    }
  }

  public Netns netns() {
    return netns;
  }

  /** The TUN device itself (its name, fd, MTU). */
  public TunDevice tun() {
    return tun;
  }

  /** The TUN as a packet device, recorded to the pcap file when there is one. */
  public PacketDevice device() {
    return device;
  }

  public KernelSockets sockets() {
    return sockets;
  }

  /** Writes {@code segment} into the TUN as a packet from the remote side. */
  public void inject(Segment segment) throws IOException {
    device.transmit(SegmentEmitter.emit(segment));
  }

  /**
   * The next packet the kernel sent out of the TUN, parsed, waiting at most {@code timeoutNanos}. A
   * packet that is not well-formed TCP/IPv4 (an ICMP error, say) comes back as {@link
   * ParseResult.Malformed} naming why, not skipped: the script decides whether it matters.
   */
  public Optional<ParseResult> sniff(long timeoutNanos) throws IOException {
    return device.receive(timeoutNanos).map(p -> SegmentParser.parse(p, 0, p.length));
  }

  /** Closes the sockets still open, the device (completing the pcap file), then the namespace. */
  @Override
  public void close() {
    try {
      sockets.close();
      device.close();
    } finally {
      netns.close();
    }
  }
}
