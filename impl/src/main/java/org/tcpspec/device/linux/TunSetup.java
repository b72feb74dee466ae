package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tcpspec.abi.SysResult;

/**
 * Opening a {@link TunDevice}, on the namespace thread: /dev/net/tun, TUNSETIFF (IFF_TUN |
 * IFF_NO_PI, with IFF_VNET_HDR when the offloads ask for the header), TUNSETOFFLOAD, then the
 * interface's configuration by netdevice(7) ioctls ({@link InterfaceControl}) and, for IPv6,
 * iproute2; last the eventfd that wakes a waiting reader ({@link TunWait}).
 */
final class TunSetup {
  private TunSetup() {}

  static final long TUNSETIFF = 0x400454CAL; // _IOW('T', 202, int)
  /** _IOW('T', 208, unsigned int), though the argument is the TUN_F_* value itself (tun.c). */
  static final long TUNSETOFFLOAD = 0x400454D0L;
  static final short IFF_TUN = 0x0001;
  static final short IFF_NO_PI = 0x1000;
  static final short IFF_VNET_HDR = 0x4000;

  /**
   * IPv6 on this one device, on the namespace thread (Netns switches it off for every other one):
   * on, no router solicitations or advertisements taken, and the address added with {@code nodad}
   * (iproute2; the netdevice ioctls cannot say nodad), so it is usable at once.
   */
  private static void enableIpv6(Netns netns, String ifname, Ipv6Cidr address) throws IOException {
    Path conf = Path.of("/proc/sys/net/ipv6/conf", ifname);
    if (!Files.isDirectory(conf)) throw new IOException("this kernel has no IPv6 (" + conf + " is missing)");
    Files.writeString(conf.resolve("disable_ipv6"), "0");
    Files.writeString(conf.resolve("accept_ra"), "0");
    Files.writeString(conf.resolve("router_solicitations"), "0");
    Netns.ExecResult add = Netns.run(List.of("ip", "-n", netns.name(), "-6", "addr", "add", address.toString(), "dev",
        ifname, "nodad"), Netns.EXEC_TIMEOUT);
    if (add.exitCode() != 0) throw new IOException("ip -6 addr add " + address + " dev " + ifname + ": " + add);
  }

  /** {@code ip -6 route add PREFIX dev IFNAME}: the netdevice ioctls route IPv4 only. */
  private static void addIpv6Route(Netns netns, String ifname, Ipv6Cidr route) throws IOException {
    String prefix = route.network().toString();
    Netns.ExecResult add = Netns.run(List.of("ip", "-n", netns.name(), "-6", "route", "add", prefix, "dev", ifname),
        Netns.EXEC_TIMEOUT);
    if (add.exitCode() != 0) throw new IOException("ip -6 route add " + prefix + " dev " + ifname + ": " + add);
  }

  /** Runs on the namespace thread. */
  static TunDevice openHere(Netns netns, TunConfig config) throws IOException {
    SysResult<Void> tun = LibcFiles.open("/dev/net/tun", LibcFiles.O_RDWR | LibcFiles.O_NONBLOCK | LibcFiles.O_CLOEXEC);
    if (tun.failed()) throw new IOException("open /dev/net/tun: " + tun);
    int fd = tun.intValue();
    int wakeFd = -1;
    TunOffloads offloads = config.offloads();
    try {
      String actualName;
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment ifr = InterfaceControl.ifreq(arena, config.name());
        short flags = (short) (IFF_TUN | IFF_NO_PI | (offloads.vnetHeader() ? IFF_VNET_HDR : 0));
        ifr.set(JAVA_SHORT, 16, flags);
        SysResult<Void> set = LibcSockets.ioctl(fd, TUNSETIFF, ifr);
        if (set.failed()) throw new IOException("TUNSETIFF " + config.name() + ": " + set);
        actualName = InterfaceControl.name(ifr);
      }
      if (offloads.flags() != 0) {
        // The device's features change before any socket routes over it, so TCP sockets see a
        // TSO device from their first segment (sk_setup_caps reads the features at connect).
        SysResult<Void> off =
            LibcSockets.ioctl(fd, TUNSETOFFLOAD, MemorySegment.ofAddress(offloads.flags()));
        if (off.failed()) throw new IOException("TUNSETOFFLOAD " + offloads + ": " + off);
      }
      InterfaceControl.setMtu(actualName, config.mtu());
      InterfaceControl.setTxQueueLength(actualName, config.txQueueLength());
      InterfaceControl.setAddress(actualName, config.address());
      if (config.ipv6Address().isPresent()) enableIpv6(netns, actualName, config.ipv6Address().get());
      InterfaceControl.setUp(actualName);
      for (Ipv4Cidr route : config.routes()) InterfaceControl.addRoute(route, actualName);
      for (Ipv6Cidr route : config.ipv6Routes()) addIpv6Route(netns, actualName, route);
      SysResult<Void> wake = LibcFiles.eventfd(0, LibcFiles.EFD_NONBLOCK | LibcFiles.EFD_CLOEXEC);
      if (wake.failed()) throw new IOException("eventfd: " + wake);
      wakeFd = wake.intValue();
      return new TunDevice(netns, actualName, fd, wakeFd, config.mtu(), offloads);
    } catch (IOException | RuntimeException e) {
      LibcFiles.close(fd);
      if (wakeFd >= 0) LibcFiles.close(wakeFd);
      throw e;
    }
  }
}
