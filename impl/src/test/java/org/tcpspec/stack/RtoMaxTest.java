package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;

/**
 * The connection's maximum RTO (Linux 6.15+ icsk_rto_max): net.ipv4.tcp_rto_max_ms when the socket
 * is made, TCP_RTO_MAX_MS after; the backoff stops there and the retry budget shrinks with it.
 */
class RtoMaxTest {

  /** ESTABLISHED by active open, the SYN-ACK after 0 ms (RTO 200 ms), under tcp_rto_max_ms {@code ms}. */
  private static Harness established(String ms) {
    return Harness.activeUnderSysctl("net.ipv4.tcp_rto_max_ms", ms, 0, false);
  }


  @Test
  void theSysctlCapsTheBackoffOfANewConnection() {
    // RTO 200 ms doubles to 400 and 800, then stays at tcp_rto_max_ms's 1000 (not 1600).
    Harness h = established("1000");
    h.writeAndExpectRetransmissions(200, 400, 800, 1000, 1000);
    assertEquals(1_000_000_000L, h.conn.tcb().rtt.rtoNanos());
  }

  @Test
  void aChangeReachesTheNextTimeoutOfAnOpenConnection() {
    // TCP_RTO_MAX_MS on a live socket: Linux arms the next timer at most that far (tcp_reset_xmit_timer).
    Harness h = established("120000");
    int seq = h.writeAndExpectRetransmissions(200, 400);
    h.conn.options().rtoMaxMillis = 1000;
    h.conn.rtoMaxChanged();
    h.expectDataAt(seq, 800);
    h.expectDataAt(seq, 1000);
  }

  @Test
  void aRaisedMaximumDoublesOnFromTheTimeoutInForce() {
    // Linux keeps the backed-off RTO itself (icsk_rto = min(icsk_rto << 1, tcp_rto_max)): after
    // 200, 400, 800 and 1000 under 1 s, a maximum raised to 120 s gives 2 s, then 4 s.
    Harness h = established("1000");
    int seq = h.writeAndExpectRetransmissions(200, 400, 800, 1000);
    h.conn.options().rtoMaxMillis = 120_000;
    h.conn.rtoMaxChanged();
    h.expectDataAt(seq, 1000);
    h.expectDataAt(seq, 2000);
    h.expectDataAt(seq, 4000);
  }

  @Test
  void theRetryBudgetShrinksWithTheMaximum() {
    // tcp_model_timeout under tcp_rto_max(sk) 1 s: tcp_retries2 15 from 200 ms is
    // (2^3 - 1) * 200 ms + 13 * 1 s = 14.4 s, where the 120 s maximum allows 924.6 s. Counted from
    // the first retransmission (retrans_stamp, at 0.2 s), the timeout at 15.4 s (0.2, 0.6, 1.4,
    // then every second) is the first past it.
    assertEquals(14_400_000_000L, established("1000").conn.tcb().rtt.retryBudgetNanos(15, 200_000_000L));
    Harness h = established("1000");
    int seq = h.writeAndExpectRetransmissions(200, 400, 800);
    for (int i = 0; i < 13; i++) h.expectDataAt(seq, 1000);
    h.expectTimedOutIn(1000);
  }

  @Test
  void theSysctlTakesLinuxsRangeOnly() {
    StackConfig d = StackConfig.linuxDefaults();
    assertEquals(120_000, d.rtoMaxMillis());
    assertEquals(1000, d.withSysctl("net.ipv4.tcp_rto_max_ms", "1000").orElseThrow().rtoMaxMillis());
    assertEquals(true, d.withSysctl("net.ipv4.tcp_rto_max_ms", "999").isEmpty());
    assertEquals(true, d.withSysctl("net.ipv4.tcp_rto_max_ms", "120001").isEmpty());
  }
}
