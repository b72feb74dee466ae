package org.tcpspec.device.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentEmitter;
import org.tcpspec.wire.TcpFlags;

/**
 * Prints what the Linux platform layer costs; not a test, no targets. Run after {@code mvn
 * test-compile -pl spec,impl}:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp impl/target/classes:impl/target/test-classes \
 *     org.tcpspec.device.linux.TunBenchmark
 * </pre>
 *
 * <p>Measures one FFM downcall with errno capture (fcntl F_GETFL), and the round trip of a SYN
 * written to the TUN until the kernel's RST (closed port) is read back: the floor under any timing
 * tolerance of the Linux system under test.
 */
public final class TunBenchmark {
  private TunBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = 200_000;
    int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    try (Netns ns = Netns.create("bench");
        TunDevice tun = TunDevice.open(ns, TunConfig.packetdrill())) {
      // Rounds, not one loop: the first rounds include JIT warm-up and show it.
      for (int round = 1; round <= 5; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) LibcFiles.fcntl(tun.fd(), org.tcpspec.abi.Symbol.F_GETFL.value(), 0);
        long perCall = (System.nanoTime() - t0) / calls;
        System.out.printf(
            "FFM downcall fcntl(F_GETFL) with errno capture, round %d: %d ns/call (%d calls)%n",
            round, perCall, calls);
      }

      long[] rtt = new long[roundTrips];
      int lost = 0;
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment rx = arena.allocate(TunDevice.MAX_PACKET);
        for (int i = 0; i < roundTrips; i++) {
          byte[] syn =
              SegmentEmitter.emit(
                  new Segment(
                      0xC0000201,
                      0xC0A80001,
                      10_000 + (i % 50_000),
                      9,
                      i,
                      0,
                      TcpFlags.SYN,
                      65535,
                      0,
                      List.of(),
                      new byte[0]));
          long start = System.nanoTime();
          tun.transmit(syn);
          Optional<byte[]> rst = tun.readPacket(1_000_000_000L);
          rtt[i] = System.nanoTime() - start;
          if (rst.isEmpty() || (rst.get()[33] & TcpFlags.RST) == 0) lost++;
        }
        tun.read(rx);
      }
      Arrays.sort(rtt);
      System.out.printf(
          "TUN SYN -> kernel RST round trip over %d: median %.1f us, p99 %.1f us, max %.1f us, "
              + "no RST %d%n",
          roundTrips,
          rtt[roundTrips / 2] / 1e3,
          rtt[roundTrips * 99 / 100] / 1e3,
          rtt[roundTrips - 1] / 1e3,
          lost);
    }
  }
}
