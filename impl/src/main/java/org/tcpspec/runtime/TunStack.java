package org.tcpspec.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.tcpspec.device.PacketDevice;
import org.tcpspec.device.PcapCapture;
import org.tcpspec.device.linux.Ipv4Cidr;
import org.tcpspec.device.linux.Ipv6Cidr;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.device.linux.TunOffloads;
import org.tcpspec.fsm.State;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.FourTuple;
import org.tcpspec.stack.Stack;
import org.tcpspec.stack.StackConfig;
import org.tcpspec.time.Clock;
import org.tcpspec.time.SystemClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.IpAddress;

/**
 * Our stack at {@value #STACK_ADDRESS} behind a TUN device in a namespace, driven by an {@link
 * EventLoop}: packetdrill's topology, the namespace's kernel at {@value #KERNEL_ADDRESS} on the
 * device with 192.0.2.0/24 routed to it. Kernel clients in that namespace reach the stack at
 * {@value #STACK_ADDRESS}; the stack reaches kernel servers at {@value #KERNEL_ADDRESS}. With an MTU
 * of at least 1280 the device carries IPv6 too (RFC 8200 §5), in the documentation prefix
 * 2001:db8::/64 (RFC 3849): the stack at {@value #STACK_ADDRESS6}, the kernel at {@value
 * #KERNEL_ADDRESS6}, and the stack's listeners take both families. Applications use it through
 * {@link #sockets()}.
 *
 * <p>Offloads ({@link TunOffloads#STACK}, on unless asked otherwise): the device carries the
 * virtio-net header and TCP super-packets of up to 64 KB both ways, which the {@link EventLoop}
 * takes and makes on its allocation-free path. Under a decorator (fault injection, pcap) the loop
 * sees the device through {@link SoftwareSegmentation} instead: MTU-sized packets, so faults and
 * captures apply per segment as without offloads. Segment sizes on the wire (the MSS) are the same
 * either way.
 */
public final class TunStack implements AutoCloseable {
  public static final String STACK_ADDRESS = "192.0.2.2";
  public static final String KERNEL_ADDRESS = "192.168.0.1";
  public static final String STACK_ADDRESS6 = "2001:db8::2";
  public static final String KERNEL_ADDRESS6 = "2001:db8::1";

  private final EventLoop loop;
  private final BlockingSockets sockets;
  private final Stack stack;
  private final String interfaceName;

  private TunStack(EventLoop loop, Stack stack, String interfaceName) {
    this.loop = loop;
    this.stack = stack;
    this.sockets = new BlockingSockets(loop);
    this.interfaceName = interfaceName;
  }

  /**
   * The TUN configuration used: packetdrill's, named {@code ifname}, with {@code mtu}, and IPv6 at
   * {@value #KERNEL_ADDRESS6}/64 when the MTU allows it.
   */
  public static TunConfig config(String ifname, int mtu) {
    return config(ifname, mtu, true);
  }

  /** {@link #config(String, int)} with the offloads ({@link TunOffloads#STACK}) on or off. */
  public static TunConfig config(String ifname, int mtu, boolean offloads) {
    TunConfig c = TunConfig.packetdrill().withName(ifname).withMtu(mtu)
        .withOffloads(offloads ? TunOffloads.STACK : TunOffloads.NONE);
    return mtu >= TunConfig.IPV6_MIN_MTU ? c.withIpv6(Ipv6Cidr.parse(KERNEL_ADDRESS6 + "/64")) : c;
  }

  /** Whether the stack has its IPv6 address (the device's MTU is at least 1280). */
  public boolean ipv6() {
    return stack.ipv6Address().isPresent();
  }

  /** Opens the TUN device in {@code ns} and starts the stack's event loop on it. */
  public static TunStack start(Netns ns, int mtu, Optional<Path> pcap, Consumer<String> log)
      throws IOException {
    return start(ns, mtu, true, pcap, log);
  }

  /**
   * {@link #start(Netns, int, Optional, Consumer)} with the loop reading the device through io_uring
   * ({@link TunDevice#wantUring()}), as {@code -Dtcpspec.tun.uring=true} makes every device read.
   */
  public static TunStack startReadingThroughUring(Netns ns, int mtu, Consumer<String> log) throws IOException {
    TunDevice tun = TunDevice.open(ns, config("tun0", mtu, true));
    tun.wantUring();
    return start(tun, tun.name(), Optional.empty(), log, mtu >= TunConfig.IPV6_MIN_MTU);
  }

  /** {@link #start(Netns, int, Optional, Consumer)} with the offloads on or off. */
  public static TunStack start(Netns ns, int mtu, boolean offloads, Optional<Path> pcap, Consumer<String> log)
      throws IOException {
    TunDevice tun = TunDevice.open(ns, config("tun0", mtu, offloads));
    return start(tun, tun.name(), pcap, log, mtu >= TunConfig.IPV6_MIN_MTU);
  }

  /**
   * Like {@link #start(Netns, int, Optional, Consumer)}, for tests that need the stack on their
   * own {@code clock} (to skip TIME-WAIT, say) or its device behind {@code decorate} (a fault
   * injector on the stack-to-kernel path, say).
   */
  public static TunStack start(Netns ns, int mtu, Clock clock, UnaryOperator<PacketDevice> decorate,
      Consumer<String> log) throws IOException {
    return start(ns, mtu, true, tunDefaults(), clock, decorate, TraceSink.NONE, log);
  }

  /**
   * Like {@link #start(Netns, int, Clock, UnaryOperator, Consumer)}, every transition recorded to
   * {@code trace} (called on the event loop's thread), for trace validation of a real run.
   */
  public static TunStack startTraced(Netns ns, int mtu, Clock clock, TraceSink trace, Consumer<String> log)
      throws IOException {
    return start(ns, mtu, true, tunDefaults(), clock, UnaryOperator.identity(), trace, log);
  }

  /**
   * The stack with the offloads on or off and its config changed by {@code sysctls} (see {@link
   * #start(Netns, int, Map, Clock, UnaryOperator, Consumer)}), on the system clock, undecorated.
   */
  public static TunStack start(Netns ns, int mtu, boolean offloads, Map<String, String> sysctls,
      Consumer<String> log) throws IOException {
    return start(ns, mtu, offloads, withSysctls(sysctls), SystemClock.INSTANCE, UnaryOperator.identity(),
        TraceSink.NONE, log);
  }

  /**
   * Like {@link #start(Netns, int, Clock, UnaryOperator, Consumer)}, the stack's config changed by
   * {@code sysctls} (name to value, as {@link StackConfig#withSysctl} takes them: a congestion
   * control, say); IllegalArgumentException names one the stack does not model.
   */
  public static TunStack start(Netns ns, int mtu, Map<String, String> sysctls, Clock clock,
      UnaryOperator<PacketDevice> decorate, Consumer<String> log) throws IOException {
    return start(ns, mtu, true, withSysctls(sysctls), clock, decorate, TraceSink.NONE, log);
  }

  /**
   * The stack's configuration on a TUN device: Linux's defaults, with tcp_rmem's max at Linux
   * 6.16+'s 32 MiB ({@link StackConfig#linux616Defaults}; the kernels the stack meets over TUN run
   * it, 6.18 here). With the 6 MiB of the older defaults a kernel sending to us at MTU 65000 was held
   * by our window a fifth of the time (ss: rwnd_limited 19-28 %). Growing to it copies nothing (the
   * receive buffers take chunks of the stack's pool), and tcp_mem bounds what all connections hold
   * together.
   */
  static StackConfig tunDefaults() {
    return StackConfig.linux616Defaults();
  }

  private static StackConfig withSysctls(Map<String, String> sysctls) {
    StackConfig config = tunDefaults();
    for (Map.Entry<String, String> e : sysctls.entrySet()) {
      config = config.withSysctl(e.getKey(), e.getValue()).orElseThrow(
          () -> new IllegalArgumentException("the stack has no sysctl " + e.getKey() + "=" + e.getValue()));
    }
    return config;
  }

  private static TunStack start(Netns ns, int mtu, boolean offloads, StackConfig config, Clock clock,
      UnaryOperator<PacketDevice> decorate, TraceSink trace, Consumer<String> log) throws IOException {
    TunDevice tun = TunDevice.open(ns, config("tun0", mtu, offloads));
    PacketDevice plain = perPacket(tun);
    PacketDevice device;
    try {
      device = decorate.apply(plain);
      if (device == plain) device = tun;
    } catch (RuntimeException e) {
      tun.close();
      throw e;
    }
    return start(device, tun.name(), config.withMtu(tun.mtu()), clock, trace, log, tun.mtu() >= TunConfig.IPV6_MIN_MTU);
  }

  /** Starts the stack on an open device (already configured in its namespace), with IPv6 when {@code ipv6}. */
  private static TunStack start(TunDevice tun, String ifname, Optional<Path> pcap, Consumer<String> log, boolean ipv6)
      throws IOException {
    PacketDevice device = tun;
    try {
      if (pcap.isPresent()) device = PcapCapture.open(perPacket(tun), pcap.get(), SystemClock.INSTANCE);
    } catch (IOException | RuntimeException e) {
      device.close();
      throw e;
    }
    return start(device, ifname, tunDefaults().withMtu(tun.mtu()), SystemClock.INSTANCE, TraceSink.NONE,
        log, ipv6);
  }

  /** The device as packets of at most the MTU, for decorators that act per packet. */
  private static PacketDevice perPacket(TunDevice tun) {
    return tun.vnetHeader() ? new SoftwareSegmentation(tun) : tun;
  }

  /** The stack on {@code device} under {@code config}, whose MTU (and so the local MSS) is the device's. */
  private static TunStack start(PacketDevice device, String ifname, StackConfig config, Clock clock,
      TraceSink trace, Consumer<String> log, boolean ipv6) throws IOException {
    try {
      Stack stack = new Stack(Ipv4Cidr.parseAddress(STACK_ADDRESS), clock, trace,
          new java.security.SecureRandom().nextLong(), config);
      if (ipv6) stack.ipv6Address(IpAddress.parse(STACK_ADDRESS6));
      EventLoop loop = new EventLoop(device, stack, new SocketApi(stack), clock, log);
      return new TunStack(loop.start(), stack, ifname);
    } catch (RuntimeException e) {
      device.close();
      throw e;
    }
  }

  /**
   * Starts the stack on a TUN device in the namespace named {@code namespace} (one the user named,
   * which must exist): joined with {@link Netns#attach} just long enough to create and configure
   * the device there as {@link #config} says (the descriptor keeps working after the joining
   * thread stops).
   *
   * @param ifname the interface name in {@code namespace}; it must not exist there yet
   * @param ipv6 whether the device carries IPv6 too (then the MTU must be at least 1280)
   */
  public static TunStack startIn(String namespace, String ifname, int mtu, boolean ipv6, Optional<Path> pcap,
      Consumer<String> log) throws IOException {
    TunConfig config = config(ifname, mtu);
    if (ipv6 && config.ipv6Address().isEmpty()) {
      throw new IllegalArgumentException("IPv6 needs an MTU of at least 1280, not " + mtu);
    }
    if (!ipv6) config = new TunConfig(config.name(), config.mtu(), config.address(), config.txQueueLength(),
        config.routes(), config.offloads());
    TunDevice tun;
    try (Netns joined = Netns.attach(namespace)) {
      tun = TunDevice.open(joined, config);
    }
    return start(tun, ifname, pcap, log, ipv6);
  }

  /** Blocking socket calls on the stack, for applications on virtual threads. */
  public BlockingSockets sockets() {
    return sockets;
  }

  /** The stack's connection table (listeners excluded): each connection and its state, now. */
  public Map<FourTuple, State> connections() throws IOException {
    return loop.call(api -> {
      Map<FourTuple, State> table = new LinkedHashMap<>();
      for (Connection c : stack.connections()) table.put(c.tuple(), c.state());
      return table;
    });
  }

  public EventLoop loop() {
    return loop;
  }

  public String interfaceName() {
    return interfaceName;
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
  }
}
