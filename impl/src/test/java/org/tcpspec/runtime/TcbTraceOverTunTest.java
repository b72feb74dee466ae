package org.tcpspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tcpspec.device.linux.Netns;
import org.tcpspec.spec.TcbTraceValidation;
import org.tcpspec.spec.TcbTraceVerdict;
import org.tcpspec.time.SystemClock;
import org.tcpspec.trace.TcbTraces;
import org.tcpspec.trace.TraceRecord;

/**
 * Trace validation of a real run: the stack over TUN against the Linux kernel on the real clock, 2 MB
 * each way (the kernel connecting to us, then us to the kernel, each side closing), every record
 * checked down to its TCB by spec/TcpTcbTrace.tla, super-packets (TUN offloads) included.
 */
@Timeout(120)
class TcbTraceOverTunTest {
  private static final long BYTES = 2_000_000;

  @Test
  void theTracesOfAnInteropRunAreAcceptedDownToTheTcb() throws Exception {
    assumeTrue(Netns.whyUnavailable().isEmpty(), () -> "skipped: " + Netns.whyUnavailable().get());
    // Written on the event loop's thread, read here once the loop has stopped.
    List<TraceRecord> records = Collections.synchronizedList(new ArrayList<>());
    try (Netns ns = Netns.create("tcbtrace");
        TunStack stack = TunStack.startTraced(ns, 1500, SystemClock.INSTANCE, records::add, line -> {})) {
      BulkOverTunTest.kernelToStack(ns, stack, BYTES, "traced");
      BulkOverTunTest.stackToKernel(ns, stack, BYTES, "traced");
    }
    List<TraceRecord> trace;
    synchronized (records) {
      trace = List.copyOf(records);
    }
    // With the TUN offloads the kernel hands the stack super-packets of up to 64 KB, one record
    // each: fewer records than segments, but the coalesced ones must be among those checked.
    assertTrue(trace.size() > 100, "only " + trace.size() + " records for 2 MB each way");
    assertTrue(trace.stream().anyMatch(r -> r.arrival().map(a -> a.payloadLength() > 1460).orElse(false)),
        "no record of a super-packet");
    var byConnection = TcbTraces.byConnection(trace);
    assertEquals(new TcbTraceVerdict.Accepted(byConnection.size(), trace.size()), TcbTraceValidation.check(byConnection));
  }
}
