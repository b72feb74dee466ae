package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start follows packetdrill's schedule_start_time_usecs, on clocks of the test's own: the
 * second edge seen, {@link JiffyEdge#OFFSET_MICROS} after it; the wait sleeps up to the last
 * stretch before that edge and spins only there. No real time passes except in the one test of the
 * kernel's own tick.
 */
class JiffyEdgeTest {

  /**
   * A clock moving 1 us per reading and by the time slept (plus a wake-up's lateness), whose tick
   * count moves at the given edges.
   */
  private static final class FakeTime {
    long now;
    final long[] edges;
    final List<Long> sleeps = new ArrayList<>();
    long lateMicros;
    /** When the last sleep ended: the spin runs from there. */
    long awakeSince;

    FakeTime(long now, long... edges) {
      this.now = now;
      this.edges = edges;
      awakeSince = now;
    }

    long micros() {
      return now++;
    }

    long ticks() {
      long n = 0;
      for (long e : edges) if (now >= e) n++;
      return 7 + n;
    }

    void sleep(long micros) {
      sleeps.add(micros);
      now += micros + lateMicros;
      awakeSince = now;
    }
  }

  @Test
  void theStartIsTheOffsetAfterTheEdgeAfterTheFirst() {
    FakeTime time = new FakeTime(12_345, 20_000, 28_000, 40_000);
    long start = JiffyEdge.startMicros(time::ticks, time::micros, time::sleep);
    assertTrue(start >= 27_998 + JiffyEdge.OFFSET_MICROS && start <= 28_002 + JiffyEdge.OFFSET_MICROS,
        "start " + start);
  }

  @Test
  void onlyTheLastStretchBeforeTheEarliestNextEdgeIsSpun() {
    FakeTime time = new FakeTime(12_345, 20_000, 28_000, 40_000);
    JiffyEdge.startMicros(time::ticks, time::micros, time::sleep);
    long spun = 28_000 - time.awakeSince;
    // The first edge is known to within a sleep's step, so the spin starts that much earlier at most.
    assertTrue(spun >= JiffyEdge.SPIN_MICROS && spun <= JiffyEdge.SPIN_MICROS + JiffyEdge.STEP_MICROS,
        "spun " + spun + " us");
    // Sleeping steps up to the first edge, then one sleep to the spin.
    assertTrue(time.sleeps.subList(0, time.sleeps.size() - 1).stream().allMatch(s -> s == JiffyEdge.STEP_MICROS),
        "sleeps " + time.sleeps);
    assertTrue(time.sleeps.getLast() >= JiffyEdge.MIN_GAP_MICROS - JiffyEdge.SPIN_MICROS - JiffyEdge.STEP_MICROS - 10,
        "sleeps " + time.sleeps);
  }

  @Test
  void aLongerGapIsSpunToTheEdge() {
    FakeTime time = new FakeTime(12_345, 20_000, 32_000, 40_000);
    long start = JiffyEdge.startMicros(time::ticks, time::micros, time::sleep);
    assertTrue(start >= 31_998 + JiffyEdge.OFFSET_MICROS && start <= 32_002 + JiffyEdge.OFFSET_MICROS,
        "start " + start);
  }

  @Test
  void aWakeUpPastTheNextEdgeWaitsForTheOneAfter() {
    // Every wake-up 3 ms late: the sleep towards the spin ends past the edge at 28 000.
    FakeTime time = new FakeTime(19_990, 20_000, 28_000, 40_000, 48_000);
    time.lateMicros = 3_000;
    long start = JiffyEdge.startMicros(time::ticks, time::micros, time::sleep);
    // From the wake-up at about 29.5 ms the edge at 28 ms is a first edge again; the next can come
    // no earlier than 36 ms, the sleep to 34.5 ms ends at 37.5 ms, and the spin sees the one at 40.
    assertTrue(start >= 39_998 + JiffyEdge.OFFSET_MICROS && start <= 40_002 + JiffyEdge.OFFSET_MICROS,
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
    FakeTime time = new FakeTime(1_000);
    long start = JiffyEdge.startMicros(time::ticks, time::micros, time::sleep);
    long end = time.now - 1;
    assertTrue(end > 1_000 + JiffyEdge.GIVE_UP_MICROS && end <= 1_000 + JiffyEdge.GIVE_UP_MICROS + JiffyEdge.STEP_MICROS + 3,
        "gave up at " + end);
    assertEquals(end + JiffyEdge.OFFSET_MICROS, start);
    assertTrue(time.sleeps.stream().allMatch(s -> s == JiffyEdge.STEP_MICROS), "looked for the first edge asleep");
  }
}
