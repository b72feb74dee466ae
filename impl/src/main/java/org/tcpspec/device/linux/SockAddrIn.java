package org.tcpspec.device.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import org.tcpspec.abi.Symbol;

/**
 * struct sockaddr_in (16 bytes): sa_family_t sin_family (host order), in_port_t sin_port and struct
 * in_addr sin_addr (both network order), 8 bytes of zero padding.
 *
 * @param address IPv4 address, big-endian int
 * @param port 0..65535
 */
public record SockAddrIn(int address, int port) implements SockAddr {
  public static final int SIZE = 16;

  public SockAddrIn {
    if (port < 0 || port > 0xFFFF) throw new IllegalArgumentException("port out of range: " + port);
  }

  public static SockAddrIn of(String dottedAddress, int port) {
    return new SockAddrIn(Ipv4Cidr.parseAddress(dottedAddress), port);
  }

  @Override
  public int size() {
    return SIZE;
  }

  /** Writes this address into the first 16 bytes of {@code into}. */
  @Override
  public void write(MemorySegment into) {
    into.asSlice(0, SIZE).fill((byte) 0);
    into.set(JAVA_SHORT, 0, (short) Symbol.AF_INET.value());
    into.set(JAVA_BYTE, 2, (byte) (port >>> 8));
    into.set(JAVA_BYTE, 3, (byte) port);
    for (int i = 0; i < 4; i++) into.set(JAVA_BYTE, 4 + i, (byte) (address >>> (24 - 8 * i)));
  }

  /** Reads a sockaddr_in; the caller has checked the family. */
  public static SockAddrIn read(MemorySegment from) {
    int port = ((from.get(JAVA_BYTE, 2) & 0xFF) << 8) | (from.get(JAVA_BYTE, 3) & 0xFF);
    int address = 0;
    for (int i = 0; i < 4; i++) address = (address << 8) | (from.get(JAVA_BYTE, 4 + i) & 0xFF);
    return new SockAddrIn(address, port);
  }

  @Override
  public String toString() {
    return Ipv4Cidr.formatAddress(address) + ":" + port;
  }
}
