package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tcpspec.app.KernelStreams;
import org.tcpspec.app.NetParams;
import org.tcpspec.app.StackStreams;
import org.tcpspec.app.bench.BenchTable;
import org.tcpspec.app.bench.BulkTransfer;
import org.tcpspec.app.bench.BenchCell;
import org.tcpspec.app.bench.FaultSpec;
import org.tcpspec.app.bench.FaultedTransfers;
import org.tcpspec.app.bench.KernelCongestionControl;
import org.tcpspec.app.bench.OurSide;
import org.tcpspec.app.bench.Rounds;
import org.tcpspec.app.bench.TransferProgress;
import org.tcpspec.app.bench.VethPair;
import org.tcpspec.device.linux.Libc;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.device.linux.TunConfig;
import org.tcpspec.runtime.EventLoop;
import org.tcpspec.runtime.TunStack;
import org.tcpspec.stack.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Bulk TCP throughput in one run (issue #5): kernel to kernel over a veth pair between two
 * namespaces made for the run, and kernel to our stack and back over a TUN device in a third, at
 * each MTU; then our rate over the kernel's for the same direction.
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
  static final String KERNEL_TO_KERNEL = "kernel -> kernel (veth)";
  static final String KERNEL_FROM_KERNEL = "kernel <- kernel (veth)";
  static final String KERNEL_TO_STACK = "kernel -> stack (TUN)";
  static final String STACK_TO_KERNEL = "stack -> kernel (TUN)";
  /** Rows of our stack in other configurations than the default (offloads on, one connection). */
  static final List<Integer> MORE_CONNECTIONS = List.of(4, 16);
  static final String OFFLOAD_OFF = "offload off";
  /**
   * Our stack autotunes its buffers as Linux does (tcp_rcv_space_adjust, tcp_sndbuf_expand, up to
   * tcp_rmem and tcp_wmem's max); one row gives it, from the start, buffers of the size the
   * kernel's grow to in these transfers.
   */
  static final Map<String, String> LARGE_BUFFERS =
      Map.of("tcp_rmem", "4096 4194304 33554432", "tcp_wmem", "4096 4194304 4194304");
  static final String LARGE_BUFFERS_LABEL = "4 MB buffers";
  static final String RATIO_IN = "kernel->stack / kernel->kernel";
  static final String RATIO_OUT = "stack->kernel / kernel<-kernel";
  static final String FAULTED_IN = "kernel -> stack (TUN, faulted)";
  static final String FAULTED_OUT = "stack -> kernel (TUN, faulted)";
  static final String FAULTED_RATIO = "ours / kernel's (stack->kernel / kernel->stack)";
  private static final int STACK_PORT = 5001;
  /** Moved per untimed warm-up transfer before our first row (see {@link #warmUp}). */
  private static final long WARM_UP_BYTES = 100_000_000L;
  /** Packets our event loop reads, and then writes, in the warm-up: several times C2's threshold. */
  private static final long WARM_UP_PACKETS = 20_000;
  /**
   * Each of our rows runs its transfer once untimed first, for a third of the least duration, on
   * the same stack: the stack's pool of receive chunks (tcb.ChunkPool) grows to what this
   * configuration's connections reserve (their buffers' autotuned capacities), as on a stack that
   * has been running, so the timed transfer's allocation count shows the data path, not the pool
   * filling. A failure there shows again in the timed transfer.
   */
  private static final int ROW_WARM_UP_PART = 3;
  /** The warm-up stops here even short of its packets (a slow machine still gets its table). */
  private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(60);

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
    try {
      warmUp(mtus.getFirst(), Math.min(bytes, WARM_UP_BYTES), cap);
      for (int mtu : mtus) {
        roundsByMtu.put(mtu, alternatingRounds(table, ourSide, mtu, bytes, least, cap));
        stackOverTun(table, ourSide, mtu, bytes, least, cap);
      }
    } catch (IOException | RuntimeException e) {
      err.println("tcpspec bench: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 1;
    }
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
    if (failed > 0) {
      err.println("tcpspec bench: " + failed + " transfer(s) failed (their cells say why)");
      err.flush();
      return 1;
    }
    return 0;
  }

  /** Processor seconds per GB of each timed transfer, by row and MTU (see {@link #costed}). */
  private final Map<String, Map<Integer, String>> cpuPerGigabyte = new LinkedHashMap<>();

  @FunctionalInterface
  private interface CellOf {
    BenchCell run() throws IOException, InterruptedException;
  }

  /**
   * Runs the transfer of {@code row} and notes the processor time this process spent per GB on it:
   * rates say how fast with what the machine had spare, this says how much a byte costs, which
   * other work on a shared machine does not change (much).
   */
  private BenchCell costed(String row, int mtu, CellOf transfer) throws IOException, InterruptedException {
    long before = processCpuNanos();
    BenchCell cell = transfer.run();
    long used = processCpuNanos() - before;
    if (cell instanceof BenchCell.Measured(BulkTransfer.Result r) && r.bytes() > 0) {
      cpuPerGigabyte.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(mtu, String.format(java.util.Locale.ROOT,
          "%.2f processor-seconds per GB (%.0f%% of a processor at %.0f MB/s)", used / 1e9 / (r.bytes() / 1e9),
          100.0 * used / r.nanos(), r.megabytesPerSecond()));
    }
    return cell;
  }

  /** {@code sysctls} for our stack, with {@code --cc}'s congestion control. */
  private Map<String, String> withCongestionControl(Map<String, String> sysctls) {
    Map<String, String> all = new LinkedHashMap<>(sysctls);
    all.put("tcp_congestion_control", congestionControl);
    return all;
  }

  /** This process's processor time so far (all threads, user and system), to the nanosecond. */
  private static long processCpuNanos() {
    return Libc.processCpuNanos();
  }

  /** {@code --faults}: the two faulted transfers at each MTU, then ours over the kernel's. */
  private int faulted() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (megabytes == null) megabytes = 100;
    if (maxSeconds == null) maxSeconds = 300;
    if (mtus == null) mtus = List.of(1500);
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

  private static String texts(List<BenchCell> cells) {
    return String.join(" ", cells.stream().map(BenchCell::text).toList());
  }

  /**
   * {@link #rounds} rounds at {@code mtu}, each the kernel's two rows and then ours of one
   * connection (if {@code --rows} has it), into {@link Rounds}: kernel to stack and stack to
   * kernel, in that order. The table gets their medians; each round's rows of the processor time
   * and our side are named with their round.
   */
  private Rounds[] alternatingRounds(BenchTable table, Map<String, Map<Integer, String>> ourSide, int mtu, long bytes,
      Duration least, Duration cap) throws IOException, InterruptedException {
    Rounds in = new Rounds();
    Rounds out = new Rounds();
    for (int round = 1; round <= rounds; round++) {
      String suffix = rounds == 1 ? "" : ", round " + round;
      BenchCell[] kernel = kernelBaseline(mtu, suffix, bytes, least, cap);
      BenchCell[] ours = ourRows.contains("1")
          ? stackOverTun(ourSide, mtu, true, Map.of(), "", suffix, bytes, least, cap, 1)
          : new BenchCell[] {new BenchCell.NotAvailable("not run"), new BenchCell.NotAvailable("not run")};
      in.add(ours[0], kernel[0]);
      out.add(ours[1], kernel[1]);
    }
    table.put(KERNEL_TO_KERNEL, mtu, in.kernelCell());
    table.put(KERNEL_FROM_KERNEL, mtu, out.kernelCell());
    if (ourRows.contains("1")) {
      table.put(KERNEL_TO_STACK, mtu, in.ourCell());
      table.put(STACK_TO_KERNEL, mtu, out.ourCell());
    }
    return new Rounds[] {in, out};
  }

  /**
   * Kernel to kernel over veth at {@code mtu}, both ways, measured right before our rows at that
   * MTU: the machine's load moves within a run (other work on a shared VM), so the transfers a ratio
   * compares run minutes apart no more. Returns the two cells, to the kernel and from it.
   */
  private BenchCell[] kernelBaseline(int mtu, String suffix, long bytes, Duration least, Duration cap)
      throws IOException, InterruptedException {
    try (VethPair pair = VethPair.create(ipv6)) {
      InetAddress a = VethPair.address(ipv6 ? VethPair.A_ADDRESS6 : VethPair.A_ADDRESS);
      InetAddress b = VethPair.address(ipv6 ? VethPair.B_ADDRESS6 : VethPair.B_ADDRESS);
      pair.setMtu(mtu);
      KernelCongestionControl.set(pair.a(), congestionControl);
      KernelCongestionControl.set(pair.b(), congestionControl);
      BenchCell to = costed(KERNEL_TO_KERNEL + suffix, mtu,
          () -> new BenchCell.Measured(BulkTransfer.run(pair.a(), pair.b(), b, bytes, least, cap)));
      BenchCell from = costed(KERNEL_FROM_KERNEL + suffix, mtu,
          () -> new BenchCell.Measured(BulkTransfer.run(pair.b(), pair.a(), a, bytes, least, cap)));
      return new BenchCell[] {to, from};
    }
  }


  /**
   * Untimed transfers each way through our stack until its event loop has read {@link
   * #WARM_UP_PACKETS} packets kernel to stack and written as many stack to kernel, so that its first
   * timed row does not run the data path in the JIT's lower tiers or beside C2 compiling it (the
   * kernel's code needs no warming). Counted in packets, not bytes: C2 takes a method after about
   * 5,000 calls (Tier4InvocationThreshold), and with the offloads on a packet carries up to 64 KB,
   * so 100 MB is only 1,500 calls of the per-packet code.
   */
  private void warmUp(int mtu, long bytes, Duration cap) throws IOException, InterruptedException {
    InetAddress kernel = VethPair.address(ipv6 ? TunStack.KERNEL_ADDRESS6 : TunStack.KERNEL_ADDRESS);
    InetAddress stackAddr = VethPair.address(ipv6 ? TunStack.STACK_ADDRESS6 : TunStack.STACK_ADDRESS);
    PrintWriter err = spec.commandLine().getErr();
    long in = 0;
    long out = 0;
    long deadline = System.nanoTime() + WARM_UP_LIMIT.toNanos();
    try (Netns ns = Netns.create("benchtun");
        TunStack stack = TunStack.start(ns, mtu, true, withCongestionControl(Map.of()),
            line -> err.println("tcpspec bench: " + line))) {
      KernelCongestionControl.set(ns, congestionControl);
      EventLoop loop = stack.loop();
      while (loop.packetsReceived() < WARM_UP_PACKETS && System.nanoTime() < deadline) {
        in += BulkTransfer.run(StackStreams.listen(stack.sockets(), STACK_PORT, 1),
            port -> BulkTransfer.callIo(ns, () -> KernelStreams.connect(stackAddr, port)), bytes, cap).bytes();
      }
      long written = loop.packetsTransmitted();
      while (loop.packetsTransmitted() - written < WARM_UP_PACKETS && System.nanoTime() < deadline) {
        out += BulkTransfer.run(BulkTransfer.callIo(ns, () -> KernelStreams.listen(kernel, 0, 1)),
            port -> StackStreams.connect(stack.sockets(), kernel, port), bytes, cap).bytes();
      }
      PrintWriter o = spec.commandLine().getOut();
      o.printf("warm-up (not in the table): at MTU %d, %d MB in and %d MB out, %d packets read and %d written by"
          + " our event loop%n", mtu, in / 1_000_000, out / 1_000_000, loop.packetsReceived(), loop.packetsTransmitted());
      o.flush();
    }
  }

  /**
   * Our stack behind a TUN device of MTU {@code mtu} in a namespace made for it, against that
   * namespace's kernel, in the configurations other than one connection (those run in {@link
   * #alternatingRounds}). A failed transfer fills its cell with the reason; the run goes on.
   */
  private void stackOverTun(BenchTable table, Map<String, Map<Integer, String>> ourSide, int mtu, long bytes,
      Duration least, Duration cap) throws IOException, InterruptedException {
    for (int n : MORE_CONNECTIONS) {
      if (ourRows.contains(Integer.toString(n))) {
        stackOverTun(table, ourSide, mtu, true, Map.of(), n + " connections", bytes, least, cap, n);
      }
    }
    if (ourRows.contains("offload-off")) stackOverTun(table, ourSide, mtu, false, Map.of(), OFFLOAD_OFF, bytes, least, cap, 1);
    if (ourRows.contains("4mb")) {
      stackOverTun(table, ourSide, mtu, true, LARGE_BUFFERS, LARGE_BUFFERS_LABEL, bytes, least, cap, 1);
    }
  }

  /** {@link #stackOverTun(Map, int, boolean, Map, String, String, long, Duration, Duration, int)} into the table. */
  private void stackOverTun(BenchTable table, Map<String, Map<Integer, String>> ourSide, int mtu, boolean offloads,
      Map<String, String> sysctls, String label, long bytes, Duration least, Duration cap, int connections)
      throws IOException, InterruptedException {
    BenchCell[] cells = stackOverTun(ourSide, mtu, offloads, sysctls, label, "", bytes, least, cap, connections);
    table.put(rowName("kernel -> stack", label), mtu, cells[0]);
    table.put(rowName("stack -> kernel", label), mtu, cells[1]);
  }

  /** A row of our stack: the direction, then the TUN device and the configuration's {@code label}, if any. */
  private static String rowName(String direction, String label) {
    return direction + " (TUN" + (label.isEmpty() ? "" : ", " + label) + ")";
  }

  /**
   * The two rows of one configuration of our stack, kernel to stack and stack to kernel: {@code
   * label} goes into the row names, {@code suffix} (a round) into those of our side and of the
   * processor time.
   */
  private BenchCell[] stackOverTun(Map<String, Map<Integer, String>> ourSide, int mtu, boolean offloads,
      Map<String, String> sysctls, String label, String suffix, long bytes, Duration least, Duration cap,
      int connections) throws IOException, InterruptedException {
    InetAddress kernel = VethPair.address(ipv6 ? TunStack.KERNEL_ADDRESS6 : TunStack.KERNEL_ADDRESS);
    InetAddress stackAddr = VethPair.address(ipv6 ? TunStack.STACK_ADDRESS6 : TunStack.STACK_ADDRESS);
    PrintWriter err = spec.commandLine().getErr();
    String in = rowName("kernel -> stack", label) + suffix;
    String outRow = rowName("stack -> kernel", label) + suffix;
    try (Netns ns = Netns.create("benchtun");
        TunStack stack = TunStack.start(ns, mtu, offloads, withCongestionControl(sysctls),
            line -> err.println("tcpspec bench: " + line))) {
      KernelCongestionControl.set(ns, congestionControl);
      EventLoop loop = stack.loop();
      OurSide[] steady = new OurSide[2];
      TransferOf inbound = (duration, progress) -> BulkTransfer.runParallel(
          StackStreams.listen(stack.sockets(), STACK_PORT, connections),
          port -> BulkTransfer.callIo(ns, () -> KernelStreams.connect(stackAddr, port)), connections, bytes, duration,
          cap, progress);
      TransferOf outbound = (duration, progress) -> BulkTransfer.runParallel(
          ns.call(() -> KernelStreams.listen(kernel, 0, connections)),
          port -> StackStreams.connect(stack.sockets(), kernel, port), connections, bytes, duration, cap, progress);
      untimed(() -> inbound.run(least.dividedBy(ROW_WARM_UP_PART), TransferProgress.NONE));
      OurSide before = OurSide.of(loop);
      BenchCell inCell = costed(in, mtu,
          () -> attempt(() -> inbound.run(least, steadyWindow(loop, bytes, least, steady))));
      ourSide.computeIfAbsent(in, r -> new LinkedHashMap<>()).put(mtu, ourText(OurSide.of(loop).since(before), steady));
      untimed(() -> outbound.run(least.dividedBy(ROW_WARM_UP_PART), TransferProgress.NONE));
      OurSide middle = OurSide.of(loop);
      BenchCell outCell = costed(outRow, mtu,
          () -> attempt(() -> outbound.run(least, steadyWindow(loop, bytes, least, steady))));
      ourSide.computeIfAbsent(outRow, r -> new LinkedHashMap<>()).put(mtu, ourText(OurSide.of(loop).since(middle), steady));
      return new BenchCell[] {inCell, outCell};
    }
  }

  /**
   * Samples {@code loop} into {@code samples} at a quarter and at three quarters of a transfer of
   * at least {@code bytes} and {@code least}.
   */
  private static TransferProgress steadyWindow(EventLoop loop, long bytes, Duration least, OurSide[] samples) {
    samples[0] = null;
    samples[1] = null;
    return TransferProgress.quarters(bytes, least.toNanos(), () -> samples[0] = OurSide.of(loop),
        () -> samples[1] = OurSide.of(loop));
  }

  /** The row's text: rates over the whole transfer, allocation over its steady part (if it got there). */
  private static String ourText(OurSide whole, OurSide[] steady) {
    if (steady[0] == null || steady[1] == null) return whole.text(OurSide.NOTHING) + " (steady part not reached)";
    return whole.text(steady[1].since(steady[0]));
  }

  @FunctionalInterface
  private interface Transfer {
    BulkTransfer.Result run() throws Exception;
  }

  /** A row's transfer lasting at least {@code least}, telling {@code progress} of its reads. */
  @FunctionalInterface
  private interface TransferOf {
    BulkTransfer.Result run(Duration least, TransferProgress progress) throws Exception;
  }

  /** A row's untimed first transfer: a failure there shows again in the timed one, which counts it. */
  private static void untimed(Transfer t) {
    try {
      t.run();
    } catch (Exception e) {
      // the timed transfer that follows on the same stack reports it
    }
  }

  /** Timed transfers of ours that failed: a run with any is not a success (exit 1). */
  private int failed;

  private BenchCell attempt(Transfer t) {
    try {
      return new BenchCell.Measured(t.run());
    } catch (Exception e) {
      failed++;
      return new BenchCell.NotAvailable("failed: " + (e.getMessage() == null ? e : e.getMessage()));
    }
  }
}
