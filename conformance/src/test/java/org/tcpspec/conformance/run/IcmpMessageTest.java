package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.script.IcmpPacket;
import org.tcpspec.conformance.script.IpFields;
import org.tcpspec.conformance.script.Pos;
import org.tcpspec.conformance.script.TcpPacket;
import org.tcpspec.wire.InternetChecksum;
import org.tcpspec.wire.IpAddress;

/** Inbound ICMPv6 messages as packetdrill's icmp_packet.c builds them (RFC 4443). */
class IcmpMessageTest {
  private static final IpAddress REMOTE = IpAddress.parse("2001:db8::1");
  private static final IpAddress LOCAL = IpAddress.parse("fd3d:fa7b:d17d::1");

  private static IcmpPacket packet(int type, int code, OptionalInt mtu, IcmpPacket.Quoted quoted) {
    return new IcmpPacket(new Pos("t.pkt", 1, 1), TcpPacket.Direction.INBOUND, IpFields.NONE, true, "t", type, code,
        mtu, 0, quoted);
  }

  @Test
  void packetTooBigCarriesTheMtuInThirtyTwoBitsAndQuotesTheSocketsSegment() {
    byte[] p = IcmpMessage.build6(packet(2, 0, OptionalInt.of(1280), new IcmpPacket.Quoted.Tcp(1, 1000)),
        0, 0, 0, REMOTE, LOCAL, 48123, 8080, 0x1234_5678);
    ByteBuffer b = ByteBuffer.wrap(p);
    assertEquals(40 + 8 + 40 + 8, p.length);
    assertEquals(6, (p[0] & 0xFF) >>> 4, "version");
    assertEquals(p.length - 40, b.getShort(4) & 0xFFFF, "payload length");
    assertEquals(58, p[6], "next header: ICMPv6");
    assertEquals(255, p[7] & 0xFF, "hop limit: packetdrill's 255 when the line gives none");
    assertArrayEquals(REMOTE.bytes(), Arrays.copyOfRange(p, 8, 24));
    assertArrayEquals(LOCAL.bytes(), Arrays.copyOfRange(p, 24, 40));
    assertEquals(2, p[40], "type: packet too big");
    assertEquals(0, p[41]);
    assertEquals(1280, b.getInt(44), "MTU");
    int quoted = 48;
    assertEquals(6, (p[quoted] & 0xFF) >>> 4);
    assertEquals(20 + 1000, b.getShort(quoted + 4) & 0xFFFF, "the quoted packet's payload length, as if whole");
    assertEquals(InternetChecksum.PROTOCOL_TCP, p[quoted + 6]);
    assertArrayEquals(LOCAL.bytes(), Arrays.copyOfRange(p, quoted + 8, quoted + 24), "quoted: from the system under test");
    assertArrayEquals(REMOTE.bytes(), Arrays.copyOfRange(p, quoted + 24, quoted + 40));
    assertEquals(8080, b.getShort(quoted + 40) & 0xFFFF);
    assertEquals(48123, b.getShort(quoted + 42) & 0xFFFF);
    assertEquals(0x1234_5678, b.getInt(quoted + 44));
  }

  @Test
  void theChecksumCoversTheIpv6PseudoHeader() {
    byte[] p = IcmpMessage.build6(packet(1, 4, OptionalInt.empty(), new IcmpPacket.Quoted.Tcp(0, 0)),
        0, 0, 0, REMOTE, LOCAL, 48123, 8080, 7);
    int length = p.length - 40;
    int sum = InternetChecksum.add(
        InternetChecksum.pseudoHeaderSum(REMOTE.high(), REMOTE.low(), LOCAL.high(), LOCAL.low(), 58, length),
        InternetChecksum.sum(p, 40, length));
    assertTrue(InternetChecksum.verifies(sum), "ICMPv6 checksum with the pseudo-header of RFC 8200 §8.1");
    assertEquals(1, p[40], "destination unreachable");
    assertEquals(4, p[41], "port unreachable");
  }

  @Test
  void theLinesTrafficClassFlowLabelAndHopLimitGoIntoTheOuterHeader() {
    byte[] p = IcmpMessage.build6(packet(1, 3, OptionalInt.empty(), new IcmpPacket.Quoted.Raw(8)),
        0xb8, 0x12345, 9, REMOTE, LOCAL, 48123, 8080, 0);
    assertEquals((6 << 28) | (0xb8 << 20) | 0x12345, ByteBuffer.wrap(p).getInt(0));
    assertEquals(9, p[7]);
    assertEquals(40 + 8, p.length, "raw: the ICMPv6 message is the given bytes, nothing quoted");
  }
}
