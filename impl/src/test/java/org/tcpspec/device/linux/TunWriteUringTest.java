package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link TunDevice}'s batched writes ({@link TunWriteUring}): a batch reaches the kernel only when
 * it ends, all of it and in its order, also when it holds more than one submission carries; a
 * packet the kernel refuses fails the batch's end, naming it, and the device writes on. Datagrams
 * to a kernel UDP socket in the device's namespace, each test in its own.
 */
class TunWriteUringTest {
  @BeforeAll
  static void namespacesAndUring() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    assumeTrue(TunWriteUring.whyUnavailable().isEmpty(), () -> "skipped: " + TunWriteUring.whyUnavailable().get());
    assumeTrue(TunDevice.BATCH_WRITES, "skipped: -Dtcpspec.tun.batchWrites=false turns batching off");
  }

  private static final int PORT = 7777;
  private Netns ns;
  private TunDevice tun;
  private DatagramSocket socket;
  private final Arena arena = Arena.ofConfined();

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.create("batchtest");
    tun = TunDevice.open(ns, TunConfig.packetdrill().withOffloads(TunOffloads.PACKETDRILL));
    socket = ns.call(() -> new DatagramSocket(new InetSocketAddress("192.168.0.1", PORT)));
  }

  @AfterEach
  void tearDown() {
    socket.close();
    tun.close();
    ns.close();
    arena.close();
  }

  /** Datagram {@code n} to the socket, in native memory of its own. */
  private MemorySegment datagram(int n) {
    byte[] udp = TunDeviceTest.udpPacket("192.0.2.1", 9, "192.168.0.1", PORT, new byte[] {(byte) (n >>> 8), (byte) n});
    return arena.allocateFrom(ValueLayout.JAVA_BYTE, udp);
  }

  private void transmit(MemorySegment packet) throws IOException {
    tun.transmitNative(packet, (int) packet.byteSize());
  }

  /** The next datagram's number, or -1 when none comes within {@code millis}. */
  private int receive(int millis) throws IOException {
    socket.setSoTimeout(millis);
    DatagramPacket got = new DatagramPacket(new byte[16], 16);
    try {
      socket.receive(got);
    } catch (SocketTimeoutException e) {
      return -1;
    }
    assertEquals(2, got.getLength());
    return ((got.getData()[0] & 0xFF) << 8) | (got.getData()[1] & 0xFF);
  }

  @Test
  void aBatchReachesTheKernelWhenItEndsAllOfItInItsOrder() throws Exception {
    int count = 2 * TunWriteUring.BATCH + 3; // two full submissions on the way, the rest at the end
    tun.beginTransmitBatch();
    for (int i = 0; i < TunWriteUring.BATCH - 1; i++) transmit(datagram(i));
    assertEquals(-1, receive(200), "a datagram arrived before its batch was written");
    for (int i = TunWriteUring.BATCH - 1; i < count; i++) transmit(datagram(i));
    tun.endTransmitBatch();
    for (int i = 0; i < count; i++) assertEquals(i, receive(2000), "datagram " + i);
  }

  @Test
  void aPacketTheKernelRefusesFailsTheBatchAndTheDeviceWritesOn() throws Exception {
    MemorySegment notIp = arena.allocate(28); // version 0: tun_get_user refuses it (EINVAL)
    tun.beginTransmitBatch();
    transmit(datagram(1));
    transmit(notIp);
    transmit(datagram(2)); // linked behind the refused one: cancelled
    IOException e = assertThrows(IOException.class, tun::endTransmitBatch);
    assertTrue(e.getMessage().contains("write 2 of 3: EINVAL"), e.getMessage());
    assertEquals(1, receive(2000));
    assertEquals(-1, receive(200), "the write after the refused one was cancelled");

    tun.beginTransmitBatch();
    transmit(datagram(3));
    tun.endTransmitBatch();
    assertEquals(3, receive(2000));
    transmit(datagram(4)); // and outside a batch, at once
    assertEquals(4, receive(2000));
  }
}
