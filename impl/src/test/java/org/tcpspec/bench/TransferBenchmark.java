package org.tcpspec.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.tcpspec.socket.SocketApi;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.Segment;

/**
 * Steady-state bulk transfer between two stacks in memory on a manual clock: prints segments
 * processed per second and bytes allocated per segment (HotSpot's per-thread allocation counter).
 * Run: {@code java -cp impl/target/classes:impl/target/test-classes org.tcpspec.bench.TransferBenchmark}
 */
public final class TransferBenchmark {
  private static final int A = 0x0A000001;
  private static final int B = 0x0A000002;

  public static void main(String[] args) {
    long rounds = args.length > 0 ? Long.parseLong(args[0]) : 20_000;
    ManualClock clock = new ManualClock(1_000_000_000L);
    Stack a = new Stack(A, clock, TraceSink.NONE, 1);
    Stack b = new Stack(B, clock, TraceSink.NONE, 2);
    SocketApi apiA = new SocketApi(a);
    SocketApi apiB = new SocketApi(b);
    int l = apiB.socket();
    apiB.bind(l, 0, 80);
    apiB.listen(l, 1);
    int c = apiA.socket();
    apiA.setNonBlocking(c, true);
    apiA.connect(c, B, 80);
    pump(a, b, clock);
    int s = (int) apiB.accept(l).value();
    apiB.setNonBlocking(s, true);
    byte[] chunk = new byte[16 * 1024];
    run(apiA, apiB, a, b, clock, c, s, chunk, rounds / 4); // warm-up
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long alloc0 = mx.getCurrentThreadAllocatedBytes();
    long t0 = System.nanoTime();
    long[] r = run(apiA, apiB, a, b, clock, c, s, chunk, rounds);
    long t1 = System.nanoTime();
    long alloc1 = mx.getCurrentThreadAllocatedBytes();
    double secs = (t1 - t0) / 1e9;
    System.out.printf("segments processed: %d in %.3f s = %.0f segments/s, %.1f MB/s of payload%n",
        r[0], secs, r[0] / secs, r[1] / secs / 1e6);
    System.out.printf("allocated: %.0f bytes per segment (target: 0; see report)%n", (alloc1 - alloc0) / (double) r[0]);
  }

  /** Writes, delivers and reads for {@code rounds} rounds; returns {segments, payload bytes}. */
  private static long[] run(SocketApi apiA, SocketApi apiB, Stack a, Stack b, ManualClock clock, int c, int s,
      byte[] chunk, long rounds) {
    long segments = 0;
    long bytes = 0;
    for (long i = 0; i < rounds; i++) {
      apiA.write(c, chunk);
      long[] p = pump(a, b, clock);
      segments += p[0];
      bytes += p[1];
      while (apiB.read(s, 1 << 20).value() > 0) {}
      p = pump(a, b, clock);
      segments += p[0];
      bytes += p[1];
    }
    return new long[] {segments, bytes};
  }

  private static long[] pump(Stack a, Stack b, ManualClock clock) {
    long n = 0;
    long bytes = 0;
    for (int i = 0; i < 1000; i++) {
      List<Segment> fromA = a.drainOutput();
      List<Segment> fromB = b.drainOutput();
      if (fromA.isEmpty() && fromB.isEmpty()) {
        // Let delayed ACKs fire so the sender's window keeps opening.
        if (Math.min(a.nextDeadlineNanos(), b.nextDeadlineNanos()) <= clock.nowNanos() + 40_000_000L) {
          clock.advanceMillis(40);
          a.runTimers();
          b.runTimers();
          continue;
        }
        break;
      }
      for (Segment seg : fromA) {
        b.input(seg);
        bytes += seg.payloadLength();
      }
      for (Segment seg : fromB) {
        a.input(seg);
        bytes += seg.payloadLength();
      }
      n += fromA.size() + fromB.size();
    }
    return new long[] {n, bytes};
  }
}
