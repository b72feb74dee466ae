package org.tcpspec.app.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The bytes a transfer's receivers took so far, with two marks, each a number of bytes and a time
 * since the transfer started: each runs its action once, on the receiving thread that reaches both
 * parts of it. {@code tcpspec bench} samples our event loop at a quarter and at three quarters of
 * the transfer (its least bytes and its least duration, {@link #quarters}), so its allocation count
 * leaves out the warm-up of each connection (buffers growing to their autotuned size) and its end.
 */
public final class TransferProgress {
  /** No marks. */
  public static final TransferProgress NONE =
      new TransferProgress(Long.MAX_VALUE, 0, () -> {}, Long.MAX_VALUE, 0, () -> {}, System::nanoTime);

  private final AtomicLong received = new AtomicLong();
  /** 0 before the first mark, 1 between the marks, 2 after the second. */
  private final AtomicInteger marksPassed = new AtomicInteger();
  private final long firstBytes;
  private final long firstNanos;
  private final Runnable atFirst;
  private final long secondBytes;
  private final long secondNanos;
  private final Runnable atSecond;
  private final LongSupplier nanoTime;
  private volatile long startNanos;

  /**
   * {@code atFirst} once {@code firstBytes} arrived and {@code firstNanos} passed since {@link
   * #started}, {@code atSecond} likewise (neither part below the first mark's); {@code nanoTime} is
   * the clock.
   */
  public TransferProgress(long firstBytes, long firstNanos, Runnable atFirst, long secondBytes, long secondNanos,
      Runnable atSecond, LongSupplier nanoTime) {
    if (secondBytes < firstBytes) throw new IllegalArgumentException("second mark " + secondBytes + " < first " + firstBytes);
    if (secondNanos < firstNanos) {
      throw new IllegalArgumentException("second mark at " + secondNanos + " ns < first at " + firstNanos + " ns");
    }
    this.firstBytes = firstBytes;
    this.firstNanos = firstNanos;
    this.atFirst = atFirst;
    this.secondBytes = secondBytes;
    this.secondNanos = secondNanos;
    this.atSecond = atSecond;
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
  }

  /**
   * Marks at a quarter and at three quarters of a transfer of at least {@code bytes} bytes lasting
   * at least {@code leastNanos}: both are passed before such a transfer ends.
   */
  public static TransferProgress quarters(long bytes, long leastNanos, Runnable atFirst, Runnable atSecond) {
    return new TransferProgress(bytes / 4, leastNanos / 4, atFirst, bytes / 4 * 3, leastNanos / 4 * 3, atSecond,
        System::nanoTime);
  }

  /** The transfer's clock starts now (the first write); the marks' times count from here. */
  void started() {
    startNanos = nanoTime.getAsLong();
  }

  /** {@code n} more bytes arrived. */
  void received(long n) {
    long total = received.addAndGet(n);
    int passed = marksPassed.get();
    if (passed == 2) return;
    long elapsed = nanoTime.getAsLong() - startNanos;
    if (passed == 0 && total >= firstBytes && elapsed >= firstNanos && marksPassed.compareAndSet(0, 1)) {
      atFirst.run();
      passed = 1;
    }
    if (passed == 1 && total >= secondBytes && elapsed >= secondNanos && marksPassed.compareAndSet(1, 2)) {
      atSecond.run();
    }
  }
}
