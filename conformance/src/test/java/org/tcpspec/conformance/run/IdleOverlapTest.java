package org.tcpspec.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.tcpspec.conformance.script.Parser;

/** Cells play one at a time, except in another cell's long sleep when they fit in it. */
class IdleOverlapTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /**
   * Tries to admit a cell of {@code estimate} from another thread; whether it got in within 200 ms
   * (then it is done at once; else the attempt is interrupted).
   */
  private static boolean admittedSoon(IdleOverlap o, long estimate) throws Exception {
    try (ExecutorService e = Executors.newSingleThreadExecutor()) {
      Future<IdleOverlap.Cell> f = e.submit(() -> o.admit(estimate));
      try {
        f.get(200, TimeUnit.MILLISECONDS).done();
        return true;
      } catch (TimeoutException t) {
        f.cancel(true);
        return false;
      }
    }
  }

  @Test
  void aCellWaitsWhileAnotherActs() throws Exception {
    IdleOverlap o = new IdleOverlap();
    IdleOverlap.Cell first = o.admit(SECOND);
    assertFalse(admittedSoon(o, SECOND / 10));
    first.done();
    assertTrue(admittedSoon(o, SECOND / 10));
  }

  @Test
  void aCellThatFitsInALongSleepPlaysMeanwhile() throws Exception {
    IdleOverlap o = new IdleOverlap();
    IdleOverlap.Cell sleeper = o.admit(70 * SECOND);
    sleeper.sleepsUntil(System.nanoTime() + 60 * SECOND);
    assertTrue(admittedSoon(o, SECOND));
    assertFalse(admittedSoon(o, 60 * SECOND), "a cell longer than the sleep waits");
    sleeper.wakes();
    assertFalse(admittedSoon(o, SECOND / 10), "no cell starts while the sleeper acts");
  }

  @Test
  void aShortSleepIsNotLent() throws Exception {
    IdleOverlap o = new IdleOverlap();
    IdleOverlap.Cell sleeper = o.admit(SECOND);
    sleeper.sleepsUntil(System.nanoTime() + IdleOverlap.MIN_IDLE_NANOS / 2);
    assertFalse(admittedSoon(o, 1));
  }

  @Test
  void theEstimateFollowsTheScriptsTimes() throws Exception {
    var script = Parser.parse("t.pkt", """
        `true`
        0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +1  close(3) = 0
        +0...2.5 poll([], 0, 2500) = 0
        +63 `true`
        """);
    // The blocking poll ends at 3.5 s, but the line after it counts from its start, as in packetdrill.
    long expected = TimeUnit.MILLISECONDS.toNanos(64_000) + IdleOverlap.SETUP_NANOS
        + 2 * IdleOverlap.SHELL_NANOS;
    assertEquals(expected, IdleOverlap.estimateNanos(script));
  }
}
