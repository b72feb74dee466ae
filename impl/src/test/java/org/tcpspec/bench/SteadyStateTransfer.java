package org.tcpspec.bench;

import java.util.Arrays;
import java.util.List;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.Listener;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentReader;
import org.tcpspec.wire.SegmentView;

/**
 * Bulk transfer from stack A to stack B in memory, on a manual clock, over wire bytes: each stack
 * writes its segments as IPv4 (or IPv6) packets (checksums and all) into its own reusable queue, and the
 * other stack reads them through one {@link SegmentReader} flyweight. A round writes a chunk into
 * each connection at A, delivers until both queues are empty (firing delayed ACKs by moving the
 * clock 40 ms when idle), reads everything B received, and delivers B's window updates. The loop itself allocates
 * nothing once its buffers have grown, so whatever the allocation counter shows after warm-up is
 * the stack's own (issue #4). Used by {@link TransferBenchmark} and {@code ZeroAllocationTest}.
 *
 * <p>With {@code wire} false the same exchange runs over the record path instead ({@link
 * Stack#drainOutput} and {@link Segment} copies), so a test can compare the two.
 */
public final class SteadyStateTransfer {
  private static final int A = 0x0A000001;
  private static final int B = 0x0A000002;
  private static final IpAddress A6 = IpAddress.parse("2001:db8::a");
  private static final IpAddress B6 = IpAddress.parse("2001:db8::b");

  private final ManualClock clock = new ManualClock(1_000_000_000L);
  private final Stack a;
  private final Stack b;
  private final PacketQueue fromA = new PacketQueue();
  private final PacketQueue fromB = new PacketQueue();
  private final SegmentReader reader = new SegmentReader();
  private final Connection[] senders;
  private final Connection[] receivers;
  private final byte[] chunk;
  private final byte[] readBuffer = new byte[1 << 20];
  private final boolean wire;
  /** Per connection, the stream offset of the next byte B reads: every byte read is checked. */
  private final long[] readOffsets;
  /** Totals since construction: segments delivered (both ways), data segments, payload bytes. */
  public long segments;
  public long dataSegments;
  public long payloadBytes;

  public SteadyStateTransfer(int chunkBytes, TraceSink trace, boolean wire) {
    this(chunkBytes, trace, wire, 1);
  }

  /** With {@code connections} parallel connections from A to B, each sent a chunk per round. */
  public SteadyStateTransfer(int chunkBytes, TraceSink trace, boolean wire, int connections) {
    this(chunkBytes, trace, wire, connections, false);
  }

  /** As above; with {@code ipv6} the connections run between the stacks' IPv6 addresses. */
  public SteadyStateTransfer(int chunkBytes, TraceSink trace, boolean wire, int connections, boolean ipv6) {
    this.wire = wire;
    a = new Stack(A, clock, trace, 1);
    b = new Stack(B, clock, trace, 2);
    a.ipv6Address(A6);
    b.ipv6Address(B6);
    a.strict(true);
    b.strict(true);
    if (wire) {
      a.transmitTo(fromA::add);
      b.transmitTo(fromB::add);
    }
    Listener l = b.listen(80, connections, b.defaultOptions()).orElseThrow();
    senders = new Connection[connections];
    receivers = new Connection[connections];
    readOffsets = new long[connections];
    for (int k = 0; k < connections; k++) {
      senders[k] = a.connect(0, ipv6 ? B6 : IpAddress.ipv4(B), 80, a.defaultOptions()).orElseThrow();
      pump();
      receivers[k] = l.accept().orElseThrow();
    }
    chunk = new byte[chunkBytes];
    for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) i;
  }

  /** Runs {@code rounds} rounds; returns the payload bytes B's application read. */
  public long run(long rounds) {
    long read = 0;
    for (long i = 0; i < rounds; i++) {
      for (int k = 0; k < senders.length; k++) {
        int n = a.write(senders[k], chunk, 0, chunk.length);
        if (n != chunk.length) throw new IllegalStateException("send buffer took " + n + " of the chunk");
      }
      pump();
      for (int k = 0; k < senders.length; k++) read += drainReceiver(k);
      pump();
    }
    return read;
  }

  private long drainReceiver(int k) {
    long total = 0;
    int n;
    while ((n = b.read(receivers[k], readBuffer, 0, readBuffer.length)) > 0) {
      // Stream byte i is chunk[i % chunk.length], since whole chunks go in back to back.
      for (int done = 0; done < n; ) {
        int at = (int) (readOffsets[k] % chunk.length);
        int len = Math.min(n - done, chunk.length - at);
        if (!Arrays.equals(readBuffer, done, done + len, chunk, at, at + len)) {
          throw new IllegalStateException("stream bytes from " + readOffsets[k] + " are corrupt");
        }
        done += len;
        readOffsets[k] += len;
      }
      total += n;
    }
    return total;
  }

  /** Delivers until both queues are empty and no delayed ACK is pending. */
  private void pump() {
    if (!wire) {
      pumpRecords();
      return;
    }
    while (true) {
      if (fromA.count == 0 && fromB.count == 0) {
        if (Math.min(a.nextDeadlineNanos(), b.nextDeadlineNanos()) > clock.nowNanos() + 40_000_000L) return;
        clock.advanceMillis(40);
        a.runTimers();
        b.runTimers();
        continue;
      }
      deliver(fromA, b);
      deliver(fromB, a);
    }
  }

  /** The same loop over the record path, draining at the points where the wire loop delivers. */
  private void pumpRecords() {
    while (true) {
      List<Segment> outA = a.drainOutput();
      for (Segment s : outA) count(s, b);
      List<Segment> outB = b.drainOutput();
      for (Segment s : outB) count(s, a);
      if (outA.isEmpty() && outB.isEmpty()) {
        if (Math.min(a.nextDeadlineNanos(), b.nextDeadlineNanos()) > clock.nowNanos() + 40_000_000L) return;
        clock.advanceMillis(40);
        a.runTimers();
        b.runTimers();
      }
    }
  }

  private void count(SegmentView s, Stack to) {
    segments++;
    if (s.payloadLength() > 0) dataSegments++;
    payloadBytes += s.payloadLength();
    to.input(s);
  }

  private void deliver(PacketQueue q, Stack to) {
    for (int i = 0; i < q.count; i++) {
      if (!reader.wrap(q.bytes, q.offsets[i], q.lengths[i])) throw new IllegalStateException("malformed packet");
      count(reader, to);
    }
    q.clear();
  }

  /** Packets in one growing array; it only grows during warm-up. */
  static final class PacketQueue {
    private final SegmentEmitter emitter = new SegmentEmitter();
    byte[] bytes = new byte[1 << 16];
    int[] offsets = new int[64];
    int[] lengths = new int[64];
    int count;
    private int end;

    void add(SegmentView s) {
      int len = s.ipTotalLength();
      if (end + len > bytes.length) bytes = Arrays.copyOf(bytes, 2 * (end + len));
      if (count == offsets.length) {
        offsets = Arrays.copyOf(offsets, 2 * count);
        lengths = Arrays.copyOf(lengths, 2 * count);
      }
      offsets[count] = end;
      lengths[count] = emitter.write(s, bytes, end);
      end += len;
      count++;
    }

    void clear() {
      count = 0;
      end = 0;
    }
  }
}
