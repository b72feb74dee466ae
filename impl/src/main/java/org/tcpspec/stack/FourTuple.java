package org.tcpspec.stack;

/** A connection's identity (RFC 9293 §3.3.1 "socket pair"): IPv4 addresses as ints, ports. */
public record FourTuple(int localAddr, int localPort, int remoteAddr, int remotePort) {
  /** Whether this is the tuple, compared field by field (no key object to build). */
  boolean matches(int localAddr, int localPort, int remoteAddr, int remotePort) {
    return this.localAddr == localAddr && this.localPort == localPort && this.remoteAddr == remoteAddr
        && this.remotePort == remotePort;
  }

  @Override
  public String toString() {
    return addr(localAddr) + ":" + localPort + "-" + addr(remoteAddr) + ":" + remotePort;
  }

  static String addr(int a) {
    return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
  }
}
