package org.tcpspec.conformance.sut;

import static org.tcpspec.conformance.run.SystemUnderTest.LOCAL_ADDR;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.tcpspec.conformance.linux.PacketTap;
import org.tcpspec.conformance.profile.PhaseProfile;
import org.tcpspec.conformance.run.RunConfig;
import org.tcpspec.device.linux.Ipv4Cidr;
import org.tcpspec.device.linux.Ipv6Cidr;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.device.linux.TunOffloads;

/**
 * The network namespace of a {@link LinuxSut} run, its TUN device and the {@link PacketTap} on it:
 * set up as packetdrill's netdev.c sets its own up, torn down in the reverse order. A thread drains
 * the TUN device so the kernel is never held up by a full device queue; the tap has already seen
 * what it reads.
 */
final class LinuxDevices {

  final Netns netns;
  final TunDevice tun;
  final PacketTap tap;
  private final Thread drainer;
  private volatile boolean closing;

  private LinuxDevices(Netns netns, TunDevice tun, PacketTap tap) {
    this.netns = netns;
    this.tun = tun;
    this.tap = tap;
    // The drainer keeps the normal policy of the thread opening the run: nothing is timed by it.
    this.drainer = new Thread(this::drainLoop, netns.name() + "-drainer");
    drainer.setDaemon(true);
  }

  /** Whether this JVM has looked for namespaces that killed runs left. */
  private static boolean staleRemoved;

  /**
   * Deletes, once per JVM before its first namespace, those that runs killed by SIGKILL left (their
   * process is gone; {@link Netns#removeStale}), so a kill -9 leaves nothing past the next run.
   */
  static synchronized void removeStaleNamespaces() {
    if (staleRemoved) return;
    staleRemoved = true;
    try {
      for (String name : Netns.removeStale()) {
        System.err.println("tcpspec: removed network namespace " + name + ", left by a killed run");
      }
    } catch (IOException e) {
      System.err.println("tcpspec: could not look for namespaces left by killed runs: " + e.getMessage());
    }
  }

  /**
   * Makes the namespace and the TUN device for {@code config} ({@link #device}) and the tap on the
   * device; undoes the namespace when the device fails. The drainer is not started yet ({@link
   * #startDrainer}).
   */
  static LinuxDevices open(RunConfig config) throws IOException {
    PhaseProfile.Phase create = PhaseProfile.begin("setup: netns create");
    Netns ns = Netns.create("sut");
    create.end();
    TunDevice tun = null;
    try {
      PhaseProfile.Phase device = PhaseProfile.begin("setup: tun, tap");
      tun = TunDevice.open(ns, device(config));
      PacketTap tap = PacketTap.open(ns, tun.name());
      device.end();
      return new LinuxDevices(ns, tun, tap);
    } catch (IOException | RuntimeException e) {
      abandon(tun, ns);
      throw e;
    }
  }

  /** Closes the TUN device (when there is one) and the namespace of a run that could not start. */
  private static void abandon(TunDevice tun, Netns ns) {
    try {
      if (tun != null) tun.close();
    } finally {
      ns.close();
    }
  }

  /**
   * The TUN device of a run: under ipv4 and ipv4-mapped-ipv6 the local IPv4 address with its
   * prefix and the remote prefix routed to the device; under ipv6 (netdev.c's
   * net_add_ipv6_address and route_traffic_to_device) the local IPv6 address with prefix 48, added
   * without duplicate address detection, and the remote prefix routed to the device. The route
   * needs no next hop on a point-to-point device, so {@code --gateway_ip} is not used. Under ipv6
   * the device keeps packetdrill's IPv4 address too, without routes: nothing is sent to it.
   */
  static TunConfig device(RunConfig config) {
    TunConfig base = TunConfig.packetdrill();
    if (!config.ipv6()) {
      return new TunConfig(base.name(), config.mtu(), new Ipv4Cidr(config.localAddr(), config.prefixLength()),
          base.txQueueLength(), List.of(new Ipv4Cidr(config.remoteAddr(), config.remotePrefixLength())))
          .withOffloads(TunOffloads.PACKETDRILL);
    }
    return new TunConfig(base.name(), config.mtu(), new Ipv4Cidr(LOCAL_ADDR, 16), base.txQueueLength(), List.of())
        .withOffloads(TunOffloads.PACKETDRILL)
        .withIpv6(new Ipv6Cidr(config.localIp(), config.prefixLength()))
        .withIpv6Routes(List.of(new Ipv6Cidr(config.remoteIp(), config.remotePrefixLength())));
  }

  void startDrainer() {
    drainer.start();
  }

  /** Reads and drops what the kernel sends into the TUN device; the tap has already seen it. */
  private void drainLoop() {
    while (!closing) {
      try {
        tun.readPacket(50_000_000L);
      } catch (IOException e) {
        if (!closing) throw new UncheckedIOException(e);
        return;
      }
    }
  }

  /** Tells the drainer to stop at its next wake-up; {@link #close} wakes it. */
  void stopDraining() {
    closing = true;
  }

  /** Closes the tap and the device, ends the drainer, then deletes the namespace. */
  void close() {
    try {
      PhaseProfile.Phase devices = PhaseProfile.begin("teardown: tap, tun");
      tap.close();
      // Closing the device wakes the drainer from its wait at once; joined before that, it
      // would finish its 50 ms wait first, at every cell's end.
      tun.close();
      joinDrainer();
      devices.end();
    } finally {
      PhaseProfile.Phase delete = PhaseProfile.begin("teardown: netns delete");
      netns.close();
      delete.end();
    }
  }

  private void joinDrainer() {
    try {
      drainer.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
