package org.tcpspec.device.linux;

import org.tcpspec.wire.IpAddress;

/**
 * An IPv6 address with a prefix length, "2001:db8::1/64", for an interface inside a namespace.
 *
 * @param address the interface address (not IPv4-mapped)
 * @param prefixLength 0..128
 */
public record Ipv6Cidr(IpAddress address, int prefixLength) {

  public Ipv6Cidr {
    if (address.isIpv4()) throw new IllegalArgumentException("not an IPv6 address: " + address);
    if (prefixLength < 0 || prefixLength > 128) {
      throw new IllegalArgumentException("prefix length out of range 0..128: " + prefixLength);
    }
  }

  /** Parses "2001:db8::1/64"; a bare address is a /128. */
  public static Ipv6Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) return new Ipv6Cidr(IpAddress.parse(text), 128);
    return new Ipv6Cidr(IpAddress.parse(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
  }

  /** The prefix itself: the address with the bits after the prefix length cleared ("2001:db8::/32"). */
  public Ipv6Cidr network() {
    long highMask = prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
    long lowMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
    return new Ipv6Cidr(new IpAddress(address.high() & highMask, address.low() & lowMask), prefixLength);
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
