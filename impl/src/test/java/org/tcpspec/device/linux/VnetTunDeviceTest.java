package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * packetdrill's device (IFF_VNET_HDR, TUNSETOFFLOAD with TSO) in a namespace of its own, with the
 * test playing the remote TCP (192.0.2.1) against a kernel listener on 192.168.0.1.
 */
class VnetTunDeviceTest {
  @BeforeAll
  static void namespacesPossible() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
  }

  private static final long SECOND = 1_000_000_000L;
  private static final int LOCAL = Ipv4Cidr.parseAddress("192.168.0.1");
  private static final int REMOTE = Ipv4Cidr.parseAddress("192.0.2.1");
  private static final int PORT = 8080;
  private static final int REMOTE_PORT = 40000;
  private static final int MSS = 1000;
  private static final int MTU = 1500;

  private Netns ns;
  private TunDevice tun;
  private ServerSocket listener;

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.create("vnettest");
    tun = TunDevice.open(ns, TunConfig.packetdrill().withOffloads(TunOffloads.PACKETDRILL));
    listener = ns.call(() -> new ServerSocket(PORT, 1, InetAddress.getByName("192.168.0.1")));
    listener.setSoTimeout(2000);
  }

  @AfterEach
  void tearDown() throws Exception {
    listener.close();
    tun.close();
    ns.close();
  }

  /** An accepted kernel connection and the next sequence numbers of both sides. */
  private record Connection(Socket socket, int localNxt, int remoteNxt) {}

  /** The handshake with MSS 1000 announced by the remote side, as packetdrill scripts do. */
  private Connection establish() throws Exception {
    int iss = 1000;
    tun.transmit(SegmentEmitter.emit(new Segment(REMOTE, LOCAL, REMOTE_PORT, PORT, iss, 0,
        TcpFlags.SYN, 65535, 0, List.of(new TcpOption.Mss(MSS)), new byte[0])));
    Segment synAck = parse(awaitTcpPlain(40));
    assertEquals(TcpFlags.SYN | TcpFlags.ACK, synAck.flags(), synAck.toString());
    int localNxt = synAck.seq() + 1;
    tun.transmit(ack(iss + 1, localNxt));
    return new Connection(listener.accept(), localNxt, iss + 1);
  }

  private static byte[] ack(int seq, int ack) {
    return SegmentEmitter.emit(new Segment(REMOTE, LOCAL, REMOTE_PORT, PORT, seq, ack,
        TcpFlags.ACK, 65535, 0, List.of(), new byte[0]));
  }

  @Test
  void kernelBulkDataLeavesAsTcpv4SuperPacketsOfMssSizedSegmentsWithPartialChecksums()
      throws Exception {
    Connection c = establish();
    c.socket().getOutputStream().write(new byte[10 * MSS]);
    TunDevice.Received data = awaitTcp();
    VirtioNetHeader h = data.header();
    assertEquals(VirtioNetHeader.GSO_TCPV4, h.gsoType(), h.toString());
    assertEquals(MSS, h.gsoSize(), h.toString());
    assertTrue(data.packet().length > MTU, data.packet().length + " bytes: not beyond the MTU");
    assertTrue(h.needsChecksum(), h.toString());
    assertEquals(20, h.csumStart(), "the TCP header follows the 20-byte IPv4 header");
    assertEquals(16, h.csumOffset(), "the TCP checksum field");
    assertEquals(
        "tcp.checksum",
        assertInstanceOf(ParseResult.Malformed.class, parse0(data.packet())).field(),
        "a partial checksum does not verify as it is");
    h.completeChecksum(MemorySegment.ofArray(data.packet()));
    Segment s = parse(data.packet());
    assertEquals(c.localNxt(), s.seq());
    assertEquals(data.packet().length - 40, s.payloadLength());
    assertTrue(s.payloadLength() >= 2 * MSS, s.toString());
  }

  @Test
  void plainReadsHandOverSuperPacketsWithTheChecksumCompleted() throws Exception {
    Connection c = establish();
    c.socket().getOutputStream().write(new byte[10 * MSS]);
    byte[] packet = awaitTcpPlain(41);
    Segment s = parse(packet);
    assertEquals(c.localNxt(), s.seq());
    assertTrue(packet.length > MTU, s.toString());
  }

  @Test
  void gsoSuperPacketWrittenReachesTheApplicationAsItsSegments() throws Exception {
    Connection c = establish();
    byte[] text = new byte[3 * MSS];
    for (int i = 0; i < text.length; i++) text[i] = (byte) (i * 7);
    byte[] packet = SegmentEmitter.emit(new Segment(REMOTE, LOCAL, REMOTE_PORT, PORT,
        c.remoteNxt(), c.localNxt(), TcpFlags.ACK | TcpFlags.PSH, 65535, 0, List.of(), text));
    try (Arena arena = Arena.ofConfined()) {
      tun.write(VirtioNetHeader.gso(VirtioNetHeader.GSO_TCPV4, MSS),
          arena.allocateFrom(ValueLayout.JAVA_BYTE, packet));
    }
    c.socket().setSoTimeout(2000);
    InputStream in = c.socket().getInputStream();
    assertArrayEquals(text, in.readNBytes(text.length));
  }

  @Test
  void packetWrittenWithAZeroHeaderIsDeliveredToAKernelSocket() throws Exception {
    try (DatagramSocket socket =
            ns.call(() -> new DatagramSocket(new InetSocketAddress("192.168.0.1", 7777)));
        Arena arena = Arena.ofConfined()) {
      socket.setSoTimeout(2000);
      for (String text : List.of("plain transmit", "explicit NONE header")) {
        byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        byte[] udp = TunDeviceTest.udpPacket("192.0.2.1", 9, "192.168.0.1", 7777, payload);
        if (text.startsWith("plain")) {
          tun.transmit(udp);
        } else {
          tun.write(VirtioNetHeader.NONE, arena.allocateFrom(ValueLayout.JAVA_BYTE, udp));
        }
        DatagramPacket got = new DatagramPacket(new byte[100], 100);
        socket.receive(got);
        assertEquals(
            text, new String(got.getData(), 0, got.getLength(), StandardCharsets.US_ASCII));
      }
    }
  }

  @Test
  void aDeviceWithoutTheHeaderRefusesAGsoWrite() throws Exception {
    try (Netns plainNs = Netns.create("plaintun");
        TunDevice plain = TunDevice.open(plainNs, TunConfig.packetdrill());
        Arena arena = Arena.ofConfined()) {
      var e = assertThrows(IllegalStateException.class, () -> plain.write(
          VirtioNetHeader.gso(VirtioNetHeader.GSO_TCPV4, MSS), arena.allocate(40)));
      assertTrue(e.getMessage().contains("IFF_VNET_HDR"), e.getMessage());
    }
  }

  /** The next IPv4 TCP packet with its header; IPv6 chatter is skipped. */
  private TunDevice.Received awaitTcp() throws Exception {
    long deadline = System.nanoTime() + 2 * SECOND;
    while (System.nanoTime() < deadline) {
      Optional<TunDevice.Received> p = tun.readWithHeader(deadline - System.nanoTime());
      if (p.isPresent() && isIpv4Tcp(p.get().packet())) return p.get();
    }
    throw new AssertionError("no IPv4 TCP packet on " + tun);
  }

  /** {@link #awaitTcp} through the plain read, for a packet of at least {@code minLength}. */
  private byte[] awaitTcpPlain(int minLength) throws Exception {
    long deadline = System.nanoTime() + 2 * SECOND;
    while (System.nanoTime() < deadline) {
      Optional<byte[]> p = tun.readPacket(deadline - System.nanoTime());
      if (p.isPresent() && isIpv4Tcp(p.get()) && p.get().length >= minLength) return p.get();
    }
    throw new AssertionError("no IPv4 TCP packet of " + minLength + "+ bytes on " + tun);
  }

  private static boolean isIpv4Tcp(byte[] p) {
    return (p[0] >> 4) == 4 && (p[9] & 0xFF) == 6;
  }

  private static ParseResult parse0(byte[] p) {
    return SegmentParser.parse(p, 0, p.length);
  }

  private static Segment parse(byte[] p) {
    return switch (parse0(p)) {
      case ParseResult.Parsed parsed -> parsed.segment();
      case ParseResult.Malformed m -> throw new AssertionError("malformed: " + m);
    };
  }
}
