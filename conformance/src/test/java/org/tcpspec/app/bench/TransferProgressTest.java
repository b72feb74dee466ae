package org.tcpspec.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The marks bench samples its event loop at: each action once, when the bytes and the time reach it. */
class TransferProgressTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final List<String> ran = new ArrayList<>();

  private TransferProgress marks(long firstBytes, long firstNanos, long secondBytes, long secondNanos) {
    TransferProgress p = new TransferProgress(firstBytes, firstNanos, () -> ran.add("first"), secondBytes,
        secondNanos, () -> ran.add("second"), now::get);
    p.started();
    return p;
  }

  @Test
  void eachMarkRunsOnceWhenTheBytesReachIt() {
    TransferProgress p = marks(100, 0, 300, 0);
    p.received(99);
    assertEquals(List.of(), ran);
    p.received(1);
    assertEquals(List.of("first"), ran);
    p.received(150);
    assertEquals(List.of("first"), ran);
    p.received(50);
    p.received(1000);
    assertEquals(List.of("first", "second"), ran);
  }

  @Test
  void oneReadCrossingBothMarksRunsBothInOrder() {
    TransferProgress p = marks(10, 0, 20, 0);
    p.received(25);
    assertEquals(List.of("first", "second"), ran);
  }

  @Test
  void aMarkWaitsForItsTimeAfterItsBytes() {
    TransferProgress p = marks(10, 500, 20, 1_500);
    p.received(30);
    assertEquals(List.of(), ran, "bytes reached, time not");
    now.addAndGet(500);
    p.received(1);
    assertEquals(List.of("first"), ran);
    now.addAndGet(999);
    p.received(1);
    assertEquals(List.of("first"), ran);
    now.addAndGet(1);
    p.received(1);
    assertEquals(List.of("first", "second"), ran);
  }

  @Test
  void aSecondMarkBeforeTheFirstIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> marks(20, 0, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> marks(10, 20, 10, 10));
  }
}
