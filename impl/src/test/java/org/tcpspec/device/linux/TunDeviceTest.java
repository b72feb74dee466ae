package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each test in its own namespace with tun0 = 192.168.0.1/24 and a route to 192.0.2.0/24. */
class TunDeviceTest {
  @BeforeAll
  static void namespacesPossible() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
  }

  private static final int UDP = 17;
  private static final long SECOND = 1_000_000_000L;
  private Netns ns;
  private TunDevice tun;

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.create("tuntest");
    tun = TunDevice.open(ns, TunConfig.packetdrill().withMtu(1400));
  }

  @AfterEach
  void tearDown() {
    tun.close();
    ns.close();
  }

  @Test
  void ioctlsConfigureNameMtuQueueAddressLinkAndRoute() throws Exception {
    assertEquals("tun0", tun.name());
    assertEquals(1400, tun.mtu());
    assertTrue(ns.isUp("tun0"));
    String link = ns.exec(List.of("ip", "-o", "link", "show", "tun0")).output();
    assertTrue(link.contains("mtu 1400"), link);
    assertTrue(link.contains("qlen 32768"), link);
    assertTrue(link.contains(",UP"), link);
    String addr = ns.exec(List.of("ip", "-o", "-4", "addr", "show", "dev", "tun0")).output();
    assertTrue(addr.contains("inet 192.168.0.1/24"), addr);
    String routes = ns.exec(List.of("ip", "-4", "route", "show")).output();
    assertTrue(routes.contains("192.0.2.0/24 dev tun0"), routes);
    assertTrue(routes.contains("192.168.0.0/24 dev tun0"), routes);
  }

  @Test
  void datagramTheKernelRoutesToTheRemoteSideIsReadFromTheTun() throws Exception {
    try (DatagramSocket socket = ns.call(DatagramSocket::new)) {
      byte[] hello = "hello tun".getBytes(StandardCharsets.US_ASCII);
      socket.send(
          new DatagramPacket(hello, hello.length, InetAddress.getByName("192.0.2.1"), 9999));
      byte[] packet = awaitIpv4(UDP, 2 * SECOND);
      assertEquals(0x45, packet[0] & 0xFF, "IPv4, 20-byte header");
      assertEquals(Ipv4Cidr.parseAddress("192.168.0.1"), readInt(packet, 12));
      assertEquals(Ipv4Cidr.parseAddress("192.0.2.1"), readInt(packet, 16));
      assertEquals(9999, ((packet[22] & 0xFF) << 8) | (packet[23] & 0xFF));
      assertArrayEquals(hello, java.util.Arrays.copyOfRange(packet, 28, packet.length));
    }
  }

  @Test
  void packetWrittenToTheTunIsDeliveredToAKernelSocket() throws Exception {
    try (DatagramSocket socket =
        ns.call(() -> new DatagramSocket(new InetSocketAddress("192.168.0.1", 7777)))) {
      socket.setSoTimeout(2000);
      byte[] payload = "from the wire".getBytes(StandardCharsets.US_ASCII);
      tun.transmit(udpPacket("192.0.2.1", 9, "192.168.0.1", 7777, payload));
      DatagramPacket got = new DatagramPacket(new byte[100], 100);
      socket.receive(got);
      assertEquals("192.0.2.1", got.getAddress().getHostAddress());
      assertEquals(9, got.getPort());
      assertEquals(
          "from the wire",
          new String(got.getData(), 0, got.getLength(), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void readPacketTimesOutWhenNothingArrives() throws Exception {
    long start = System.nanoTime();
    Optional<byte[]> nothing = tun.readPacket(50_000_000L);
    long elapsed = System.nanoTime() - start;
    assertFalse(nothing.isPresent());
    assertTrue(elapsed >= 50_000_000L, "returned after " + elapsed + " ns");
    assertEquals(
        0, tun.read(new byte[TunDevice.MAX_PACKET]), "non-blocking read of an empty queue");
  }

  @Test
  void closeWakesAReaderWaitingForever() throws Exception {
    CompletableFuture<Throwable> reader = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              try {
                tun.readPacket(-1);
                reader.complete(new AssertionError("readPacket returned"));
              } catch (Throwable t) {
                reader.complete(t);
              }
            });
    Thread.sleep(50);
    tun.close();
    assertInstanceOf(ClosedChannelException.class, reader.get(2, TimeUnit.SECONDS));
    assertThrows(ClosedChannelException.class, () -> tun.transmit(new byte[20]));
    String link = ns.exec(List.of("ip", "link", "show", "tun0")).toString();
    assertNotEquals(0, ns.exec(List.of("ip", "link", "show", "tun0")).exitCode(), link);
  }

  /**
   * Closing a device closes no arena: closing a shared one stops every thread of the JVM for a
   * handshake, which held up another linux cell's play under {@code run -j 2}. The buffers stay
   * valid until the garbage collector takes the device, and the device refuses use after close.
   */
  @Test
  void closeLeavesTheBuffersToTheGarbageCollector() throws Exception {
    var buffers = tun.bufferScope();
    tun.close();
    assertTrue(buffers.isAlive(), "the device's arena was closed");
    assertThrows(ClosedChannelException.class, () -> tun.readPacket(0));
    assertThrows(ClosedChannelException.class, () -> tun.write(new byte[20], 0, 20));
  }

  /** Reads until an IPv4 packet of {@code protocol} arrives; IPv6 chatter is skipped. */
  private byte[] awaitIpv4(int protocol, long timeoutNanos) throws Exception {
    long deadline = System.nanoTime() + timeoutNanos;
    while (System.nanoTime() < deadline) {
      Optional<byte[]> p = tun.readPacket(deadline - System.nanoTime());
      if (p.isPresent() && (p.get()[0] >> 4) == 4 && (p.get()[9] & 0xFF) == protocol) {
        return p.get();
      }
    }
    throw new AssertionError("no IPv4 packet of protocol " + protocol + " on " + tun);
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  /** IPv4 + UDP with the IP header checksum; UDP checksum 0 means "none" in IPv4 (RFC 768). */
  static byte[] udpPacket(String src, int srcPort, String dst, int dstPort, byte[] payload) {
    int total = 28 + payload.length;
    byte[] p = new byte[total];
    p[0] = 0x45;
    p[2] = (byte) (total >>> 8);
    p[3] = (byte) total;
    p[8] = 64;
    p[9] = UDP;
    putInt(p, 12, Ipv4Cidr.parseAddress(src));
    putInt(p, 16, Ipv4Cidr.parseAddress(dst));
    int sum = 0;
    for (int i = 0; i < 20; i += 2) sum += ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
    while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
    p[10] = (byte) (~sum >>> 8);
    p[11] = (byte) ~sum;
    p[20] = (byte) (srcPort >>> 8);
    p[21] = (byte) srcPort;
    p[22] = (byte) (dstPort >>> 8);
    p[23] = (byte) dstPort;
    p[24] = (byte) ((8 + payload.length) >>> 8);
    p[25] = (byte) (8 + payload.length);
    System.arraycopy(payload, 0, p, 28, payload.length);
    return p;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
