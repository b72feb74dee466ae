package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.time.SystemClock;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpFlags;

class LinuxTestbedTest {
  @BeforeAll
  static void namespacesPossible() {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
  }

  private static final int LOCAL = 0xC0A80001;
  private static final int REMOTE = 0xC0000201;

  /** A SYN to a port nobody listens on: the kernel answers RST; both land in the pcap file. */
  @Test
  void synToAClosedPortIsAnsweredWithRstAndRecorded(@TempDir Path dir) throws Exception {
    Path pcap = dir.resolve("kernel.pcap");
    String name;
    try (LinuxTestbed kernel =
        LinuxTestbed.open(
            "bedtest", TunConfig.packetdrill(), Optional.of(pcap), SystemClock.INSTANCE)) {
      name = kernel.netns().name();
      kernel.inject(
          new Segment(
              REMOTE, LOCAL, 40000, 9, 777, 0, TcpFlags.SYN, 65535, 0, List.of(), new byte[0]));
      ParseResult answer = kernel.sniff(2_000_000_000L).orElseThrow();
      Segment rst = assertInstanceOf(ParseResult.Parsed.class, answer).segment();
      assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.flags());
      assertEquals(778, rst.ack());
      assertEquals(40000, rst.dstPort());
    }
    assertFalse(Netns.exists(name));
    PcapHandle in = Pcaps.openOffline(pcap.toString());
    int packets = 0;
    try {
      while (true) {
        in.getNextRawPacketEx();
        packets++;
      }
    } catch (EOFException end) {
      assertEquals(2, packets, "the injected SYN and the kernel's RST");
    } finally {
      in.close();
    }
  }

  @Test
  void failedSetupLeavesNoNamespace() throws Exception {
    TunConfig bad = TunConfig.packetdrill().withName("this-name-is-too-long-for-ifnamsiz");
    assertThrows(
        IllegalArgumentException.class,
        () -> LinuxTestbed.open("bedfail", bad, Optional.empty(), SystemClock.INSTANCE));
    String ours = "tcpspec-bedfail-" + ProcessHandle.current().pid() + "-";
    try (var entries = Files.list(Path.of("/run/netns"))) {
      assertTrue(entries.noneMatch(p -> p.getFileName().toString().startsWith(ours)));
    }
  }
}
