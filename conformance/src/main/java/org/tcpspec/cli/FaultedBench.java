package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.tcpspec.app.bench.BenchCell;
import org.tcpspec.app.bench.BenchTable;
import org.tcpspec.app.bench.FaultSpec;
import org.tcpspec.app.bench.FaultedTransfers;
import org.tcpspec.app.bench.Rounds;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bench --faults}: at each MTU the kernel's sender into our stack and our sender into the
 * kernel under the same seeded faults ({@link FaultedTransfers}), one line each as they finish,
 * then the table with ours over the kernel's.
 */
final class FaultedBench {
  static final String FAULTED_IN = "kernel -> stack (TUN, faulted)";
  static final String FAULTED_OUT = "stack -> kernel (TUN, faulted)";
  static final String FAULTED_RATIO = "ours / kernel's (stack->kernel / kernel->stack)";

  private FaultedBench() {}

  /**
   * The two faulted transfers of {@code megabytes} MB at each of {@code mtus}, each capped at
   * {@code maxSeconds}, both ends running {@code congestionControl}; 0 when every one was
   * measured, else 1. {@code spec} is the command's, for its out and err.
   */
  static int run(CommandSpec spec, FaultSpec faults, String congestionControl, int megabytes, int maxSeconds,
      List<Integer> mtus) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long bytes = megabytes * 1_000_000L;
    Duration cap = Duration.ofSeconds(maxSeconds);
    out.printf("tcpspec bench: %d MB per transfer under %s on the data direction, %s on both ends, capped at %d s%n",
        megabytes, faults.describe(), congestionControl, maxSeconds);
    out.flush();
    BenchTable table = new BenchTable(mtus);
    try {
      for (int mtu : mtus) {
        FaultedTransfers.Outcome in = FaultedTransfers.kernelToStack(mtu, faults, congestionControl, bytes, cap,
            line -> err.println("tcpspec bench: " + line));
        table.put(FAULTED_IN, mtu, in.cell());
        out.printf("  MTU %d kernel -> stack: %s; %s%n", mtu, in.cell().text(), in.faults());
        out.flush();
        FaultedTransfers.Outcome ours = FaultedTransfers.stackToKernel(mtu, faults, congestionControl, bytes, cap,
            line -> err.println("tcpspec bench: " + line));
        table.put(FAULTED_OUT, mtu, ours.cell());
        out.printf("  MTU %d stack -> kernel: %s; %s%n", mtu, ours.cell().text(), ours.faults());
        out.flush();
        table.put(FAULTED_RATIO, mtu, Rounds.ratio(ours.cell(), in.cell()));
      }
    } catch (IOException | RuntimeException e) {
      err.println("tcpspec bench: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 1;
    }
    table.lines().forEach(out::println);
    out.flush();
    boolean allMeasured = mtus.stream().allMatch(m -> table.get(FAULTED_IN, m) instanceof BenchCell.Measured
        && table.get(FAULTED_OUT, m) instanceof BenchCell.Measured);
    return allMeasured ? 0 : 1;
  }
}
