package org.tcpspec.tcb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.wire.TcpOption.SackBlock;

/** RFC 6675 §4's scoreboard operations on a window of 100-byte segments, across the wrap. */
class SackScoreboardTest {
  static final int MSS = 100;
  /** SND.UNA 50 bytes before the 32-bit wrap, so every test crosses it. */
  static final int UNA = -50;
  static final int NXT = UNA + 1000;

  static SackBlock seg(int i, int j) {
    return new SackBlock(UNA + i * MSS, UNA + j * MSS);
  }

  @Test
  void updateMergesBlocksAndIgnoresThoseOutsideTheWindow() {
    SackScoreboard sb = new SackScoreboard();
    assertTrue(sb.update(UNA, NXT, List.of(seg(2, 3), seg(4, 5))));
    assertTrue(sb.update(UNA, NXT, List.of(seg(3, 4))));
    assertFalse(sb.update(UNA, NXT, List.of(seg(2, 5))), "nothing new");
    // A D-SACK below SND.UNA and a block beyond SND.NXT are ignored (RFC 2018 §5, RFC 6675 §4).
    assertFalse(sb.update(UNA, NXT, List.of(new SackBlock(UNA - 200, UNA - 100), seg(9, 11))));
    assertEquals(300, sb.sackedAbove(UNA));
    assertEquals(UNA + 500, sb.highestSacked());
    assertTrue(sb.isSacked(UNA + 250));
    assertFalse(sb.isSacked(UNA + 150));
  }

  @Test
  void ackingTrimsAndForgets() {
    SackScoreboard sb = new SackScoreboard();
    sb.update(UNA, NXT, List.of(seg(2, 4), seg(6, 7)));
    sb.acked(UNA + 300);
    assertEquals(200, sb.sackedAbove(UNA + 299));
    sb.acked(UNA + 700);
    assertTrue(sb.isEmpty());
  }

  @Test
  void isLostNeedsMoreThanTwoSegmentsOrThreeRangesAbove() {
    SackScoreboard sb = new SackScoreboard();
    sb.update(UNA, NXT, List.of(seg(1, 3)));
    assertFalse(sb.isLost(UNA, MSS), "exactly 2 * SMSS above");
    sb.update(UNA, NXT, List.of(seg(4, 5)));
    assertTrue(sb.isLost(UNA, MSS));
    assertFalse(sb.isLost(UNA + 300, MSS));
    SackScoreboard sparse = new SackScoreboard();
    sparse.update(UNA, NXT, List.of(seg(2, 3), seg(4, 5)));
    assertFalse(sparse.isLost(UNA, MSS));
    sparse.update(UNA, NXT, List.of(new SackBlock(UNA + 600, UNA + 610)));
    assertTrue(sparse.isLost(UNA, MSS), "three discontiguous ranges above");
  }

  @Test
  void pipeCountsUnsackedSegmentsNotLostAndRetransmissionsAgain() {
    // 10 segments out; 1..3 and 5 SACKed: 0 and 4 are holes, 0 is lost (4 segments SACKed above).
    SackScoreboard sb = new SackScoreboard();
    sb.update(UNA, NXT, List.of(seg(1, 4), seg(5, 6)));
    // Not lost: 4 (one SACKed segment above), 6..9. Lost: 0.
    assertEquals(500, sb.pipe(UNA, NXT, UNA, MSS));
    // After retransmitting 0 it counts once (HighRxt past it).
    assertEquals(600, sb.pipe(UNA, NXT, UNA + 100, MSS));
  }

  @Test
  void nextHoleFindsLostHolesFirstThenAnyBelowTheHighestSacked() {
    SackScoreboard sb = new SackScoreboard();
    sb.update(UNA, NXT, List.of(seg(1, 2), seg(3, 4), seg(6, 7)));
    assertArrayEquals(new int[] {UNA, MSS}, sb.nextHole(UNA, MSS, true));
    // Above segment 2 only two ranges and 200 bytes are SACKed: not lost, but a rule 3 hole.
    assertNull(sb.nextHole(UNA + 100, MSS, true));
    assertArrayEquals(new int[] {UNA + 200, MSS}, sb.nextHole(UNA + 100, MSS, false));
    assertNull(sb.nextHole(UNA + 400, MSS, true));
    assertArrayEquals(new int[] {UNA + 400, MSS}, sb.nextHole(UNA + 400, MSS, false));
    assertNull(sb.nextHole(UNA + 700, MSS, false), "nothing above the highest SACKed octet");
  }
}
