package org.tcpspec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.ParseResult.Parsed;
import org.tcpspec.wire.TcpOption.Mss;
import org.tcpspec.wire.TcpOption.Nop;
import org.tcpspec.wire.TcpOption.SackPermitted;
import org.tcpspec.wire.TcpOption.Timestamp;
import org.tcpspec.wire.TcpOption.WindowScale;

/**
 * Segments the Linux kernel sent, captured byte for byte by {@code
 * src/test/resources/fixtures/capture-linux-fixtures.sh} (Linux 6.18, see each file's header):
 * they parse to the fields Linux chose, and emitting what was parsed gives the same bytes back.
 */
class LinuxFixturesTest {

  private static final int KERNEL = 0xC0A80001; // 192.168.0.1
  private static final int PEER = 0xC0000201; // 192.0.2.1

  private static byte[] fixture(String name) {
    try (InputStream in = LinuxFixturesTest.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) throw new AssertionError("missing fixture " + name);
      return Hex.bytes(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Parses the fixture, checks that emit reproduces it exactly, returns what was parsed. */
  private static Parsed parseAndReEmit(String name) {
    byte[] bytes = fixture(name);
    Parsed p = assertInstanceOf(Parsed.class, SegmentParser.parse(bytes, 0, bytes.length));
    assertArrayEquals(bytes, SegmentEmitter.emit(p.segment(), p.ip()), name + " re-emitted byte for byte");
    assertEquals(KERNEL, p.segment().srcAddr());
    assertEquals(PEER, p.segment().dstAddr());
    return p;
  }

  /** Linux's SYN option layout (tcp_options_write): mss, sackOK, TS, nop, wscale. */
  @Test
  void kernelSyn() {
    Parsed p = parseAndReEmit("linux-syn.hex");
    Segment s = p.segment();
    assertEquals(38302, s.srcPort());
    assertEquals(8080, s.dstPort());
    assertEquals(TcpFlags.SYN, s.flags());
    assertEquals(1083972071L, SeqNum.unsigned(s.seq()));
    assertEquals(0, s.ack());
    assertEquals(64240, s.window());
    assertEquals(
        List.of(new Mss(1460), new SackPermitted(), new Timestamp(0xd6cdd3c2, 0), new Nop(), new WindowScale(10)),
        s.options());
    assertEquals(1, s.segLen());
    assertEquals(new Ipv4Params(0, 0x5871, true, 64), p.ip());
  }

  @Test
  void kernelSynAckFromAListener() {
    Parsed p = parseAndReEmit("linux-synack.hex");
    Segment s = p.segment();
    assertEquals(8080, s.srcPort());
    assertEquals(40000, s.dstPort());
    assertEquals(TcpFlags.SYN | TcpFlags.ACK, s.flags());
    assertEquals(2553837867L, SeqNum.unsigned(s.seq()));
    assertEquals(1001, s.ack(), "our ISN 1000 plus the SYN");
    assertEquals(65160, s.window());
    assertEquals(
        List.of(new Mss(1460), new SackPermitted(), new Timestamp(0x9e42fc4c, 100), new Nop(), new WindowScale(10)),
        s.options(), "TSecr echoes our TSval 100");
    assertEquals(Ipv4Params.DEFAULT, p.ip(), "a listener's SYN-ACK carries IP ID 0");
  }

  @Test
  void kernelDataSegment() {
    Parsed p = parseAndReEmit("linux-data.hex");
    Segment s = p.segment();
    assertEquals(TcpFlags.PSH | TcpFlags.ACK, s.flags());
    assertEquals(2553837868L, SeqNum.unsigned(s.seq()), "ISS + 1");
    assertEquals(1001, s.ack());
    assertEquals(64, s.window(), "scaled by 2^10: 65536 bytes");
    assertEquals(List.of(new Nop(), new Nop(), new Timestamp(0x9e42fc4d, 101)), s.options());
    assertArrayEquals("hello from the kernel\n".getBytes(StandardCharsets.US_ASCII), s.payload());
    assertEquals(22, s.segLen());
    assertEquals(new Ipv4Params(0, 0x17aa, true, 64), p.ip());
  }

  /** RFC 9293 §3.10.7.1: a SYN to a closed port gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
  @Test
  void kernelRstForAClosedPort() {
    Parsed p = parseAndReEmit("linux-rst.hex");
    Segment s = p.segment();
    assertEquals(9, s.srcPort());
    assertEquals(40001, s.dstPort());
    assertEquals(TcpFlags.RST | TcpFlags.ACK, s.flags());
    assertEquals(0, s.seq());
    assertEquals(5001, s.ack());
    assertEquals(0, s.window());
    assertEquals(List.of(), s.options());
    assertEquals(Ipv4Params.DEFAULT, p.ip());
  }

  /** The same bytes through the flyweights alone: both checksums as Linux computed them. */
  @Test
  void kernelChecksumsVerifyThroughTheFlyweights() {
    for (String name : List.of("linux-syn.hex", "linux-synack.hex", "linux-data.hex", "linux-rst.hex")) {
      byte[] b = fixture(name);
      Ipv4Header ip = new Ipv4Header().wrap(b, 0, b.length);
      assertTrue(ip.headerChecksumValid(), name);
      TcpHeader tcp = new TcpHeader().wrap(ip, ip.headerLength(), ip.totalLength() - ip.headerLength());
      assertEquals(tcp.checksum(), tcp.computeChecksum(ip.srcAddr(), ip.dstAddr()), name);
    }
  }
}
