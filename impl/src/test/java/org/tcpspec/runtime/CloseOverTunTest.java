package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.fsm.State;
import org.tcpspec.stack.FourTuple;
import org.tcpspec.time.Clock;

/**
 * Issue #5: a close from either side leaves nothing in our connection table and the kernel
 * socket where Linux puts it, as {@code ss -tan} inside the namespace reports. The stack runs on
 * a clock the test can move forward, so our 60 s TIME-WAIT is skipped instead of waited for.
 */
@Timeout(60)
class CloseOverTunTest {
  private static final int PORT = 9000;

  /** Real time plus whatever the test skipped. */
  private static final class SkippableClock implements Clock {
    private final AtomicLong skippedNanos = new AtomicLong();

    @Override
    public long nowNanos() {
      return System.nanoTime() + skippedNanos.get();
    }

    void skip(Duration d) {
      skippedNanos.addAndGet(d.toNanos());
    }
  }

  @Test
  void ourActiveCloseGoesThroughTimeWaitAndTheKernelSocketIsGone() throws Exception {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    SkippableClock clock = new SkippableClock();
    try (Netns ns = Netns.create("closeours");
        TunStack stack = TunStack.start(ns, 1500, clock, UnaryOperator.identity(), line -> {})) {
      BlockingSockets sockets = stack.sockets();
      int listenFd = sockets.listen(PORT, 1);
      try (Socket kernel = ConnectionEnd.kernelConnect(ns, TunStack.STACK_ADDRESS, PORT)) {
        int ours = sockets.accept(listenFd);
        awaitKernel(ns, states -> states.equals(List.of("ESTAB")), "the kernel established");
        sockets.close(ours);
        assertEquals(-1, kernel.getInputStream().read(), "the kernel saw our FIN");
      }
      awaitTable(stack, t -> t.size() == 1 && t.containsValue(State.TIME_WAIT), "us in TIME-WAIT");
      awaitKernel(ns, states -> states.isEmpty(), "the kernel's LAST-ACK socket gone");
      clock.skip(Duration.ofSeconds(61));
      awaitTable(stack, Map::isEmpty, "our TIME-WAIT expired after 2MSL");
      sockets.close(listenFd);
    }
  }

  @Test
  void kernelActiveCloseLeavesTheKernelInTimeWaitAndUsEmpty() throws Exception {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    try (Netns ns = Netns.create("closekernel");
        TunStack stack = TunStack.start(ns, 1500, Optional.empty(), line -> {})) {
      BlockingSockets sockets = stack.sockets();
      int listenFd = sockets.listen(PORT, 1);
      Socket kernel = ConnectionEnd.kernelConnect(ns, TunStack.STACK_ADDRESS, PORT);
      int ours = sockets.accept(listenFd);
      awaitKernel(ns, states -> states.equals(List.of("ESTAB")), "the kernel established");
      kernel.close();
      assertEquals(-1, sockets.read(ours, new byte[1], 0, 1), "we saw the kernel's FIN");
      awaitKernel(ns, states -> states.equals(List.of("FIN-WAIT-2")), "the kernel in FIN-WAIT-2");
      sockets.close(ours);
      awaitKernel(ns, states -> states.equals(List.of("TIME-WAIT")), "the kernel in TIME-WAIT");
      awaitTable(stack, Map::isEmpty, "our LAST-ACK connection removed");
      sockets.close(listenFd);
    }
  }

  private interface Check<T> {
    boolean test(T value);
  }

  private static void awaitTable(TunStack stack, Check<Map<FourTuple, State>> ok, String what)
      throws Exception {
    Map<FourTuple, State> table = stack.connections();
    for (long deadline = System.nanoTime() + 5_000_000_000L;
        !ok.test(table) && System.nanoTime() < deadline; table = stack.connections()) {
      Thread.sleep(20);
    }
    assertTrue(ok.test(table), what + "; our table: " + table);
  }

  /** The states {@code ss -tan} shows for sockets to or from the stack's port, listeners aside. */
  private static void awaitKernel(Netns ns, Check<List<String>> ok, String what) throws Exception {
    List<String> states = kernelStates(ns);
    for (long deadline = System.nanoTime() + 5_000_000_000L;
        !ok.test(states) && System.nanoTime() < deadline; states = kernelStates(ns)) {
      Thread.sleep(20);
    }
    assertTrue(ok.test(states), what + "; ss -tan: " + ns.exec(List.of("ss", "-tan")).output());
  }

  private static List<String> kernelStates(Netns ns) throws IOException {
    Netns.ExecResult ss = ns.exec(List.of("ss", "-tanH"));
    assertEquals(0, ss.exitCode(), ss.toString());
    return ss.output().lines().map(l -> l.strip().split("\\s+"))
        // JDK sockets are dual-stack: the peer reads [::ffff:192.0.2.2]:9000.
        .filter(f -> f.length >= 5
            && f[4].replace("[::ffff:", "").replace("]", "").equals(TunStack.STACK_ADDRESS + ":" + PORT))
        .map(f -> f[0]).toList();
  }
}
