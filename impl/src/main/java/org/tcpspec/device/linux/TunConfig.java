package org.tcpspec.device.linux;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to set up a TUN device inside a namespace: interface name, MTU, local address with prefix,
 * transmit queue length, the destinations routed out of the device, and the offloads.
 *
 * @param name interface name, 1..15 bytes; a template such as "tun%d" lets the kernel number it
 * @param mtu IP MTU in bytes
 * @param address the local (kernel-side) address and prefix, e.g. 192.168.0.1/24
 * @param txQueueLength the interface's transmit queue length in packets
 * @param routes destinations reached through the device besides the connected prefix
 * @param offloads the virtio-net header and TUNSETOFFLOAD flags
 * @param ipv6Address the kernel side's IPv6 address and prefix, if the device carries IPv6 too
 *     (RFC 8200 §5: it needs an MTU of at least 1280)
 * @param ipv6Routes IPv6 destinations reached through the device besides the address's prefix
 *     (only with an IPv6 address)
 */
public record TunConfig(
    String name,
    int mtu,
    Ipv4Cidr address,
    int txQueueLength,
    List<Ipv4Cidr> routes,
    TunOffloads offloads,
    Optional<Ipv6Cidr> ipv6Address,
    List<Ipv6Cidr> ipv6Routes) {

  /** IPv6's minimum link MTU (RFC 8200 §5); Linux disables IPv6 on a device below it. */
  public static final int IPV6_MIN_MTU = 1280;

  public TunConfig {
    if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("mtu out of 68..65535: " + mtu);
    if (txQueueLength < 0)
      throw new IllegalArgumentException("txQueueLength < 0: " + txQueueLength);
    routes = List.copyOf(routes);
    Objects.requireNonNull(offloads, "offloads");
    if (ipv6Address.isPresent() && mtu < IPV6_MIN_MTU) {
      throw new IllegalArgumentException("IPv6 needs an MTU of at least 1280, not " + mtu);
    }
    ipv6Routes = List.copyOf(ipv6Routes);
    if (ipv6Address.isEmpty() && !ipv6Routes.isEmpty()) {
      throw new IllegalArgumentException("IPv6 routes " + ipv6Routes + " on a device without an IPv6 address");
    }
  }

  /** A device for IPv4 only. */
  public TunConfig(
      String name, int mtu, Ipv4Cidr address, int txQueueLength, List<Ipv4Cidr> routes, TunOffloads offloads) {
    this(name, mtu, address, txQueueLength, routes, offloads, Optional.empty(), List.of());
  }

  /** A device without offloads: plain, complete IP packets both ways. */
  public TunConfig(
      String name, int mtu, Ipv4Cidr address, int txQueueLength, List<Ipv4Cidr> routes) {
    this(name, mtu, address, txQueueLength, routes, TunOffloads.NONE, Optional.empty(), List.of());
  }

  /**
   * packetdrill's topology: tun0 with 192.168.0.1/24 on the kernel side, the remote side 192.0.2.1
   * reached through the device (route 192.0.2.0/24), MTU 1500, without offloads (add {@link
   * TunOffloads#PACKETDRILL} for packetdrill's device as a whole). txqueuelen 32768, not
   * packetdrill's 500: the queue holds what the kernel sends toward our stack until the stack reads
   * it, and a burst of 20,000 SYNs (issue 13) must reach the stack, not die in the device's queue.
   */
  public static TunConfig packetdrill() {
    return new TunConfig(
        "tun0",
        1500,
        Ipv4Cidr.parse("192.168.0.1/24"),
        32768,
        List.of(Ipv4Cidr.parse("192.0.2.0/24")));
  }

  public TunConfig withMtu(int newMtu) {
    return new TunConfig(name, newMtu, address, txQueueLength, routes, offloads, ipv6Address, ipv6Routes);
  }

  public TunConfig withName(String newName) {
    return new TunConfig(newName, mtu, address, txQueueLength, routes, offloads, ipv6Address, ipv6Routes);
  }

  public TunConfig withOffloads(TunOffloads newOffloads) {
    return new TunConfig(name, mtu, address, txQueueLength, routes, newOffloads, ipv6Address, ipv6Routes);
  }

  /**
   * This device carrying IPv6 too, the kernel side at {@code address} (its prefix routed to the
   * device), added without duplicate address detection: nothing else is on the link.
   */
  public TunConfig withIpv6(Ipv6Cidr address) {
    return new TunConfig(name, mtu, address(), txQueueLength, routes, offloads, Optional.of(address), ipv6Routes);
  }

  /**
   * This device with these IPv6 destinations routed out of it (as packetdrill's netdev.c routes
   * the remote prefix, {@code ip -6 route add PREFIX dev tun0}); needs {@link #withIpv6} first.
   */
  public TunConfig withIpv6Routes(List<Ipv6Cidr> newRoutes) {
    return new TunConfig(name, mtu, address, txQueueLength, routes, offloads, ipv6Address, newRoutes);
  }
}
