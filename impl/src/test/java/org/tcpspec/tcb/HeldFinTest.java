package org.tcpspec.tcb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The receive buffer holds a FIN ahead of the next in-order byte as one position of sequence space. */
class HeldFinTest {

  private static void assertRanges(ReceiveBuffer b, long... startEnd) {
    List<long[]> ranges = b.outOfOrderRanges();
    assertEquals(startEnd.length / 2, ranges.size());
    assertEquals(ranges.size(), b.outOfOrderRangeCount());
    for (int i = 0; i < ranges.size(); i++) {
      assertArrayEquals(new long[] {startEnd[2 * i], startEnd[2 * i + 1]}, ranges.get(i));
    }
  }

  @Test
  void aHeldFinIsARangeOfItsOwnOrExtendsTheTextBeforeIt() {
    ReceiveBuffer b = new ReceiveBuffer(10_000);
    b.holdFin(1000);
    assertTrue(b.hasOutOfOrder());
    assertRanges(b, 1000, 1001);
    b.accept(500, new byte[500], 0, 500);
    assertRanges(b, 500, 1001);
    b.accept(200, new byte[100], 0, 100);
    assertRanges(b, 200, 300, 500, 1001);
  }

  @Test
  void theFinIsReachedOnlyWhenTheTextEndsExactlyAtIt() {
    ReceiveBuffer b = new ReceiveBuffer(10_000);
    b.accept(500, new byte[500], 0, 500);
    b.holdFin(1000);
    assertFalse(b.finReachedBy(400));
    assertTrue(b.finReachedBy(500));
    assertTrue(b.finReachedBy(700));
    assertFalse(b.finReachedBy(1001));
    assertEquals(1000, b.accept(0, new byte[500], 0, 500));
    assertTrue(b.finHeldAt(b.nextOffset()));
    b.skipControl();
    assertFalse(b.hasOutOfOrder());
    assertEquals(1001, b.nextOffset());
  }

  @Test
  void textPastTheFinDropsItAndAFinInsideHeldTextAddsNoRange() {
    ReceiveBuffer b = new ReceiveBuffer(10_000);
    b.accept(100, new byte[200], 0, 200);
    b.holdFin(150);
    assertRanges(b, 100, 300);
    b.accept(0, new byte[100], 0, 100);
    assertFalse(b.hasOutOfOrder());
    assertEquals(300, b.nextOffset());
  }
}
