package org.tcpspec.device.linux;

/**
 * An IPv4 address with a prefix length, "192.168.0.1/24". Addresses are big-endian ints, as in
 * {@code org.tcpspec.wire.Segment}.
 *
 * @param address the address (host bits kept: "192.168.0.1/24" is an interface address)
 * @param prefixLength 0..32
 */
public record Ipv4Cidr(int address, int prefixLength) {

  public Ipv4Cidr {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length out of range 0..32: " + prefixLength);
    }
  }

  /** Parses "a.b.c.d/n"; a bare "a.b.c.d" is a /32. */
  public static Ipv4Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) return new Ipv4Cidr(parseAddress(text), 32);
    return new Ipv4Cidr(
        parseAddress(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
  }

  /** Parses a dotted quad by hand (never a name lookup): "192.0.2.1" to 0xC0000201. */
  public static int parseAddress(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    int value = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      value = (value << 8) | octet;
    }
    return value;
  }

  public static String formatAddress(int address) {
    return (address >>> 24)
        + "."
        + ((address >>> 16) & 0xFF)
        + "."
        + ((address >>> 8) & 0xFF)
        + "."
        + (address & 0xFF);
  }

  /** The netmask as a big-endian int: /24 is 0xFFFFFF00. */
  public int netmask() {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  /** The network address: host bits cleared. */
  public int network() {
    return address & netmask();
  }

  public boolean contains(int other) {
    return (other & netmask()) == network();
  }

  @Override
  public String toString() {
    return formatAddress(address) + "/" + prefixLength;
  }
}
