package org.tcpspec.app.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.tcpspec.app.KernelStreams;
import org.tcpspec.app.StackStreams;
import org.tcpspec.device.FaultInjector;
import org.tcpspec.device.ReceiveFaults;
import org.tcpspec.device.linux.Ipv4Cidr;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.runtime.TunStack;
import org.tcpspec.time.SystemClock;

/**
 * Bulk transfers over a faulted data path, the same faults for both senders (issue #9, point 5):
 * the kernel's sender into our stack with the faults on our stack's receive path ({@link
 * ReceiveFaults}), and our sender into the kernel with them on our transmit path ({@link
 * FaultInjector}); the ACKs pass clean both times. Both ends run the same congestion control: the
 * namespace's kernel is set to it (tcp_congestion_control), our stack too. Each transfer has a
 * namespace of its own and checks its content (SHA-256 of a seeded pseudo-random stream).
 */
public final class FaultedTransfers {
  private static final int STACK_PORT = 5002;

  private FaultedTransfers() {}

  /** One faulted transfer: its result or why there is none, and what the injector did. */
  public record Outcome(BenchCell cell, String faults) {}

  /** The kernel sends {@code bytes} to our stack; its data is faulted on the stack's receive path. */
  public static Outcome kernelToStack(int mtu, FaultSpec faults, String congestionControl, long bytes, Duration cap,
      Consumer<String> log) throws IOException, InterruptedException {
    InetAddress stackAddr = InetAddress.getByName(TunStack.STACK_ADDRESS);
    ReceiveFaults[] inbound = new ReceiveFaults[1];
    try (Netns ns = Netns.create("benchfin")) {
      KernelCongestionControl.set(ns, congestionControl);
      try (TunStack stack = TunStack.start(ns, mtu, Map.of("tcp_congestion_control", congestionControl), SystemClock.INSTANCE,
          device -> inbound[0] = new ReceiveFaults(device, faults.rates()), log)) {
        BenchCell cell = attempt(() -> BulkTransfer.runChecked(
            StackStreams.listen(stack.sockets(), STACK_PORT, 1),
            port -> BulkTransfer.callIo(ns, () -> KernelStreams.connect(stackAddr, port)), bytes, cap,
            faults.rates().seed()));
        return new Outcome(cell, inbound[0].lost() + " kernel packets lost before the stack");
      }
    }
  }

  /** Our stack sends {@code bytes} to the kernel; its data is faulted on the stack's transmit path. */
  public static Outcome stackToKernel(int mtu, FaultSpec faults, String congestionControl, long bytes, Duration cap,
      Consumer<String> log) throws IOException, InterruptedException {
    int kernelAddr = Ipv4Cidr.parseAddress(TunStack.KERNEL_ADDRESS);
    InetAddress kernel = InetAddress.getByName(TunStack.KERNEL_ADDRESS);
    FaultInjector[] outbound = new FaultInjector[1];
    try (Netns ns = Netns.create("benchfout")) {
      KernelCongestionControl.set(ns, congestionControl);
      try (TunStack stack = TunStack.start(ns, mtu, Map.of("tcp_congestion_control", congestionControl), SystemClock.INSTANCE,
          device -> outbound[0] = new FaultInjector(device, faults.rates()), log)) {
        BenchCell cell = attempt(() -> BulkTransfer.runChecked(
            ns.call(() -> KernelStreams.listen(kernel, 0, 1)),
            port -> StackStreams.connect(stack.sockets(), kernelAddr, port), bytes, cap, faults.rates().seed()));
        FaultInjector.Stats st = outbound[0].stats();
        return new Outcome(cell, st.lost() + " of " + st.offered() + " stack packets lost, " + st.duplicated()
            + " duplicated, " + st.reordered() + " reordered");
      }
    }
  }

  @FunctionalInterface
  private interface Transfer {
    BulkTransfer.Result run() throws Exception;
  }

  private static BenchCell attempt(Transfer t) {
    try {
      return new BenchCell.Measured(t.run());
    } catch (Exception e) {
      return new BenchCell.NotAvailable("failed: " + (e.getMessage() == null ? e : e.getMessage()));
    }
  }
}
