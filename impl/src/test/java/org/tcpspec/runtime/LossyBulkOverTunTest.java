package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.device.FaultInjector;
import org.tcpspec.device.ReceiveFaults;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.time.SystemClock;

/**
 * Issue #5: the bulk transfer of {@link BulkOverTunTest} on a bad network, still byte-identical
 * (SHA-256 on both ends). Stack to kernel goes through the stack's own {@link FaultInjector}
 * (fixed seed). Kernel to stack goes through netem on the kernel side of the TUN device (egress
 * of tun0 in the namespace): {@value #NETEM}; where the kernel has no netem (the 6.18
 * Firecracker VM of 2026-11-21: "Specified qdisc kind is unknown") that test skips and {@link
 * ReceiveFaults}, with the same rates on the stack's side of the device, loses kernel-sent data
 * instead. The ACKs of each transfer cross the other, faulted path too.
 *
 * <p>Size: 100 MB each way, the transfer of {@link BulkOverTunTest}. Measured on 2026-11-21 (2
 * cores shared): kernel to stack 5.5 s (18 MB/s), with faults on both paths 6.6 s; stack to
 * kernel 100 s (1.0 MB/s), because a lost retransmission or a tail loss waited for the RTO. Since
 * the sender runs Linux's loss response (RACK-TLP, PRR, undo) it is as fast as the kernel's or
 * faster: `tcpspec bench --faults` measures both senders under the same faults.
 */
@Timeout(900)
class LossyBulkOverTunTest {
  static final long BYTES = 100L * 1000 * 1000;
  static final String NETEM = "netem delay 1ms loss 5% reorder 25% 50% duplicate 2%";
  private static final FaultInjector.Faults FAULTS = new FaultInjector.Faults(5, 2, 25, 20_261_121L);

  /** Stack to kernel faulted by the stack's injector (data one way, ACKs the other way). */
  @Test
  void bothTransfersSurviveTheStacksOwnFaultInjector() throws Exception {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    FaultInjector[] injector = new FaultInjector[1];
    try (Netns ns = Netns.create("lossy");
        TunStack stack = TunStack.start(ns, 1500, SystemClock.INSTANCE,
            device -> injector[0] = new FaultInjector(device, FAULTS), line -> {})) {
      BulkOverTunTest.kernelToStack(ns, stack, BYTES, "stack's FaultInjector only");
      BulkOverTunTest.stackToKernel(ns, stack, BYTES, "stack's FaultInjector only");
      System.out.println("interop faults, stack side: " + injector[0].stats());
    }
  }

  /**
   * Kernel-sent data lost too, without netem: {@link ReceiveFaults} on the stack's receive path
   * plus the injector on its transmit path (so our ACKs are lost as well). Kernel to stack only:
   * the other direction is the test above, and with both paths faulted it took 31 s here.
   */
  @Test
  void kernelToStackSurvivesFaultsOnBothPathsOfTheStacksDevice() throws Exception {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    ReceiveFaults[] inbound = new ReceiveFaults[1];
    try (Netns ns = Netns.create("lossyin");
        TunStack stack = TunStack.start(ns, 1500, SystemClock.INSTANCE,
            device -> new FaultInjector(inbound[0] = new ReceiveFaults(device, FAULTS), FAULTS),
            line -> {})) {
      BulkOverTunTest.kernelToStack(ns, stack, BYTES, "faults on both paths");
      System.out.println("interop faults, kernel packets lost before the stack: " + inbound[0].lost());
    }
  }

  /** Adds netem on the kernel-to-stack path; skips, naming the reason, where netem is missing. */
  @Test
  void bothTransfersSurviveNetemAndTheFaultInjector() throws Exception {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    FaultInjector[] injector = new FaultInjector[1];
    try (Netns ns = Netns.create("netem");
        TunStack stack = TunStack.start(ns, 1500, SystemClock.INSTANCE,
            device -> injector[0] = new FaultInjector(device, FAULTS), line -> {})) {
      Netns.ExecResult netem = ns.exec(List.of("sh", "-c",
          "tc qdisc add dev " + stack.interfaceName() + " root " + NETEM));
      assumeTrue(netem.exitCode() == 0,
          () -> "skipped: tc qdisc add ... netem failed here (iproute2 tc and the sch_netem module"
              + " are needed): " + netem);
      BulkOverTunTest.kernelToStack(ns, stack, BYTES, "netem + FaultInjector");
      BulkOverTunTest.stackToKernel(ns, stack, BYTES, "netem + FaultInjector");
      System.out.println("interop faults: stack side " + injector[0].stats() + "; kernel side "
          + ns.exec(List.of("tc", "-s", "qdisc", "show", "dev", stack.interfaceName())).output()
              .strip().replaceAll("\\s+", " "));
    }
  }
}
