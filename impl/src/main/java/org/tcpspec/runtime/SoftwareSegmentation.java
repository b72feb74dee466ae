package org.tcpspec.runtime;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Optional;
import org.tcpspec.device.PacketDevice;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.wire.TcpSegmentation;

/**
 * A TUN device with the offloads on, seen as a plain {@link PacketDevice} of MTU-sized packets with
 * complete checksums: a super-packet the kernel hands over is cut into the segments it stands for
 * ({@link TcpSegmentation}), a partial checksum completed. Decorators that act per packet (fault
 * injection, pcap capture) go on top of it, so a loss rate means the same with the offloads on as
 * off: it applies to each MSS-sized segment. Transmitted packets pass unchanged. Allocates per
 * packet; the event loop's fast path uses the device itself.
 */
final class SoftwareSegmentation implements PacketDevice {
  private final TunDevice tun;
  private final ArrayDeque<byte[]> cut = new ArrayDeque<>();

  SoftwareSegmentation(TunDevice tun) {
    this.tun = tun;
  }

  @Override
  public Optional<byte[]> receive(long timeoutNanos) throws IOException {
    if (cut.isEmpty()) {
      Optional<TunDevice.Received> next = tun.readWithHeader(timeoutNanos);
      if (next.isEmpty()) return Optional.empty();
      TunDevice.Received r = next.get();
      if (r.header().isGso()) {
        cut.addAll(TcpSegmentation.split(r.packet(), r.header().gsoSize()));
      } else {
        r.header().completeChecksum(MemorySegment.ofArray(r.packet()));
        cut.add(r.packet());
      }
    }
    return Optional.of(cut.poll());
  }

  @Override
  public void transmit(byte[] packet) throws IOException {
    tun.transmit(packet);
  }

  @Override
  public int mtu() {
    return tun.mtu();
  }

  @Override
  public void close() {
    tun.close();
  }
}
