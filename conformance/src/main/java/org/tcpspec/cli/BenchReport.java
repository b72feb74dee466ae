package org.tcpspec.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.tcpspec.app.bench.BenchCell;
import org.tcpspec.app.bench.BenchTable;
import org.tcpspec.app.bench.Rounds;

/**
 * What {@link BenchCommand} prints after its transfers (without {@code --faults}): the table with
 * the ratios of each MTU, each round's ratio when there were several, then per row of ours its
 * event loop's side ({@link org.tcpspec.app.bench.OurSide}), and per timed row the processor time
 * per GB ({@link BenchRows#cpuPerGigabyte}).
 */
final class BenchReport {
  static final String RATIO_IN = "kernel->stack / kernel->kernel";
  static final String RATIO_OUT = "stack->kernel / kernel<-kernel";

  private BenchReport() {}

  /**
   * Prints to {@code out}: {@code roundsByMtu} has each MTU's {@link Rounds} (to the stack, from
   * it), {@code ourSide} and {@code cpuPerGigabyte} a text by row and MTU.
   */
  static void print(PrintWriter out, BenchTable table, int rounds, Map<Integer, Rounds[]> roundsByMtu,
      Map<String, Map<Integer, String>> ourSide, Map<String, Map<Integer, String>> cpuPerGigabyte) {
    roundsByMtu.forEach((mtu, r) -> {
      table.put(RATIO_IN, mtu, r[0].medianRatio());
      table.put(RATIO_OUT, mtu, r[1].medianRatio());
    });
    table.lines().forEach(out::println);
    if (rounds > 1) {
      out.println("each round's ratio, ours over the kernel's measured right before it (the table's ratio is their"
          + " median):");
      roundsByMtu.forEach((mtu, r) -> {
        out.printf("  %-44s MTU %-5d %s%n", RATIO_IN, mtu, texts(r[0].ratios()));
        out.printf("  %-44s MTU %-5d %s%n", RATIO_OUT, mtu, texts(r[1].ratios()));
      });
    }
    out.println("our side (event loop): segments moved per second both ways, allocation per device packet");
    ourSide.forEach((row, byMtu) -> byMtu.forEach((mtu, text) ->
        out.printf("  %-44s MTU %-5d %s%n", row, mtu, text)));
    out.println("processor time per GB moved, all threads of this process (both ends' application threads, our event"
        + " loop, the kernel's TCP in their system calls); independent of other load on the machine:");
    cpuPerGigabyte.forEach((row, byMtu) -> byMtu.forEach((mtu, text) ->
        out.printf("  %-44s MTU %-5d %s%n", row, mtu, text)));
    out.flush();
  }

  private static String texts(List<BenchCell> cells) {
    return String.join(" ", cells.stream().map(BenchCell::text).toList());
  }
}
