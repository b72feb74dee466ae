package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tcpspec.app.NetParams;
import org.tcpspec.app.bench.BenchTable;
import org.tcpspec.app.bench.FaultSpec;
import org.tcpspec.app.bench.Rounds;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.stack.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Bulk TCP throughput in one run (issue #5): kernel to kernel over a veth pair between two
 * namespaces made for the run, and kernel to our stack and back over a TUN device in a third, at
 * each MTU; then our rate over the kernel's for the same direction. Here are the options and
 * their defaults; {@link BenchRows} runs the transfers, {@link BenchReport} prints what they
 * measured, and {@link FaultedBench} is {@code --faults}.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "bench",
    description = {
      "Measure bulk TCP throughput: kernel<->kernel over veth (baseline) and kernel<->stack over"
          + " TUN, at each MTU. Runs in throwaway network namespaces; needs root.",
      "With --faults: the kernel's sender into our stack and our sender into the kernel, the same"
          + " seeded faults on the data direction of both (our stack's fault injector on its receive,"
          + " then its transmit path), the same congestion control on both ends; prints both rates"
          + " and ours over the kernel's. Content is checked (SHA-256).",
      "With --ipv6 the same transfers over IPv6: the veth pair and the TUN device carry"
          + " 2001:db8::/64 addresses (MTUs of at least 1280).",
      "Our stack runs with the TUN offloads on (TCP super-packets of up to 64 KB through the"
          + " virtio-net header), over 1, 4 and 16 connections, and with the offloads off; its code is"
          + " warmed up first by untimed transfers each way (20,000 packets each way through its event loop)."
          + " Below the table, for each of our rows,"
          + " the segments per second our event loop moved (both ways; and each way's packets and segments per"
          + " packet: a transfer's ACKs are the packets written on its receiving side) and the bytes its thread"
          + " allocated per device packet between a quarter and three quarters of the transfer (after"
          + " the connections' warm-up: buffers growing to their autotuned size), and how much of that"
          + " the receive chunk pool made for buffers that reserved their capacity. Each row of ours runs its"
          + " transfer once untimed first, on the same stack. The kernel's rows and ours of one connection"
          + " run in --rounds alternating rounds at each MTU, the kernel's first; their cells are the median"
          + " rates, the ratios the median of each round's ratio (printed below the table). Last, for every"
          + " timed transfer, the processor time of this process per GB moved (both ends, the kernel's TCP in"
          + " their system calls): what a byte costs, which other load changes less than the rates.",
      "Each transfer moves at least --megabytes and lasts at least --seconds (the sender goes on"
          + " writing until both are reached): a 200 MB transfer alone lasts 0.1-0.2 s at these rates, so"
          + " short that a descheduled thread decides the row.",
      "MB = 10^6 bytes. Rows without a count are one connection; setup is not timed."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private Integer megabytes;
  private Integer seconds;
  private Integer maxSeconds;
  private List<Integer> mtus;
  private FaultSpec faults;
  private String faultsText;
  private long seed = 20_261_121L;
  private String congestionControl = "reno";
  private int rounds = 3;

  /** Our configurations to run ({@link #rows}): all by default. */
  private List<String> ourRows = ROWS;

  /** The names {@code --rows} takes: connection counts with the offloads on, then the other two configurations. */
  static final List<String> ROWS = List.of("1", "4", "16", "offload-off", "4mb");

  @Option(names = "--rows", split = ",", paramLabel = "R",
      description = "Which of our stack's configurations to measure, comma-separated: 1, 4, 16 (connections,"
          + " offloads on), offload-off, 4mb (default all; the kernel rows of each MTU always run).")
  void rows(List<String> values) {
    for (String v : values) {
      if (!ROWS.contains(v)) {
        throw new ParameterException(spec.commandLine(), "--rows: no row '" + v + "' (one of " + String.join(", ", ROWS)
            + ")");
      }
    }
    ourRows = List.copyOf(new java.util.LinkedHashSet<>(values));
  }

  @Option(names = "--rounds", paramLabel = "N",
      description = "Rounds of the kernel's rows and ours of one connection, alternating, at each MTU (1..15,"
          + " default 3; not with --faults): their cells are the median rates and the ratios the median of each"
          + " round's ratio, ours over the kernel's measured right before it, since the kernel's own rate moves"
          + " by up to 2x between runs on a shared machine.")
  void rounds(int value) {
    requireIn("--rounds", value, 1, 15);
    rounds = value;
  }

  /** A usage error (exit 2) unless {@code min <= value <= max}. */
  private void requireIn(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(spec.commandLine(), option + " must be in " + min + ".." + max + ", got " + value);
    }
  }

  @Option(names = "--ipv6", description = "Measure over IPv6 (2001:db8::/64 on veth and TUN; MTU at least 1280).")
  private boolean ipv6;

  @Option(names = "--megabytes", paramLabel = "N",
      description = "Megabytes moved per transfer, at least (1..100000, default 200; exactly, 100 by default, with --faults).")
  void megabytes(int value) {
    requireIn("--megabytes", value, 1, 100_000);
    megabytes = value;
  }

  @Option(names = "--seconds", paramLabel = "S",
      description = "Least duration of each transfer in seconds (0..300, default 3; not with --faults): the"
          + " sender writes on until both this and --megabytes are reached.")
  void seconds(int value) {
    requireIn("--seconds", value, 0, 300);
    seconds = value;
  }

  @Option(names = "--max-seconds", paramLabel = "S",
      description = "Time cap per transfer in seconds (1..600, default 10; 300 with --faults); a capped"
          + " transfer reports the rate over what arrived.")
  void maxSeconds(int value) {
    requireIn("--max-seconds", value, 1, 600);
    maxSeconds = value;
  }

  @Option(names = "--faults", paramLabel = "loss=P,dup=P,reorder=P",
      description = "Fault the data direction of kernel<->stack transfers, in percent (e.g."
          + " loss=5,dup=2,reorder=25); measures only those (default MTU 1500).")
  void faults(String value) {
    try {
      FaultSpec.parse(value, 0);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--faults: " + e.getMessage());
    }
    faultsText = value;
  }

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the faults (default 20261121).")
  void seed(long value) {
    seed = value;
  }

  @Option(names = "--cc", paramLabel = "NAME",
      description = "Congestion control of both ends of every transfer, the kernels' and our stack's"
          + " (default reno; this kernel cannot select cubic in a namespace). Set in every namespace,"
          + " not inherited from the host, whose default may be one our stack lacks (bbr, whose pacing"
          + " costs the kernel's sender far more over TUN than over veth).")
  void congestionControl(String value) {
    if (StackConfig.linuxDefaults().withSysctl("tcp_congestion_control", value).isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--cc: the java stack has no congestion control '"
          + value + "'");
    }
    congestionControl = value;
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
    if (ipv6 && faultsText != null) {
      throw new ParameterException(spec.commandLine(), "--ipv6: the faulted transfers run over IPv4 only");
    }
    if (ipv6 && mtus != null && mtus.stream().anyMatch(m -> m < TunConfig.IPV6_MIN_MTU)) {
      throw new ParameterException(spec.commandLine(), "--ipv6 needs every --mtu of at least 1280 (RFC 8200 §5)");
    }
    if (faultsText != null && spec.commandLine().getParseResult().hasMatchedOption("--rounds")) {
      throw new ParameterException(spec.commandLine(), "--rounds: the faulted transfers run once");
    }
    if (faultsText != null && seconds != null) {
      throw new ParameterException(spec.commandLine(), "--seconds: the faulted transfers move exactly --megabytes");
    }
    if (seconds != null && maxSeconds != null && maxSeconds <= seconds) {
      throw new ParameterException(spec.commandLine(), "--max-seconds (" + maxSeconds + ") must exceed --seconds ("
          + seconds + ")");
    }
    if (faultsText != null) {
      faults = FaultSpec.parse(faultsText, seed);
      return faulted();
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (megabytes == null) megabytes = 200;
    if (seconds == null) seconds = 3;
    if (maxSeconds == null) maxSeconds = Math.max(10, 2 * seconds + 4);
    if (mtus == null) mtus = List.of(1500, 65_000);
    long bytes = megabytes * 1_000_000L;
    Duration least = Duration.ofSeconds(seconds);
    Duration cap = Duration.ofSeconds(maxSeconds);
    out.printf("tcpspec bench: each transfer at least %d MB and %d s, capped at %d s, %s on both ends%s%s%n",
        megabytes, seconds, maxSeconds, congestionControl, ipv6 ? ", over IPv6" : "",
        rounds == 1 ? "" : "; the kernel's rows and ours of one connection in " + rounds
            + " alternating rounds (their medians)");
    out.flush();
    BenchTable table = new BenchTable(mtus);
    Map<String, Map<Integer, String>> ourSide = new LinkedHashMap<>();
    Map<Integer, Rounds[]> roundsByMtu = new LinkedHashMap<>();
    BenchRows rows = new BenchRows(spec, ipv6, congestionControl, rounds, ourRows);
    try {
      rows.warmUp(mtus.getFirst(), Math.min(bytes, BenchRows.WARM_UP_BYTES), cap);
      for (int mtu : mtus) {
        roundsByMtu.put(mtu, rows.alternatingRounds(table, ourSide, mtu, bytes, least, cap));
        rows.stackOverTun(table, ourSide, mtu, bytes, least, cap);
      }
    } catch (IOException | RuntimeException e) {
      err.println("tcpspec bench: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 1;
    }
    BenchReport.print(out, table, rounds, roundsByMtu, ourSide, rows.cpuPerGigabyte());
    if (rows.failed() > 0) {
      err.println("tcpspec bench: " + rows.failed() + " transfer(s) failed (their cells say why)");
      err.flush();
      return 1;
    }
    return 0;
  }

  /** {@code --faults}: its defaults, then the faulted transfers ({@link FaultedBench}). */
  private int faulted() throws InterruptedException {
    if (megabytes == null) megabytes = 100;
    if (maxSeconds == null) maxSeconds = 300;
    if (mtus == null) mtus = List.of(1500);
    return FaultedBench.run(spec, faults, congestionControl, megabytes, maxSeconds, mtus);
  }
}
