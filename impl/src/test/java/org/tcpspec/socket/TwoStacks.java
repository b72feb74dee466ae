package org.tcpspec.socket;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tcpspec.stack.Stack;
import org.tcpspec.time.ManualClock;
import org.tcpspec.trace.MemoryTrace;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.ParseResult;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.SegmentParser;
import org.tcpspec.wire.TcpSegmentation;

/**
 * Two stacks on one manual clock joined by an in-memory link that can lose, duplicate and reorder
 * segments, driven by a seeded random source so every run is reproducible.
 */
final class TwoStacks {
  static final int A = 0x0A000001; // 10.0.0.1
  static final int B = 0x0A000002; // 10.0.0.2

  final ManualClock clock = new ManualClock(1_000_000_000L);
  final MemoryTrace trace = new MemoryTrace();
  final Stack a = new Stack(A, clock, trace, 1L);
  final Stack b = new Stack(B, clock, trace, 2L);
  final SocketApi apiA = new SocketApi(a);
  final SocketApi apiB = new SocketApi(b);
  /** Segments on the wire, in flight in both directions. */
  final List<Segment> inFlight = new ArrayList<>();
  private final Random random;
  double loss;
  double duplication;
  double reordering;

  /** What A handed over ({@link #segmentRunsFromA}), cut into the segments the wire carries. */
  private final List<Segment> cutFromA = new ArrayList<>();
  /** Segments of A's that stood for a run of more than one. */
  int runsFromA;

  TwoStacks(long seed) {
    this.random = new Random(seed);
    a.strict(true);
    b.strict(true);
  }

  /**
   * A hands its segments to a sink that takes runs of segments (as a TUN device with TSO does):
   * each goes through the emitter whole and is cut as the kernel's tcp_gso_segment cuts it
   * ({@link TcpSegmentation}), then parsed back, so the wire carries what A's runs stand for.
   */
  TwoStacks segmentRunsFromA() {
    a.transmitTo(s -> {
      int size = s instanceof OutboundSegment o ? o.segmentSize() : 0;
      if (size > 0) runsFromA++;
      for (byte[] packet : TcpSegmentation.split(SegmentEmitter.emit(s), size)) {
        cutFromA.add(((ParseResult.Parsed) SegmentParser.parse(packet, 0, packet.length)).segment());
      }
    }, true);
    return this;
  }

  /** Every segment A put on the wire, in order. */
  final List<Segment> sentByA = new ArrayList<>();

  /** Moves everything the stacks sent onto the wire. */
  void collect() {
    List<Segment> fromA = cutFromA.isEmpty() ? a.drainOutput() : List.copyOf(cutFromA);
    cutFromA.clear();
    sentByA.addAll(fromA);
    inFlight.addAll(fromA);
    inFlight.addAll(b.drainOutput());
  }

  /** Delivers one segment (maybe not the oldest, maybe twice, maybe not at all). */
  boolean deliverOne() {
    collect();
    if (inFlight.isEmpty()) return false;
    int i = random.nextDouble() < reordering ? random.nextInt(inFlight.size()) : 0;
    Segment s = inFlight.remove(i);
    if (random.nextDouble() < loss) return true;
    if (random.nextDouble() < duplication) inFlight.add(s);
    (s.dstAddr() == A ? a : b).input(s);
    collect();
    return true;
  }

  /**
   * B listens on port 80 and A's non-blocking socket connects to it, settled: {client, listener},
   * the connection not yet accepted.
   */
  int[] connectToListener() {
    int server = apiB.socket();
    apiB.bind(server, 0, 80);
    apiB.listen(server, 5);
    int client = apiA.socket();
    apiA.setNonBlocking(client, true);
    apiA.connect(client, B, 80);
    settle();
    return new int[] {client, server};
  }

  /** Delivers until the wire is empty (bounded, so a storm cannot hang a test). */
  void settle() {
    for (int i = 0; i < 100_000 && deliverOne(); i++) {}
  }

  /** Jumps to the next timer deadline of either stack (at most {@code maxMillis}) and runs timers. */
  void tick(long maxMillis) {
    long next = Math.min(a.nextDeadlineNanos(), b.nextDeadlineNanos());
    long target = Math.min(next, clock.nowNanos() + maxMillis * 1_000_000L);
    if (target > clock.nowNanos()) clock.setNanos(target);
    a.runTimers();
    b.runTimers();
    collect();
  }
}
