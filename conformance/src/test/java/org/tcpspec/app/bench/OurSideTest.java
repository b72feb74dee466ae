package org.tcpspec.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What bench prints of our event loop: each way's packets and the segments they stood for. */
class OurSideTest {
  @Test
  void sinceSubtractsEachCounterOfTheEarlierSample() {
    OurSide before = new OurSide(10, 400, 5, 5, 1_000, 1, 1_000_000_000L, 7);
    OurSide after = new OurSide(110, 4_400, 9, 9, 1_500, 3, 2_000_000_000L, 10);
    assertEquals(new OurSide(100, 4_000, 4, 4, 500, 2, 1_000_000_000L, 3), after.since(before));
  }

  @Test
  void theTextShowsEachWaysPacketsSoTheAcksOfAnInboundTransferAreCounted() {
    // 100 super-packets of 40 segments read, 4 ACKs written, in one second, 500 bytes allocated.
    OurSide whole = new OurSide(100, 4_000, 4, 4, 500, 0, 1_000_000_000L, 0);
    assertEquals("4 k segments/s (38.5 per packet; read 100 packets of 40.0, written 4 of 1.0), 4.8 B allocated"
        + " per packet (500 bytes over 104 packets after warm-up)", whole.text(whole));
  }

  @Test
  void packetsLeftInTheBacklogAreCountedAmongThoseRead() {
    OurSide whole = new OurSide(100, 4_000, 4, 4, 0, 0, 1_000_000_000L, 30);
    assertEquals("4 k segments/s (38.5 per packet; read 100 packets of 40.0, 30 of them left in the backlog, written 4"
        + " of 1.0), 0.0 B allocated per packet (0 bytes over 104 packets after warm-up)", whole.text(whole));
  }

  @Test
  void aDirectionWithoutPacketsShowsZeroSegmentsPerPacket() {
    OurSide idle = new OurSide(0, 0, 0, 0, 0, 0, 1_000_000_000L, 0);
    assertEquals("0 k segments/s (0.0 per packet; read 0 packets of 0.0, written 0 of 0.0), 0.0 B allocated per"
        + " packet (0 bytes over 0 packets after warm-up)", idle.text(OurSide.NOTHING));
  }
}
