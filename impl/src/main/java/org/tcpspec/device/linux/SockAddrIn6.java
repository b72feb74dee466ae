package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import org.tcpspec.abi.Symbol;
import org.tcpspec.wire.IpAddress;

/**
 * struct sockaddr_in6 (28 bytes, RFC 3493 §3.3): sa_family_t sin6_family (host order), in_port_t
 * sin6_port (network order), uint32_t sin6_flowinfo, struct in6_addr sin6_addr (16 bytes, network
 * order), uint32_t sin6_scope_id. An IPv4 address is written in its IPv4-mapped form
 * ::ffff:a.b.c.d (RFC 4291 §2.5.5.2), the form an AF_INET6 socket binds and connects to for IPv4
 * peers, as packetdrill's ipv4-mapped-ipv6 runs do. Flow information and scope are 0 when written
 * (no flow label, no link-local scope) and ignored when read.
 *
 * @param address the address, an IPv4 one standing for its mapped form
 * @param port 0..65535
 */
public record SockAddrIn6(IpAddress address, int port) implements SockAddr {
  public static final int SIZE = 28;
  private static final int PORT = 2;
  private static final int FLOWINFO = 4;
  private static final int ADDRESS = 8;
  private static final int SCOPE_ID = 24;

  public SockAddrIn6 {
    if (port < 0 || port > 0xFFFF) throw new IllegalArgumentException("port out of range: " + port);
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public void write(MemorySegment into) {
    into.asSlice(0, SIZE).fill((byte) 0);
    into.set(JAVA_SHORT, 0, (short) Symbol.AF_INET6.value());
    into.set(JAVA_BYTE, PORT, (byte) (port >>> 8));
    into.set(JAVA_BYTE, PORT + 1, (byte) port);
    into.set(JAVA_INT, FLOWINFO, 0);
    byte[] bytes = address.bytes();
    for (int i = 0; i < 16; i++) into.set(JAVA_BYTE, ADDRESS + i, bytes[i]);
    into.set(JAVA_INT, SCOPE_ID, 0);
  }

  /** Reads a sockaddr_in6; the caller has checked the family. */
  public static SockAddrIn6 read(MemorySegment from) {
    int port = ((from.get(JAVA_BYTE, PORT) & 0xFF) << 8) | (from.get(JAVA_BYTE, PORT + 1) & 0xFF);
    byte[] bytes = new byte[16];
    for (int i = 0; i < 16; i++) bytes[i] = from.get(JAVA_BYTE, ADDRESS + i);
    return new SockAddrIn6(IpAddress.of(bytes), port);
  }

  @Override
  public String toString() {
    return "[" + (address.isIpv4() ? "::ffff:" + address : address.toString()) + "]:" + port;
  }
}
