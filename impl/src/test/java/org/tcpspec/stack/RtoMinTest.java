package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.TcpOption;

/**
 * The connection's minimum RTO (Linux icsk_rto_min): net.ipv4.tcp_rto_min_us when the socket is
 * made, TCP_RTO_MIN_US after. It floors the variance term of the RTO (tcp_rtt_estimator) and is the
 * delayed-ACK allowance of a loss probe for a lone segment (tcp_schedule_loss_probe).
 */
class RtoMinTest {

  /**
   * ESTABLISHED by active open under tcp_rto_min_us {@code micros}, the SYN-ACK {@code rttMillis}
   * after the SYN, with SACK when {@code sack}.
   */
  private static Harness established(String micros, long rttMillis, boolean sack) {
    return Harness.activeUnderSysctl("net.ipv4.tcp_rto_min_us", micros, rttMillis, sack);
  }


  @Test
  void theMinimumFloorsTheVarianceTerm() {
    // A 10 ms handshake: RTO = 10 + max(2 * 10, 40) = 50 ms, where the default 200 ms gives 210.
    Harness h = established("40000", 10, false);
    assertEquals(50_000_000L, h.conn.tcb().rtt.rtoNanos());
    h.writeAndExpectRetransmissions(50, 100, 200);
  }

  @Test
  void aLoneSegmentsLossProbeWaitsTwoRttsAndTheMinimum() {
    // RTT 100 ms: RTO 300 ms; the probe for one segment 2 * 100 + 20 = 220 ms (under the default
    // minimum 400 ms, which the RTO would cut to 300).
    Harness h = established("20000", 100, true);
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    int seq = h.expectOne(ACK | PSH).seq();
    h.expectDataAt(seq, 220);
  }
}
