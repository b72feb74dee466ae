package org.tcpspec.app.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A pair of rows measured in alternating rounds, the kernel's baseline right before ours in each:
 * on a shared machine the kernel's own rate moves by 2x between adjacent runs (issue 15: 3,365 to
 * 8,441 MB/s kernel to kernel at MTU 1500 in one session), so one round's ratio says as much
 * about the neighbours as about us. Each round's ratio compares transfers seconds apart; the
 * median of the rounds' ratios is the run's ratio, and the median rate each row's cell.
 */
public final class Rounds {
  private final List<BenchCell> ours = new ArrayList<>();
  private final List<BenchCell> kernels = new ArrayList<>();

  /** Adds one round: our row's cell and the kernel's, measured right before it. */
  public void add(BenchCell ourCell, BenchCell kernelCell) {
    ours.add(ourCell);
    kernels.add(kernelCell);
  }

  /** Each round's ratio of our rate over the kernel's, n/a where either transfer failed. */
  public List<BenchCell> ratios() {
    List<BenchCell> out = new ArrayList<>();
    for (int i = 0; i < ours.size(); i++) out.add(ratio(ours.get(i), kernels.get(i)));
    return out;
  }

  /** The median of the rounds' ratios, n/a when no round has both rates. */
  public BenchCell medianRatio() {
    double[] values = ratios().stream()
        .filter(c -> c instanceof BenchCell.Ratio)
        .mapToDouble(c -> ((BenchCell.Ratio) c).value())
        .toArray();
    return values.length == 0 ? new BenchCell.NotAvailable("n/a") : new BenchCell.Ratio(median(values));
  }

  /** Our row's cell: the median rate of its measured rounds, else the first round's failure. */
  public BenchCell ourCell() {
    return medianRate(ours);
  }

  /** The kernel's row's cell, as {@link #ourCell}. */
  public BenchCell kernelCell() {
    return medianRate(kernels);
  }

  /** Our rate over the kernel's when both were measured, else n/a. */
  public static BenchCell ratio(BenchCell ours, BenchCell kernels) {
    if (ours instanceof BenchCell.Measured(BulkTransfer.Result a)
        && kernels instanceof BenchCell.Measured(BulkTransfer.Result b)) {
      return new BenchCell.Ratio(a.megabytesPerSecond() / b.megabytesPerSecond());
    }
    return new BenchCell.NotAvailable("n/a");
  }

  /** The middle value, or the mean of the two middle ones for an even count; {@code values} is not changed. */
  static double median(double[] values) {
    if (values.length == 0) throw new IllegalArgumentException("no values");
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static BenchCell medianRate(List<BenchCell> cells) {
    List<BulkTransfer.Result> measured = new ArrayList<>();
    for (BenchCell c : cells) {
      if (c instanceof BenchCell.Measured(BulkTransfer.Result r)) measured.add(r);
    }
    if (measured.isEmpty()) return cells.isEmpty() ? new BenchCell.NotAvailable("not run") : cells.getFirst();
    if (measured.size() == 1) return new BenchCell.Measured(measured.getFirst());
    double rate = median(measured.stream().mapToDouble(BulkTransfer.Result::megabytesPerSecond).toArray());
    return new BenchCell.MedianRate(rate, measured.size(), measured.stream().anyMatch(BulkTransfer.Result::capped));
  }
}
