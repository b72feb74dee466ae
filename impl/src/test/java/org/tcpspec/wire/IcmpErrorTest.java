package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link IcmpError#parse}: the quoted TCP header of an ICMP or ICMPv6 error, and nothing else. */
class IcmpErrorTest {

  /** Port unreachable from 192.0.2.1 about our segment 192.168.0.1:8080 -> 192.0.2.1:40000, seq 0x01020304. */
  private static byte[] portUnreachable4() {
    ByteBuffer b = ByteBuffer.allocate(20 + 8 + 20 + 8);
    b.put(0, (byte) 0x45).putShort(2, (short) b.capacity()).put(8, (byte) 64).put(9, (byte) 1)
        .putInt(12, Packets.REMOTE).putInt(16, Packets.LOCAL);
    b.putShort(10, (short) InternetChecksum.compute(b.array(), 0, 20));
    b.put(20, (byte) 3).put(21, (byte) 3);
    b.put(28, (byte) 0x45).putShort(30, (short) 40).put(37, (byte) 6).putInt(40, Packets.LOCAL).putInt(44, Packets.REMOTE);
    b.putShort(48, (short) 8080).putShort(50, (short) 40000).putInt(52, 0x01020304);
    b.putShort(22, (short) InternetChecksum.compute(b.array(), 20, 36));
    return b.array();
  }

  @Test
  void anIpv4ErrorGivesTheQuotedConnectionAndSequenceNumber() {
    byte[] p = portUnreachable4();
    assertEquals(Optional.of(new IcmpError(false, 3, 3, IpAddress.ipv4(Packets.LOCAL), 8080,
        IpAddress.ipv4(Packets.REMOTE), 40000, 0x01020304)), IcmpError.parse(p, 0, p.length));
  }

  @Test
  void aFragmentationNeededCarriesItsNextHopMtu() {
    byte[] p = portUnreachable4();
    ByteBuffer b = ByteBuffer.wrap(p);
    b.put(21, (byte) IcmpError.V4_FRAG_NEEDED).putShort(26, (short) 1200).putShort(22, (short) 0);
    b.putShort(22, (short) InternetChecksum.compute(p, 20, 36));
    assertEquals(Optional.of(new IcmpError(false, 3, 4, IpAddress.ipv4(Packets.LOCAL), 8080,
        IpAddress.ipv4(Packets.REMOTE), 40000, 0x01020304, 1200)), IcmpError.parse(p, 0, p.length));
  }

  @Test
  void aWrongChecksumAnEchoAndATruncatedQuoteAreNoErrors() {
    byte[] bad = portUnreachable4();
    bad[55] ^= 1;
    assertTrue(IcmpError.parse(bad, 0, bad.length).isEmpty());
    byte[] echo = portUnreachable4();
    echo[20] = 8;
    echo[22] = 0;
    echo[23] = 0;
    ByteBuffer.wrap(echo).putShort(22, (short) InternetChecksum.compute(echo, 20, 36));
    assertTrue(IcmpError.parse(echo, 0, echo.length).isEmpty());
    byte[] p = portUnreachable4();
    assertTrue(IcmpError.parse(p, 0, p.length - 4).isEmpty());
  }

  @Test
  void anIcmpv6ErrorIsCheckedOverThePseudoHeader() {
    IpAddress remote = Packets.REMOTE6;
    IpAddress local = Packets.LOCAL6;
    ByteBuffer b = ByteBuffer.allocate(40 + 8 + 40 + 8);
    b.putInt(0, 6 << 28).putShort(4, (short) 56).put(6, (byte) 58).put(7, (byte) 64).put(8, remote.bytes())
        .put(24, local.bytes());
    b.put(40, (byte) 1).put(41, (byte) 3);
    b.putInt(48, 6 << 28).putShort(52, (short) 20).put(54, (byte) 6).put(56, local.bytes()).put(72, remote.bytes());
    b.putShort(88, (short) 8080).putShort(90, (short) 40000).putInt(92, 77);
    int pseudo = InternetChecksum.pseudoHeaderSum(remote.high(), remote.low(), local.high(), local.low(), 58, 56);
    b.putShort(42, (short) InternetChecksum.checksum(InternetChecksum.add(pseudo, InternetChecksum.sum(b.array(), 40, 56))));
    byte[] p = b.array();
    assertEquals(Optional.of(new IcmpError(true, 1, 3, local, 8080, remote, 40000, 77)), IcmpError.parse(p, 0, p.length));
    p[95] ^= 1;
    assertTrue(IcmpError.parse(p, 0, p.length).isEmpty());
  }
}
