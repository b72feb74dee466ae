package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.TcpOption;

/** Sysctls the conformance suite sets, applied to the stack. */
class StackConfigTest {

  @Test
  void tcpMemIsSizedFromTheHeapAsLinuxSizesItFromFreeMemory() {
    // tcp_init_mem: limit = pages / 16; low = limit / 4 * 3, pressure = limit, high = low * 2.
    assertEquals(new StackConfig.TcpMem(24576, 32768, 49152), StackConfig.TcpMem.forHeap(2L << 30));
    assertEquals(new StackConfig.TcpMem(96, 128, 192), StackConfig.TcpMem.forHeap(1 << 20), "at least 128 pages");
  }

  @Test
  void sysctlsParseAsLinuxWritesThem() {
    StackConfig c = StackConfig.linuxDefaults();
    assertEquals(1, c.withSysctl("net.ipv4.tcp_syn_retries", "1").orElseThrow().synRetries());
    assertEquals(4096 * 2, c.withSysctl("net.ipv4.tcp_rmem", "\"4096 8192 16384\"").orElseThrow().rmemDefault());
    assertFalse(c.withSysctl("tcp_timestamps", "0").orElseThrow().timestamps());
    assertEquals(new StackConfig.TcpMem(1, 2, 3), c.withSysctl("net.ipv4.tcp_mem", "\"1 2 3\"").orElseThrow().tcpMem());
    assertTrue(c.withSysctl("tcp_mem", "1 2").isEmpty(), "tcp_mem is three numbers");
    assertEquals(1024, c.withSysctl("tcp_wmem", "1024 16384 4194304").orElseThrow().wmemMin());
    assertEquals(1_000_000_000L, c.withSysctl("tcp_fin_timeout", "1").orElseThrow().finTimeoutNanos());
    assertEquals("cubic", c.congestionControl(), "Linux's default");
    assertEquals("reno", c.withSysctl("tcp_congestion_control", "reno").orElseThrow().congestionControl());
    assertTrue(c.withSysctl("tcp_congestion_control", "bbr").isEmpty(), "an algorithm the stack lacks");
    assertEquals(0, c.withSysctl("tcp_recovery", "0").orElseThrow().tcpRecovery());
    assertEquals(4, c.withSysctl("tcp_early_retrans", "4").orElseThrow().tcpEarlyRetrans());
    assertEquals(0, c.withSysctl("tcp_frto", "0").orElseThrow().tcpFrto());
    assertFalse(c.withSysctl("tcp_dsack", "0").orElseThrow().tcpDsack());
    assertEquals(2, c.tcpEcn(), "Linux's default: ECN when asked");
    assertEquals(1, c.withSysctl("tcp_ecn", "1").orElseThrow().tcpEcn());
    assertTrue(c.withSysctl("tcp_ecn", "3").isEmpty(), "Accurate ECN (Linux 6.18's 3 to 5), which the stack lacks");
  }

  @Test
  void synRetriesOneGivesUpAfterThreeSeconds() {
    // packetdrill-scripts/syn-sent/syn-retries-exhausted.pkt: SYN at 0 and 1 s, ETIMEDOUT at 3 s;
    // with Linux's default linear SYN timeouts a third SYN goes at 2 s (3 s is tcp_syn_retries 1
    // as a time budget: 1 s + 2 s).
    Harness h = new Harness();
    h.stack.config(h.stack.config().withSysctl("tcp_syn_retries", "1").orElseThrow());
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, h.stack.defaultOptions()).orElseThrow();
    h.expectOne(SYN);
    h.advanceMillis(1000);
    h.expectOne(SYN);
    h.advanceMillis(1000);
    h.expectOne(SYN);
    h.advanceMillis(999);
    h.expectState(State.SYN_SENT);
    h.advanceMillis(1);
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
  }

  @Test
  void timestampsOffAreNeitherOfferedNorAccepted() {
    Harness h = new Harness();
    h.stack.config(h.stack.config().withSysctl("tcp_timestamps", "0").orElseThrow());
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, h.stack.defaultOptions()).orElseThrow();
    Segment syn = h.expectOne(SYN);
    assertTrue(syn.option(TcpOption.Timestamp.class).isEmpty());
    assertTrue(syn.option(TcpOption.SackPermitted.class).isPresent());
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Timestamp(1, 1)));
    assertFalse(h.conn.tcb().tsOk);
  }

  @Test
  void windowScaleFollowsTheLargestReceiveSpaceAsLinux() {
    StackConfig c = StackConfig.linuxDefaults();
    // tcp_rmem max 6 MiB: ilog2(6291456) - 15 = 7, what Linux offers by default.
    assertEquals(7, c.windowScale(131072, false));
    assertEquals(10, c.withSysctl("tcp_rmem", "4096 131072 33554432").orElseThrow().windowScale(131072, false));
    StackConfig small = c.withSysctl("tcp_rmem", "\"4096 16384 16384\"").orElseThrow();
    // net.core.rmem_max 212992 still counts: ilog2 17 - 15 = 2.
    assertEquals(2, small.windowScale(16384, false));
    assertEquals(0, small.withSysctl("net.core.rmem_max", "16384").orElseThrow().windowScale(16384, false));
    // SO_RCVBUF fixes the window clamp to the buffer (SOCK_RCVBUF_LOCK).
    assertEquals(1, c.windowScale(65536, true));
  }

  @Test
  void linux616DefaultsOfferWindowScaleTen() {
    StackConfig c = StackConfig.linux616Defaults();
    assertEquals(32 << 20, c.rmemMax());
    // ilog2(33554432) - 15 = 10, what a fresh namespace of Linux 6.16+ offers.
    assertEquals(10, c.windowScale(65536, false));
  }

  @Test
  void synAckWindowIsHalfTheBufferInWholeSegmentsAsLinux() {
    // tcp_select_initial_window: tcp_full_space (half of sk_rcvbuf) rounded down to the MSS.
    assertEquals(64240, Handshake.initialWindow(131072, 1460));
    assertEquals(65160, Handshake.initialWindow(131072, 1460 - Handshake.TSTAMP_ALIGNED));
    assertEquals(18980, Handshake.initialWindow(40000, 1460));
    // Less than one segment: not rounded.
    assertEquals(1152, Handshake.initialWindow(2304, 1460));
  }

  @Test
  void soRcvbufWindowScaleIsSizedFromHalfTheBuffer() {
    Harness h = new Harness();
    SocketOptions o = new SocketOptions();
    o.rcvBuf = 80000; // SO_RCVBUF 40000
    o.rcvBufLocked = true;
    // tcp_full_space 40000: ilog2 15 - 15 = 0 (the whole 80000 would give 1).
    assertEquals(0, Handshake.localWscale(h.stack.config(), o));
  }

  @Test
  void localMssFollowsTheMtu() {
    Harness h = new Harness();
    h.stack.config(h.stack.config().withMtu(9000));
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, h.stack.defaultOptions()).orElseThrow();
    assertEquals(8960, h.expectOne(SYN).option(TcpOption.Mss.class).orElseThrow().mss());
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1, new byte[0], new TcpOption.Mss(9000)));
    h.expectOne(ACK);
    assertEquals(8960, h.conn.tcb().sndMss);
  }
}
