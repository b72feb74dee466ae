package org.tcpspec.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Rough throughput of the wire layer, printed, never asserted (timings belong in benchmarks, not
 * tests). Not a test: surefire does not run it. Run after {@code mvn -o -pl spec,impl test-compile}:
 *
 * <pre>
 * java -cp impl/target/classes:impl/target/test-classes org.tcpspec.wire.WireBenchmark
 * </pre>
 */
public final class WireBenchmark {
  private WireBenchmark() {}

  private static long sink;

  public static void main(String[] args) {
    Segment data = new Segment(Packets.LOCAL, Packets.REMOTE, 8080, 40000, 1, 2, TcpFlags.PSH | TcpFlags.ACK, 64, 0,
        List.of(new TcpOption.Nop(), new TcpOption.Nop(), new TcpOption.Timestamp(3, 4)), new byte[1448]);
    byte[] packet = SegmentEmitter.emit(data);
    byte[] out = new byte[packet.length];
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment nativePacket = arena.allocate(packet.length);
      nativePacket.copyFrom(MemorySegment.ofArray(packet));
      for (int round = 0; round < 3; round++) {
        System.out.printf("round %d, %d-byte data segment%n", round, packet.length);
        time("parse byte[]", () -> sink += SegmentParser.parse(packet, 0, packet.length).hashCode());
        time("parse native MemorySegment", () -> sink += SegmentParser.parse(nativePacket, 0, packet.length).hashCode());
        time("emit into a reused byte[]", () -> sink += SegmentEmitter.emit(data, out, 0));
        time("checksum of 1448 bytes", () -> sink += InternetChecksum.sum(packet, 52, 1448));
      }
    }
    System.out.println("(sink " + sink + ")");
  }

  private static void time(String what, Runnable op) {
    int n = 200_000;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) op.run();
    long nanos = System.nanoTime() - start;
    System.out.printf("  %-28s %8.0f ns/op%n", what, (double) nanos / n);
  }
}
