package org.tcpspec.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wait's policy on a clock of its own: asleep until {@link DeadlineSleep#SPIN_MICROS} before
 * the deadline, spinning after, never returning early. No real time passes in these tests.
 */
class DeadlineSleepTest {

  /** A clock that moves 1 us per reading and by the time slept, plus the first wake-up's lateness. */
  private static final class FakeClock {
    long now;
    long lateMicros;
    final List<Long> sleeps = new ArrayList<>();
    int readings;

    FakeClock(long now, long lateMicros) {
      this.now = now;
      this.lateMicros = lateMicros;
    }

    long read() {
      readings++;
      return now++;
    }

    void sleep(long micros) {
      sleeps.add(micros);
      now += micros + lateMicros;
      lateMicros = 0;
    }
  }

  @Test
  void aFarDeadlineIsSleptUpToTheSpinThenSpunTo() throws Exception {
    FakeClock clock = new FakeClock(0, 0);
    DeadlineSleep.until(clock::read, 10_000, clock::sleep);
    assertEquals(List.of(10_000 - DeadlineSleep.SPIN_MICROS), clock.sleeps);
    assertEquals(10_000, clock.now - 1, "returned at the first reading at the deadline");
    assertTrue(clock.readings > DeadlineSleep.SPIN_MICROS / 2, "the last stretch spins: " + clock.readings);
  }

  @Test
  void aLateWakeUpInsideTheSpinIsNotSleptAgain() throws Exception {
    FakeClock clock = new FakeClock(0, 200);
    DeadlineSleep.until(clock::read, 5_000, clock::sleep);
    assertEquals(1, clock.sleeps.size(), "one sleep: " + clock.sleeps);
    assertTrue(clock.now - 1 >= 5_000, "never before the deadline: " + (clock.now - 1));
  }

  @Test
  void aWakeUpTooEarlySleepsAgainForWhatIsLeft() throws Exception {
    FakeClock clock = new FakeClock(0, -3_000);
    DeadlineSleep.until(clock::read, 10_000, clock::sleep);
    assertEquals(2, clock.sleeps.size(), "slept again: " + clock.sleeps);
    assertTrue(clock.sleeps.get(1) <= 3_000, "only what was left: " + clock.sleeps);
    assertTrue(clock.now - 1 >= 10_000);
  }

  @Test
  void aDeadlineInThePastReturnsAtOnce() throws Exception {
    FakeClock clock = new FakeClock(500, 0);
    DeadlineSleep.until(clock::read, 100, clock::sleep);
    assertEquals(List.of(), clock.sleeps);
    assertEquals(1, clock.readings);
  }

  @Test
  void anInterruptEndsTheSpin() {
    FakeClock clock = new FakeClock(0, 0);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> DeadlineSleep.until(clock::read, 100, clock::sleep));
    assertTrue(!Thread.interrupted(), "the flag was consumed by the exception");
  }
}
