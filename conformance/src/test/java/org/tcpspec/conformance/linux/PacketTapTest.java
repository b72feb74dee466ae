package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;
import org.tcpspec.wire.TcpFlags;

/** A tap on tun0 of a namespace of its own, as the linux system under test opens it. */
class PacketTapTest {
  @BeforeAll
  static void namespacesPossible() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
  }

  private Netns ns;
  private TunDevice tun;

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.create("taptest");
    tun = TunDevice.open(ns, TunConfig.packetdrill());
  }

  @AfterEach
  void tearDown() {
    tun.close();
    ns.close();
  }

  /**
   * Closing a tap closes no arena: closing a shared one stops every thread of the JVM for a
   * handshake, which held up another linux cell's play under {@code run -j 2}.
   */
  @Test
  void closeLeavesTheBuffersToTheGarbageCollector() throws Exception {
    PacketTap tap = PacketTap.open(ns, tun.name());
    var buffers = tap.bufferScope();
    tap.close();
    assertTrue(buffers.isAlive(), "the tap's arena was closed");
  }

  /**
   * The tap hands out what the kernel sends out of the device, not the packets written into it: the
   * first packet after a SYN to a closed port is the kernel's RST, not the tap's copy of the SYN.
   */
  @Test
  void handsOutTheKernelsPacketsNotTheInjectedOnes() throws Exception {
    try (PacketTap tap = PacketTap.open(ns, tun.name())) {
      tun.transmit(SegmentEmitter.emit(new Segment(REMOTE, LOCAL, 40000, 9, 777, 0, TcpFlags.SYN, 65535, 0,
          List.of(), new byte[0])));
      byte[] first = tap.receive(2_000_000_000L).orElseThrow().packet();
      Segment s = assertInstanceOf(ParseResult.Parsed.class, SegmentParser.parse(first, 0, first.length)).segment();
      assertEquals(LOCAL, s.srcAddr(), "the first packet is from the kernel: " + s);
      assertTrue(s.has(TcpFlags.RST), "the kernel's answer to a SYN to a closed port: " + s);
    }
  }

  private static final int LOCAL = 0xC0A80001; // 192.168.0.1
  private static final int REMOTE = 0xC0000201; // 192.0.2.1
}
