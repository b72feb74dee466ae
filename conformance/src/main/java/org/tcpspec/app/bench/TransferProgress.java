package org.tcpspec.app.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes a transfer's receivers took so far, with two marks: each runs its action once, on the
 * receiving thread that crosses it. {@code tcpspec bench} samples our event loop at a quarter and
 * at three quarters of the bytes, so its allocation count leaves out the warm-up of each
 * connection (buffers growing to their autotuned size) and its end.
 */
public final class TransferProgress {
  /** No marks. */
  public static final TransferProgress NONE = new TransferProgress(Long.MAX_VALUE, () -> {}, Long.MAX_VALUE, () -> {});

  private final AtomicLong received = new AtomicLong();
  private final long firstMark;
  private final Runnable atFirst;
  private final long secondMark;
  private final Runnable atSecond;

  /** {@code atFirst} once {@code firstMark} bytes arrived, {@code atSecond} at {@code secondMark} (not below the first). */
  public TransferProgress(long firstMark, Runnable atFirst, long secondMark, Runnable atSecond) {
    if (secondMark < firstMark) throw new IllegalArgumentException("second mark " + secondMark + " < first " + firstMark);
    this.firstMark = firstMark;
    this.atFirst = atFirst;
    this.secondMark = secondMark;
    this.atSecond = atSecond;
  }

  /** {@code n} more bytes arrived. */
  void received(long n) {
    long after = received.addAndGet(n);
    long before = after - n;
    if (before < firstMark && after >= firstMark) atFirst.run();
    if (before < secondMark && after >= secondMark) atSecond.run();
  }
}
