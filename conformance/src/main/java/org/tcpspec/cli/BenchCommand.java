package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.tcpspec.app.NetParams;
import org.tcpspec.app.bench.BenchTable;
import org.tcpspec.app.bench.BulkTransfer;
import org.tcpspec.app.bench.Cell;
import org.tcpspec.app.bench.VethPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Bulk TCP throughput in one run (issue #5): kernel to kernel over a veth pair between two
 * namespaces made for the run, at each MTU, both directions; the columns with our stack on TUN
 * say n/a until the stack and its event loop land.
 */
@Command(
    name = "bench",
    description = {
      "Measure bulk TCP throughput: kernel<->kernel over veth (baseline) and kernel<->stack over"
          + " TUN, at each MTU. Runs in throwaway network namespaces; needs root.",
      "MB = 10^6 bytes. Each transfer is one connection; setup is not timed."
    })
final class BenchCommand implements Callable<Integer> {
  static final String KERNEL_TO_KERNEL = "kernel -> kernel (veth)";
  static final String KERNEL_FROM_KERNEL = "kernel <- kernel (veth)";
  static final String KERNEL_TO_STACK = "kernel -> stack (TUN)";
  static final String STACK_TO_KERNEL = "stack -> kernel (TUN)";
  static final String RATIO = "stack / kernel";

  @Spec CommandSpec spec;

  private int megabytes = 200;
  private int maxSeconds = 10;
  private List<Integer> mtus = List.of(1500, 65_000);

  @Option(names = "--megabytes", paramLabel = "N",
      description = "Megabytes moved per transfer (1..100000, default 200).")
  void megabytes(int value) {
    if (value < 1 || value > 100_000) {
      throw new ParameterException(spec.commandLine(), "--megabytes must be in 1..100000, got " + value);
    }
    megabytes = value;
  }

  @Option(names = "--max-seconds", paramLabel = "S",
      description = "Time cap per transfer in seconds (1..120, default 10); a capped transfer"
          + " reports the rate over what arrived.")
  void maxSeconds(int value) {
    if (value < 1 || value > 120) {
      throw new ParameterException(spec.commandLine(), "--max-seconds must be in 1..120, got " + value);
    }
    maxSeconds = value;
  }

  @Option(names = "--mtu", split = ",", paramLabel = "M",
      description = "MTUs to measure, comma-separated (576..65000, default 1500,65000).")
  void mtus(List<Integer> values) {
    for (int m : values) {
      NetParams.checkMtu(m).ifPresent(p -> {
        throw new ParameterException(spec.commandLine(), "--mtu: " + p);
      });
    }
    mtus = List.copyOf(new java.util.LinkedHashSet<>(values));
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long bytes = megabytes * 1_000_000L;
    Duration cap = Duration.ofSeconds(maxSeconds);
    out.printf("tcpspec bench: %d MB per transfer, one TCP connection each, capped at %d s%n",
        megabytes, maxSeconds);
    out.flush();
    BenchTable table = new BenchTable(mtus);
    try (VethPair pair = VethPair.create()) {
      for (int mtu : mtus) {
        pair.setMtu(mtu);
        table.put(KERNEL_TO_KERNEL, mtu, new Cell.Measured(
            BulkTransfer.run(pair.a(), pair.b(), VethPair.address(VethPair.B_ADDRESS), bytes, cap)));
        table.put(KERNEL_FROM_KERNEL, mtu, new Cell.Measured(
            BulkTransfer.run(pair.b(), pair.a(), VethPair.address(VethPair.A_ADDRESS), bytes, cap)));
      }
    } catch (IOException | RuntimeException e) {
      err.println("tcpspec bench: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 1;
    }
    for (int mtu : mtus) {
      table.put(KERNEL_TO_STACK, mtu, Cell.STACK_NOT_LANDED);
      table.put(STACK_TO_KERNEL, mtu, Cell.STACK_NOT_LANDED);
      table.put(RATIO, mtu, Cell.STACK_NOT_LANDED);
    }
    table.lines().forEach(out::println);
    out.flush();
    return 0;
  }
}
