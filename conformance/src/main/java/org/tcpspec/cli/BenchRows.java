package org.tcpspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpspec.app.KernelStreams;
import org.tcpspec.app.StackStreams;
import org.tcpspec.app.bench.BenchCell;
import org.tcpspec.app.bench.BenchTable;
import org.tcpspec.app.bench.BulkTransfer;
import org.tcpspec.app.bench.KernelCongestionControl;
import org.tcpspec.app.bench.OurSide;
import org.tcpspec.app.bench.Rounds;
import org.tcpspec.app.bench.TransferProgress;
import org.tcpspec.app.bench.VethPair;
import org.tcpspec.device.linux.LibcClock;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.runtime.EventLoop;
import org.tcpspec.runtime.TunStack;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The transfers behind {@link BenchCommand}'s table (without {@code --faults}): the untimed
 * warm-up of our stack, the kernel's rows over veth and ours of one connection in alternating
 * rounds, then our other configurations over TUN. Each timed transfer notes its processor time
 * per GB, and each of ours what our event loop did; {@link BenchReport} prints both below the
 * table.
 */
final class BenchRows {
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

  private static final int STACK_PORT = 5001;
  /** Moved per untimed warm-up transfer before our first row (see {@link #warmUp}). */
  static final long WARM_UP_BYTES = 100_000_000L;
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

  /** The command's: where the warm-up's line and our stack's log lines go. */
  private final CommandSpec spec;
  private final boolean ipv6;
  private final String congestionControl;
  private final int rounds;
  /** The configurations of ours that {@code --rows} picked ({@link BenchCommand#ROWS}). */
  private final List<String> ourRows;

  BenchRows(CommandSpec spec, boolean ipv6, String congestionControl, int rounds, List<String> ourRows) {
    this.spec = spec;
    this.ipv6 = ipv6;
    this.congestionControl = congestionControl;
    this.rounds = rounds;
    this.ourRows = ourRows;
  }

  /** Processor seconds per GB of each timed transfer so far, by row and MTU. */
  Map<String, Map<Integer, String>> cpuPerGigabyte() {
    return cpuPerGigabyte;
  }

  /** How many timed transfers of ours failed so far. */
  int failed() {
    return failed;
  }

  /**
   * {@link #rounds} rounds at {@code mtu}, each the kernel's two rows and then ours of one
   * connection (if {@code --rows} has it), into {@link Rounds}: kernel to stack and stack to
   * kernel, in that order. The table gets their medians; each round's rows of the processor time
   * and our side are named with their round.
   */
  Rounds[] alternatingRounds(BenchTable table, Map<String, Map<Integer, String>> ourSide, int mtu, long bytes,
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
  void warmUp(int mtu, long bytes, Duration cap) throws IOException, InterruptedException {
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
  void stackOverTun(BenchTable table, Map<String, Map<Integer, String>> ourSide, int mtu, long bytes,
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
    return LibcClock.processCpuNanos();
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
