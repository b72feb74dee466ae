package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.device.linux.TunDevice;

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
}
