package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.RttEstimator;
import org.tcpspec.wire.Segment;

/** The retransmission timer (RFC 6298) and when retransmission gives up (Linux's time budgets). */
class RetransmissionTest {

  /** Active open whose SYN-ACK arrives {@code rttMillis} after the SYN; no options, so no timestamps. */
  static Harness establishedAfter(long rttMillis) {
    Harness h = synSent();
    h.advanceMillis(rttMillis);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1));
    h.expectOne(ACK);
    h.expectState(State.ESTABLISHED);
    return h;
  }

  @Test
  void handshakeRttSetsTheRtoAndTimeoutsDoubleIt() {
    // RFC 6298 §2.2: first sample R = 100 ms gives SRTT 100, RTTVAR 50; Linux floors K*RTTVAR at
    // 200 ms, so RTO = 300 ms (retransmission/data-rto-backoff.pkt), then 600 ms (§5.5).
    Harness h = establishedAfter(100);
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    int seq = h.expectOne(ACK | PSH).seq();
    h.advanceMillis(299);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(seq, h.expectOne(ACK | PSH).seq());
    h.advanceMillis(599);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(seq, h.expectOne(ACK | PSH).seq());
  }

  @Test
  void aRetransmittedSynGivesNoSampleAndDataStartsWithThreeSeconds() {
    // Karn (RFC 6298 §3): the SYN-ACK may answer either SYN; §5.7: RTO 3 s once data flows.
    Harness h = synSent();
    h.advanceMillis(1000);
    h.expectOne(SYN);
    h.advanceMillis(10);
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1));
    h.expectOne(ACK);
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    h.expectOne(ACK | PSH);
    h.advanceMillis(2999);
    h.expectNothing();
    h.advanceMillis(1);
    h.expectOne(ACK | PSH);
  }

  @Test
  void rtoNeverGoesBelowTwoHundredMilliseconds() {
    Harness h = establishedAfter(0);
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    Segment first = h.expectOne(ACK | PSH);
    h.advanceMillis(199);
    h.expectNothing();
    h.advanceMillis(1);
    assertEquals(first.seq(), h.expectOne(ACK | PSH).seq());
  }

  @Test
  void retryBudgetIsLinuxsModelTimeout() {
    // tcp_model_timeout: tcp_retries2 15 from 200 ms is 924.6 s, 2 is 1.4 s; 6 SYNs from 1 s, 127 s.
    assertEquals(924_600_000_000L, RttEstimator.retryBudgetNanos(15, RttEstimator.MIN_RTO_NANOS, RttEstimator.MAX_RTO_NANOS));
    assertEquals(1_400_000_000L, RttEstimator.retryBudgetNanos(2, RttEstimator.MIN_RTO_NANOS, RttEstimator.MAX_RTO_NANOS));
    assertEquals(127_000_000_000L, RttEstimator.retryBudgetNanos(6, RttEstimator.INITIAL_RTO_NANOS, RttEstimator.MAX_RTO_NANOS));
  }

  @Test
  void retries2IsATimeBudgetSoASlowPathRetransmitsFewerTimes() {
    // tcp_retries2 2 is 1.4 s. RTT 900 ms makes the RTO 2.7 s: the first retransmission comes at
    // 2.7 s and the next expiry, at 8.1 s, is past the budget, so the connection gives up after
    // one retransmission where a count of 2 would have sent a second.
    Harness h = establishedAfter(900);
    h.stack.config(h.stack.config().withSysctl("net.ipv4.tcp_retries2", "2").orElseThrow());
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    h.expectOne(ACK | PSH);
    h.advanceMillis(2700);
    h.expectOne(ACK | PSH);
    h.advanceMillis(5399);
    h.expectState(State.ESTABLISHED);
    h.advanceMillis(1);
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
    assertEquals(Action.EstablishedTimeout, h.lastAction());
  }

  @Test
  void anOrphanGivesUpAfterTcpOrphanRetries() {
    // tcp_orphan_retries 1 is a budget of 600 ms, counted as Linux counts it from the first
    // retransmission (retrans_stamp): FINs at 0, 0.2 and 0.6 s; at 1.4 s 1.2 s have passed.
    Harness h = establishedAfter(0);
    h.stack.config(h.stack.config().withSysctl("tcp_orphan_retries", "1").orElseThrow());
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    h.advanceMillis(200);
    h.expectOne(FIN | ACK);
    h.advanceMillis(400);
    h.expectOne(FIN | ACK);
    h.advanceMillis(800);
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(Action.FinWait1Timeout, h.lastAction());
  }

  @Test
  void anOrphanWithTheDefaultZeroRetriesKeepsTryingEightTimes() {
    // Linux tcp_orphan_retries(): 0 means 8 while the RTO is below 120 s: 511 * 200 ms = 102.2 s,
    // from the first retransmission (0.2 s), so the ninth, at 102.2 s, still goes; at 204.6 s the
    // connection gives up.
    Harness h = establishedAfter(0);
    h.stack.close(h.conn);
    h.expectOne(FIN | ACK);
    long rto = 200;
    long elapsed = 0;
    int retransmissions = 0;
    while (h.conn.state() == State.FIN_WAIT_1) {
      h.advanceMillis(rto);
      elapsed += rto;
      retransmissions += h.out().size();
      rto = Math.min(rto * 2, 120_000);
    }
    assertEquals(9, retransmissions);
    assertEquals(204_600, elapsed);
  }

  /** ESTABLISHED with 100 bytes queued against a zero window; the persist timer runs. */
  private static Harness zeroWindow() {
    Harness h = establishedAfter(0);
    h.stack.config(h.stack.config().withSysctl("tcp_retries2", "2").orElseThrow());
    h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK, 0, 0, List.of(),
        new byte[0]));
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    h.expectNothing();
    return h;
  }

  @Test
  void unansweredZeroWindowProbesGiveUpAfterTcpRetries2() {
    // Linux tcp_probe_timer: icsk_probes_out >= tcp_retries2 aborts. Probes at 0.2 and 0.6 s.
    Harness h = zeroWindow();
    h.advanceMillis(200);
    assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq());
    h.advanceMillis(400);
    h.expectOne(ACK);
    h.advanceMillis(800);
    h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
  }

  @Test
  void answeredZeroWindowProbesGoOnForever() {
    // RFC 1122 §4.2.2.17: keep probing while the receiver answers; each answer clears the count.
    Harness h = zeroWindow();
    long wait = 200;
    for (int i = 0; i < 10; i++) {
      h.advanceMillis(wait);
      h.expectOne(ACK);
      h.send(new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, h.sndNxt(), ACK, 0, 0, List.of(),
          new byte[0]));
      h.expectNothing();
      wait = Math.min(wait * 2, 120_000);
    }
    h.expectState(State.ESTABLISHED);
  }

  @Test
  void synRetransmissionsAreLinearFourTimesThenBackOffAndGiveUpAfterTen() {
    // Linux defaults (6.18 here): tcp_syn_linear_timeouts 4, tcp_syn_retries 6: SYNs at 0, 1, 2, 3, 4,
    // 5, 7, 11, 19, 35, 67 s (syn-sent/syn-linear-timeouts.pkt), ETIMEDOUT at 131 s.
    Harness h = synSent();
    java.util.List<Long> synSeconds = new java.util.ArrayList<>();
    long start = h.clock.nowNanos();
    while (h.conn.state() == State.SYN_SENT) {
      h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
      h.stack.runTimers();
      for (Segment s : h.out()) if (s.flags() == SYN) synSeconds.add((h.clock.nowNanos() - start) / 1_000_000_000L);
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L, 11L, 19L, 35L, 67L), synSeconds);
    assertEquals(131_000_000_000L, h.clock.nowNanos() - start);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
  }
}
