package org.tcpspec.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ratio of a run is the median of its rounds' ratios, each ours over the kernel's of its round. */
class RoundsTest {
  /** A measured transfer of {@code megabytes} MB in one second. */
  private static BenchCell rate(double megabytes) {
    return new BenchCell.Measured(new BulkTransfer.Result((long) (megabytes * 1e6), 1_000_000_000L, false));
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(3.0, Rounds.median(new double[] {5, 1, 3}));
    assertEquals(2.5, Rounds.median(new double[] {4, 1, 3, 2}));
    assertEquals(7.0, Rounds.median(new double[] {7}));
    assertThrows(IllegalArgumentException.class, () -> Rounds.median(new double[0]));
  }

  @Test
  void eachRoundIsComparedWithItsOwnBaselineNotTheMedianBaseline() {
    Rounds r = new Rounds();
    r.add(rate(900), rate(1000)); // 0.9
    r.add(rate(1000), rate(4000)); // 0.25: a slow round of ours against a fast kernel
    r.add(rate(2100), rate(3000)); // 0.7
    assertEquals(List.of("0.900x", "0.250x", "0.700x"), r.ratios().stream().map(BenchCell::text).toList());
    assertEquals(0.7, ((BenchCell.Ratio) r.medianRatio()).value(), 1e-9);
    // The ratio of the median rates (1000 / 3000) would be another number: the cells are medians of their own.
    assertEquals("1000.0 MB/s", r.ourCell().text());
    assertEquals("3000.0 MB/s", r.kernelCell().text());
  }

  @Test
  void aFailedRoundIsLeftOutOfTheMediansAndShowsAsNotAvailable() {
    Rounds r = new Rounds();
    r.add(new BenchCell.NotAvailable("failed: reset"), rate(1000));
    r.add(rate(500), rate(1000));
    r.add(rate(800), rate(1000));
    assertEquals(List.of("n/a", "0.500x", "0.800x"), r.ratios().stream().map(BenchCell::text).toList());
    assertEquals(0.65, ((BenchCell.Ratio) r.medianRatio()).value(), 1e-9);
    assertEquals("650.0 MB/s", r.ourCell().text());
  }

  @Test
  void noMeasuredRoundGivesTheFirstFailureAndNoRatio() {
    Rounds r = new Rounds();
    r.add(new BenchCell.NotAvailable("failed: timed out"), rate(1000));
    r.add(new BenchCell.NotAvailable("failed: reset"), rate(1000));
    assertEquals("failed: timed out", r.ourCell().text());
    assertInstanceOf(BenchCell.NotAvailable.class, r.medianRatio());
  }

  @Test
  void oneRoundIsThatRoundsTransfer() {
    Rounds r = new Rounds();
    r.add(rate(1500), rate(3000));
    assertInstanceOf(BenchCell.Measured.class, r.ourCell());
    assertEquals("0.500x", r.medianRatio().text());
  }
}
