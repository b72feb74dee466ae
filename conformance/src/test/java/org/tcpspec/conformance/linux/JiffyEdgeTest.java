package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The start follows packetdrill's schedule_start_time_usecs, on clocks of the test's own. */
class JiffyEdgeTest {

  /** A clock moving 1 us per reading whose tick count moves every {@code tickMicros}. */
  private static final class FakeTime {
    long now;
    final long tickMicros;

    FakeTime(long now, long tickMicros) {
      this.now = now;
      this.tickMicros = tickMicros;
    }

    long micros() {
      return now++;
    }

    long ticks() {
      return tickMicros == 0 ? 7 : now / tickMicros;
    }
  }

  @Test
  void theStartIsTheOffsetAfterTheSecondEdgeSeen() {
    FakeTime time = new FakeTime(12_345, 10_000);
    long start = JiffyEdge.startMicros(time::ticks, time::micros);
    // Edges at 20 000 and 30 000; the second is seen within a reading or two of it.
    assertTrue(start >= 29_998 + JiffyEdge.OFFSET_MICROS && start <= 30_002 + JiffyEdge.OFFSET_MICROS,
        "start " + start);
  }

  @Test
  void theKernelsTickMoves() {
    long first = JiffyEdge.ticks();
    long start = JiffyEdge.startMicros(() -> System.nanoTime() / 1000);
    assertTrue(JiffyEdge.ticks() > first, "times(2) moved while the start was looked for");
    assertTrue(start > 0);
  }

  @Test
  void aClockWithoutEdgesStartsAfterGivingUp() {
    FakeTime time = new FakeTime(1_000, 0);
    long start = JiffyEdge.startMicros(time::ticks, time::micros);
    assertEquals(1_000 + JiffyEdge.GIVE_UP_MICROS + 1 + JiffyEdge.OFFSET_MICROS, start);
  }
}
