package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.IpAddress;

/** The socket addresses as C lays them out on x86-64 Linux (family in host order, the rest in network order). */
class SockAddrTest {

  private static byte[] bytes(SockAddr a) {
    try (Arena arena = Arena.ofConfined()) {
      return a.allocate(arena).toArray(ValueLayout.JAVA_BYTE);
    }
  }

  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text.replace(" ", ""));
  }

  @Test
  void sockaddrIn6IsFamilyPortFlowInfoAddressScopeIn28Bytes() {
    SockAddrIn6 a = new SockAddrIn6(IpAddress.parse("2001:db8::1"), 8080);
    assertEquals(28, a.size());
    // sin6_family 10 (AF_INET6, little-endian), sin6_port 0x1f90, sin6_flowinfo 0,
    // sin6_addr 2001:0db8::0001, sin6_scope_id 0
    assertArrayEquals(hex("0a00 1f90 00000000 20010db8000000000000000000000001 00000000"), bytes(a));
  }

  @Test
  void anIpv4AddressIsWrittenInItsMappedForm() {
    SockAddrIn6 a = new SockAddrIn6(IpAddress.parse("192.168.0.1"), 80);
    assertArrayEquals(hex("0a00 0050 00000000 00000000000000000000ffffc0a80001 00000000"), bytes(a));
  }

  @Test
  void sockaddrInIsFamilyPortAddressAndEightZerosIn16Bytes() {
    SockAddrIn a = SockAddrIn.of("192.0.2.1", 8080);
    assertEquals(16, a.size());
    assertArrayEquals(hex("0200 1f90 c0000201 0000000000000000"), bytes(a));
  }

  @Test
  void readTellsTheFamiliesApartAndRefusesShortOrUnknownOnes() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment storage = arena.allocate(SockAddr.STORAGE_SIZE, 8);
      SockAddrIn6 v6 = new SockAddrIn6(IpAddress.parse("fd3d:fa7b:d17d::1"), 48123);
      v6.write(storage);
      assertEquals(Optional.of(v6), SockAddr.read(storage, SockAddrIn6.SIZE));
      assertEquals(Optional.empty(), SockAddr.read(storage, SockAddrIn.SIZE), "a sockaddr_in6 needs 28 bytes");
      SockAddrIn v4 = SockAddrIn.of("192.0.2.1", 40000);
      storage.fill((byte) 0);
      v4.write(storage);
      assertEquals(Optional.of(v4), SockAddr.read(storage, SockAddrIn.SIZE));
      storage.set(ValueLayout.JAVA_SHORT, 0, (short) 1); // AF_UNIX
      assertEquals(Optional.empty(), SockAddr.read(storage, SockAddr.STORAGE_SIZE));
    }
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SockAddrIn6(IpAddress.parse("::1"), 65536));
  }

  @Test
  void anIpv6PrefixClearsTheHostBits() {
    assertEquals("2001:db8::/32", Ipv6Cidr.parse("2001:db8::1/32").network().toString());
    assertEquals("fd3d:fa7b:d17d::/48", Ipv6Cidr.parse("fd3d:fa7b:d17d:8888::1/48").network().toString());
    assertEquals("fd3d:fa7b:d17d::1/128", Ipv6Cidr.parse("fd3d:fa7b:d17d::1/128").network().toString());
    assertEquals("2001:db8:0:1:8000::/65", Ipv6Cidr.parse("2001:db8:0:1:ffff::1/65").network().toString());
    assertEquals("::/0", Ipv6Cidr.parse("2001:db8::1/0").network().toString());
  }
}
