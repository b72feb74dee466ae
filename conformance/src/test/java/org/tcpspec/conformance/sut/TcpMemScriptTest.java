package org.tcpspec.conformance.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;

/**
 * Issue 13 point 3: a packetdrill script sets the java stack's tcp_mem as on Linux, and the stack's
 * memory limit shows on the wire. Java only: Linux charges skb truesize, so its thresholds fall
 * elsewhere for the same bytes.
 */
class TcpMemScriptTest {
  @Test
  void tcpMemComesFromTheLineTextAndTheRestRunsInTheNamespace() {
    GlobalSysctls.Split only = GlobalSysctls.split("sysctl -q net.ipv4.tcp_mem=\"1 1 2\"");
    assertEquals(java.util.Map.of("net.ipv4.tcp_mem", "1 1 2"), only.global());
    assertEquals(false, only.runRest(), "nothing else to set");
    GlobalSysctls.Split mixed = GlobalSysctls.split("sysctl -q tcp_mem='4 8 16' net.ipv4.tcp_sack=0");
    assertEquals(java.util.Map.of("net.ipv4.tcp_mem", "4 8 16"), mixed.global());
    assertEquals("sysctl -q net.ipv4.tcp_sack=0", mixed.rest());
    assertEquals(true, mixed.runRest());
    GlobalSysctls.Split other = GlobalSysctls.split("echo tcp_mem=1");
    assertEquals(java.util.Map.of(), other.global(), "only sysctl lines");
    assertEquals(true, other.runRest());
  }

  @Test
  void textAboveTcpMemHighIsDroppedWithAZeroWindowAndTakenWhenRetransmittedAfterARead(@TempDir Path dir)
      throws Exception {
    assumeTrue(SysctlNamespace.whyUnavailable().isEmpty(), () -> "skipped: " + SysctlNamespace.whyUnavailable().get());
    RunResult r = JavaScriptRuns.runOnJava(dir, "tcp-mem.pkt",
        "`sysctl -q net.ipv4.tcp_timestamps=0 net.ipv4.tcp_mem=\"1 1 2\"`",
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
        "+0 bind(3, ..., ...) = 0",
        "+0 listen(3, 1) = 0",
        "+0 < S 0:0(0) win 65535 <mss 1000>",
        "+0 > S. 0:0(0) ack 1 <mss 1460>",
        "+0 < . 1:1(0) ack 1 win 65535",
        "+0 accept(3, ..., ...) = 4",
        // Under tcp_rmem's minimum (4096) a connection may take text up to high (2 pages).
        "+0 < P. 1:4001(4000) ack 1 win 65535",
        "+0 > . 1:1(0) ack 4001",
        "+0 < P. 4001:8001(4000) ack 1 win 65535",
        "+0 > . 1:1(0) ack 8001",
        // Beyond high: dropped, and the ACK offers a zero window (Linux's ICSK_ACK_NOMEM).
        "+0 < P. 8001:9001(1000) ack 1 win 65535",
        "+0 > . 1:1(0) ack 8001 win 0",
        // Reading gives the memory back; the window reopens as far as rcv_ssthresh, clamped to
        // four segments under pressure, lets it.
        "+0 read(4, ..., 8000) = 8000",
        "+0 > . 1:1(0) ack 8001 win 5840",
        "+0 < P. 8001:9001(1000) ack 1 win 65535",
        "+0 > . 1:1(0) ack 9001 win 8760",
        "+0 read(4, ..., 1000) = 1000");
    assertEquals(new Verdict.Pass(), r.verdict());
    assertEquals(List.of(), r.notes(), "tcp_mem is a knob the java stack models");
  }
}
