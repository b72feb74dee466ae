package org.tcpspec.device.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.PacketBuffer;
import org.tcpspec.wire.PacketBufferPool;

/**
 * The native reads of a {@link TunDevice} through its io_uring ({@link TunUring}): every packet, in
 * the order the kernel queued them, also when more arrive at once than the ring has buffers; and a
 * wait in the ring that {@link TunDevice#close} ends. Each test in its own namespace.
 */
class TunUringTest {
  @BeforeAll
  static void namespacesAndUring() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    assumeTrue(TunDevice.whyUringUnavailable().isEmpty(), () -> "skipped: " + TunDevice.whyUringUnavailable().get());
  }

  private static final long SECOND = 1_000_000_000L;
  private Netns ns;
  private TunDevice tun;

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.create("uringtest");
    tun = TunDevice.open(ns, TunConfig.packetdrill().withOffloads(TunOffloads.PACKETDRILL));
    tun.wantUring();
  }

  @AfterEach
  void tearDown() {
    tun.close();
    ns.close();
  }

  @Test
  void datagramsSentAtOnceAreReadInTheirOrderThroughTheRing() throws Exception {
    int count = 5 * TunUring.BUFFERS; // more than the ring holds: its read ends (ENOBUFS) and is re-armed
    PacketBufferPool pool = new PacketBufferPool(TunDevice.MAX_PACKET, TunUring.BUFFERS);
    int wanted = tun.buffersWanted();
    assertTrue(tun.readsThroughUring(), "the kernel refused the ring (io_uring disabled, or Linux < 6.7)");
    assertEquals(TunUring.BUFFERS, wanted);
    for (int i = 0; i < wanted; i++) tun.provide(pool.take());
    try (DatagramSocket socket = ns.call(DatagramSocket::new)) {
      for (int i = 0; i < count; i++) {
        byte[] payload = {(byte) (i >>> 8), (byte) i};
        socket.send(new DatagramPacket(payload, 2, InetAddress.getByName("192.0.2.1"), 9999));
      }
    }
    int next = 0;
    long deadline = System.nanoTime() + 5 * SECOND;
    while (next < count && System.nanoTime() < deadline) {
      int length = tun.receiveProvided();
      if (length == 0) {
        tun.awaitPacket(100_000_000L);
        continue;
      }
      PacketBuffer buffer = tun.receivedBuffer();
      MemorySegment into = buffer.memory();
      tun.provide(buffer);
      if ((into.get(ValueLayout.JAVA_BYTE, 0) >> 4) != 4 || into.get(ValueLayout.JAVA_BYTE, 9) != 17) continue;
      assertEquals(30, length, "IPv4 + UDP + 2 bytes");
      int seen = (Byte.toUnsignedInt(into.get(ValueLayout.JAVA_BYTE, 28)) << 8)
          | Byte.toUnsignedInt(into.get(ValueLayout.JAVA_BYTE, 29));
      assertEquals(next, seen, "datagram out of order");
      assertEquals(0, tun.rxGsoSize());
      next++;
    }
    assertEquals(count, next, "datagrams read");
  }

  @Test
  void closeEndsAWaitInTheRing() throws Exception {
    CompletableFuture<Throwable> loop = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try {
        tun.buffersWanted(); // the ring is the waiting thread's
        while (true) tun.awaitPacket(-1);
      } catch (Throwable t) {
        loop.complete(t);
      }
    });
    Thread.sleep(100);
    long start = System.nanoTime();
    tun.close();
    assertInstanceOf(ClosedChannelException.class, loop.get(2, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start < SECOND, "the wait outlived close by a second");
  }
}
