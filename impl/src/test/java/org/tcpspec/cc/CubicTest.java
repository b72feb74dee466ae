package org.tcpspec.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * CUBIC (RFC 9438) and HyStart as Linux's tcp_cubic computes them, on a simulated clock: a flow
 * that sends a window per round trip and gets its ACKs back in a burst (0.1 ms apart) one RTT
 * later, or spread over the round trip when the path is saturated.
 */
class CubicTest {
  /** A sender on a manual clock: SND.NXT grows with what is sent, SND.UNA with what is acked. */
  static final class Flow implements SenderState {
    long nowNanos = 1_000_000_000L;
    int sndUna;
    int sndNxt;
    long srttNanos = 100_000_000L;

    @Override public long nowNanos() { return nowNanos; }
    @Override public int sndUna() { return sndUna; }
    @Override public int sndNxt() { return sndNxt; }
    @Override public long srttNanos() { return srttNanos; }
    @Override public int mss() { return 1000; }
    @Override public long lastSendNanos() { return nowNanos; }
  }

  /** One round trip of {@code rttMillis}: a window out, its ACKs back in a burst, one segment each. */
  static void roundTrip(Cubic c, Flow f, long rttMillis) {
    int window = c.cwnd();
    f.sndNxt += window * 1000;
    long start = f.nowNanos;
    for (int i = 0; i < window; i++) {
      f.nowNanos += 100_000L;
      f.sndUna += 1000;
      c.onAcked(1, rttMillis * 1_000_000L, f.nowNanos);
      c.congestionAvoidance(1, f.nowNanos);
    }
    f.nowNanos = start + rttMillis * 1_000_000L;
  }

  @Test
  void aLossMultipliesCwndByBeta() {
    Cubic c = new Cubic(new Flow());
    c.cwnd(100);
    assertEquals(70, c.ssthreshAfterLoss(), "100 * 717 / 1024");
    c.cwnd(10);
    assertEquals(7, c.ssthreshAfterLoss());
    c.cwnd(2);
    assertEquals(2, c.ssthreshAfterLoss(), "never below 2");
  }

  @Test
  void cwndReturnsToWmaxAfterKAndGrowsBeyondIt() {
    // RFC 9438 §4.2: W(t) = C (t - K)^3 + W_max with K = cbrt(W_max (1 - beta) / C); for W_max 100,
    // beta 0.7 and C 0.4, K is 4.2 s. cwnd is back near W_max after about K, flat around it
    // (concave, then convex), and above it later: 0.4 * 2.8^3 + 100 = 109 at 7 s.
    Flow f = new Flow();
    Cubic c = new Cubic(f);
    c.cwnd(100);
    c.ssthresh(c.ssthreshAfterLoss());
    c.cwnd(c.ssthresh());
    int atHalfK = 0;
    int atK = 0;
    for (int round = 1; round <= 70; round++) {
      roundTrip(c, f, 100);
      if (round == 21) atHalfK = c.cwnd();
      if (round == 42) atK = c.cwnd();
    }
    assertTrue(atHalfK > 85 && atHalfK < 100, "concave: most of the way back at K/2, " + atHalfK);
    assertTrue(atK >= 97 && atK <= 103, "at W_max around K, " + atK);
    assertTrue(c.cwnd() >= 106 && c.cwnd() <= 112, "convex beyond: " + c.cwnd());
  }

  @Test
  void fastConvergenceLowersWmaxWhenItWasNotReachedAgain() {
    // RFC 9438 §4.7: a loss below the last W_max sets W_max to cwnd (1 + beta) / 2, so the flow
    // releases bandwidth: here 80 * 1741 / 2048 = 68, below the 80 it lost at.
    Flow f = new Flow();
    Cubic c = new Cubic(f);
    c.cwnd(100);
    c.ssthreshAfterLoss();
    c.cwnd(80);
    c.ssthreshAfterLoss();
    c.cwnd(56);
    c.ssthresh(56);
    for (int round = 0; round < 60; round++) roundTrip(c, f, 100);
    c.cwnd(68);
    int w68 = c.ssthreshAfterLoss();
    c.cwnd(69);
    int w69 = c.ssthreshAfterLoss();
    assertEquals(68 * 717 / 1024, w68);
    assertEquals(69 * 717 / 1024, w69);
  }

  @Test
  void hystartLeavesSlowStartWhenTheRoundsDelayGrows() {
    // HyStart's delay increase: past cwnd 16, eight samples of a round whose minimum exceeds the
    // minimum delay by an eighth (12.5 ms for 100 ms, within 4..16 ms) set ssthresh to cwnd.
    Flow f = new Flow();
    Cubic c = new Cubic(f);
    roundTrip(c, f, 100);
    roundTrip(c, f, 100);
    assertTrue(c.inSlowStart());
    assertTrue(c.cwnd() >= 16, "cwnd " + c.cwnd());
    int cwnd = c.cwnd();
    f.sndNxt += cwnd * 1000;
    for (int i = 0; i < 9; i++) {
      f.nowNanos += 5_000_000L;
      f.sndUna += 1000;
      c.onAcked(1, 120_000_000L, f.nowNanos);
    }
    assertFalse(c.inSlowStart(), "slow start ended");
    assertEquals(c.cwnd(), c.ssthresh());
  }

  @Test
  void hystartLeavesSlowStartWhenAnAckTrainSpansHalfTheMinimumDelay() {
    // HyStart's ACK train: ACKs no more than 2 ms apart for longer than half the minimum delay
    // mean the window fills the path (the ACK clock is the bottleneck's): ssthresh = cwnd.
    Flow f = new Flow();
    Cubic c = new Cubic(f);
    roundTrip(c, f, 100);
    roundTrip(c, f, 100);
    int cwnd = c.cwnd();
    f.sndNxt += cwnd * 1000;
    for (int i = 0; i < cwnd && c.inSlowStart(); i++) {
      f.nowNanos += 1_500_000L;
      f.sndUna += 1000;
      c.onAcked(1, 100_000_000L, f.nowNanos);
    }
    assertFalse(c.inSlowStart(), "slow start ended");
  }

  @Test
  void withoutDelayGrowthOrAnAckTrainSlowStartGoesOn() {
    Flow f = new Flow();
    Cubic c = new Cubic(f);
    for (int i = 0; i < 5; i++) roundTrip(c, f, 100);
    assertTrue(c.inSlowStart(), "cwnd " + c.cwnd() + " ssthresh " + c.ssthresh());
  }

  @Test
  void cubicRootIsWithinAFewPercent() {
    for (long a = 1; a < (1L << 60); a = a * 3 + 7) {
      double exact = Math.cbrt((double) a);
      long approx = Cubic.cubicRoot(a);
      assertTrue(Math.abs(approx - exact) <= Math.max(1, exact * 0.02), a + ": " + approx + " vs " + exact);
    }
  }
}
