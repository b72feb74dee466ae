package org.tcpspec.bench;

import java.lang.management.ManagementFactory;
import org.tcpspec.trace.TraceSink;

/**
 * Steady-state bulk transfer between two stacks in memory ({@link SteadyStateTransfer}): prints
 * segments processed per second and bytes allocated per segment, counted by HotSpot's per-thread
 * allocation counter around the measured rounds only, after warm-up rounds that let C2 compile
 * the path. Prints numbers; asserts nothing (ZeroAllocationTest holds the allocation bound).
 * By default segments travel as wire bytes (emitted and parsed with checksums, through the
 * flyweights); {@code records} runs the record path ({@code drainOutput}, {@code Segment} copies).
 * Run: {@code java -cp impl/target/classes:impl/target/test-classes org.tcpspec.bench.TransferBenchmark [rounds] [wire|records] [connections]}
 */
public final class TransferBenchmark {
  public static void main(String[] args) {
    long rounds = args.length > 0 ? Long.parseLong(args[0]) : 20_000;
    boolean wire = !(args.length > 1 && args[1].equals("records"));
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    SteadyStateTransfer t = new SteadyStateTransfer(16 * 1024, TraceSink.NONE, wire, connections);
    t.run(Math.max(2_000, rounds / 4)); // warm-up
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long segments0 = t.segments;
    long data0 = t.dataSegments;
    long bytes0 = t.payloadBytes;
    long alloc0 = mx.getCurrentThreadAllocatedBytes();
    long t0 = System.nanoTime();
    t.run(rounds);
    long t1 = System.nanoTime();
    long alloc1 = mx.getCurrentThreadAllocatedBytes();
    long segments = t.segments - segments0;
    double secs = (t1 - t0) / 1e9;
    System.out.printf("%s path, %d rounds of 16 KiB on each of %d connection(s)%n", wire ? "wire" : "record", rounds,
        connections);
    System.out.printf("segments processed: %d (%d with data, the rest ACKs) in %.3f s = %.0f segments/s, %.1f MB/s of payload%n",
        segments, t.dataSegments - data0, secs, segments / secs, (t.payloadBytes - bytes0) / secs / 1e6);
    System.out.printf("allocated: %d bytes in total, %.3f bytes per segment (target: 0)%n",
        alloc1 - alloc0, (alloc1 - alloc0) / (double) segments);
  }
}
