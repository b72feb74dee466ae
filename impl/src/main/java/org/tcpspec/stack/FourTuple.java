package org.tcpspec.stack;

import org.tcpspec.wire.IpAddress;

/**
 * A connection's identity (RFC 9293 §3.3.1 "socket pair"): addresses of one family in {@link
 * IpAddress}'s 128-bit form (IPv4 as ::ffff:a.b.c.d), ports.
 */
public record FourTuple(IpAddress localAddr, int localPort, IpAddress remoteAddr, int remotePort) {

  /** An IPv4 tuple, addresses as big-endian ints. */
  public FourTuple(int localAddr, int localPort, int remoteAddr, int remotePort) {
    this(IpAddress.ipv4(localAddr), localPort, IpAddress.ipv4(remoteAddr), remotePort);
  }

  /** Whether this is the tuple, compared field by field (no key object to build). */
  boolean matches(long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow, int remotePort) {
    return this.localPort == localPort && this.remotePort == remotePort
        && localAddr.low() == localLow && remoteAddr.low() == remoteLow
        && localAddr.high() == localHigh && remoteAddr.high() == remoteHigh;
  }

  /** "192.0.2.2:80-192.168.0.1:40000", an IPv6 address in brackets ("[2001:db8::2]:80-..."). */
  @Override
  public String toString() {
    return endpoint(localAddr, localPort) + "-" + endpoint(remoteAddr, remotePort);
  }

  static String endpoint(IpAddress a, int port) {
    return (a.isIpv4() ? a.toString() : "[" + a + "]") + ":" + port;
  }

  /** A hash of an address's two halves, spread for the open-addressing tables. */
  static int hash(long high, long low) {
    long x = high * 31 + low;
    return (int) (x ^ (x >>> 32));
  }
}
