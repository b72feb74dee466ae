package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;

/**
 * TCP_USER_TIMEOUT (RFC 5482) as Linux applies it, and the give-ups of a closed window: how long
 * data may stay unacknowledged, or a window closed, before the connection times out. The peer
 * answered the handshake after 100 ms, so the RTO is 300 ms.
 */
class UserTimeoutTest {

  /** The peer's ACK of {@code ack} with a zero window. */
  private static Segment zeroWindowAck(int ack) {
    return new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, ack, ACK, 0, 0, List.of(), new byte[0]);
  }

  @Test
  void theUserTimeoutEndsRetransmissionsOnTime() {
    // RTOs at 0.3 s and 0.9 s (backed off to 600 ms); the next would be at 2.1 s, but Linux
    // (tcp_clamp_rto_to_user_timeout) brings it to the user timeout, 1 s after the first
    // retransmission (retrans_stamp), and gives up there, at 1.3 s.
    Harness h = RetransmissionTest.establishedAfter(100);
    h.conn.options.userTimeoutMillis = 1000;
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    int seq = h.expectOne(ACK | PSH).seq();
    h.advanceMillis(300);
    assertEquals(seq, h.expectOne(ACK | PSH).seq());
    h.advanceMillis(600);
    assertEquals(seq, h.expectOne(ACK | PSH).seq());
    h.expectTimedOutIn(400);
  }


  @Test
  void withTheUserTimeoutAClosedWindowIsGivenUpEvenWhileProbesAreAnswered() {
    // Linux tcp_probe_timer: the answers keep icsk_probes_out at 0, but the window has stayed
    // closed for the user timeout (2 s) since the first probe: abort. Probes at 0.3, 0.9, 2.1 s;
    // the one after is clamped to the user timeout, 2.3 s.
    Harness h = RetransmissionTest.establishedAfter(100);
    h.conn.options.userTimeoutMillis = 2000;
    h.send(zeroWindowAck(h.sndNxt()));
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    h.expectNothing();
    long[] waits = {300, 600, 1200};
    for (long wait : waits) {
      h.advanceMillis(wait);
      assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq(), "a zero-window probe");
      h.send(zeroWindowAck(h.sndNxt()));
      h.expectNothing();
    }
    h.advanceMillis(199);
    h.expectState(State.ESTABLISHED);
    h.advanceMillis(1);
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
  }

  /** The peer's ACK of {@code ack} offering {@code window} bytes. */
  private static Segment windowAck(int ack, int window) {
    return new Segment(REMOTE, LOCAL, REMOTE_PORT, LOCAL_PORT, PEER_ISS + 1, ack, ACK, window, 0, List.of(), new byte[0]);
  }

  /**
   * Two zero-window probes (0.3 s, 0.9 s), answered; the second answer opens the window to 300
   * bytes, too little for the 536 waiting (and less than half the largest window, so they stay).
   */
  private static Harness windowOpenedTooLittle(int userTimeoutMillis) {
    Harness h = RetransmissionTest.establishedAfter(100);
    h.conn.options.userTimeoutMillis = userTimeoutMillis;
    h.send(zeroWindowAck(h.sndNxt()));
    h.stack.write(h.conn, bytes(536, 0), 0, 536);
    h.expectNothing();
    h.advanceMillis(300);
    assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq(), "a zero-window probe");
    h.send(zeroWindowAck(h.sndNxt()));
    h.advanceMillis(600);
    assertEquals(h.sndNxt() - 1, h.expectOne(ACK).seq(), "a zero-window probe");
    h.send(windowAck(h.sndNxt(), 300));
    h.expectNothing();
    return h;
  }

  @Test
  void aWindowOpenedTooLittleForTheWaitingSegmentKeepsTheUserTimeoutClock() {
    // Linux tcp_ack_probe: only a window the first waiting segment fits clears icsk_probes_tstamp
    // and the backoff; this one rearms the probe timer at the backed-off 1.2 s clamped to the 0.4 s
    // left of the user timeout (counted from the first probe), and tcp_probe_timer gives up there
    // (packetdrill-scripts/flow/zero-window-partly-open-user-timeout.pkt).
    windowOpenedTooLittle(1000).expectTimedOutIn(400);
  }

  @Test
  void aWindowOpenedTooLittleForTheWaitingSegmentKeepsTheBackoff() {
    // Linux tcp_ack_probe without a user timeout: the probe timer restarts with the backoff
    // reached, 1.2 s, and then tcp_write_wakeup sends what the window takes, with PSH.
    Harness h = windowOpenedTooLittle(0);
    h.advanceMillis(1199);
    h.expectNothing();
    h.advanceMillis(1);
    Segment wakeup = h.expectOne(ACK | PSH);
    assertEquals(300, wakeup.payloadLength());
    h.expectState(State.ESTABLISHED);
  }

  @Test
  void dataInFlightWhenTheWindowClosesIsProbedWithoutGivingUpWhileThePeerAnswers() {
    // Linux tcp_retransmit_timer with snd_wnd 0: the retransmissions are window probes; with
    // tcp_retries2 2 (a 1.4 s budget) a connection whose peer answers outlives that budget.
    Harness h = RetransmissionTest.establishedAfter(100);
    h.stack.config(h.stack.config().withSysctl("tcp_retries2", "2").orElseThrow());
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    int seq = h.expectOne(ACK | PSH).seq();
    h.send(zeroWindowAck(seq));
    long wait = 300;
    for (int i = 0; i < 5; i++) {
      h.advanceMillis(wait);
      assertEquals(seq, h.expectOne(ACK | PSH).seq());
      h.send(zeroWindowAck(seq));
      wait *= 2;
    }
    h.expectState(State.ESTABLISHED);
  }

  @Test
  void dataInFlightWhenTheWindowClosesIsGivenUpAfterTheUserTimeoutAnswersOrNot() {
    // Linux tcp_rtx_probe0_timed_out: with TCP_USER_TIMEOUT, "win 0 packets" do not reset the
    // clock; once the retransmissions made no progress for longer than it (counted from the first,
    // at 0.3 s), the connection ends: after the one at 1.3 s, when it expires.
    Harness h = RetransmissionTest.establishedAfter(100);
    h.conn.options.userTimeoutMillis = 1000;
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    int seq = h.expectOne(ACK | PSH).seq();
    h.send(zeroWindowAck(seq));
    h.advanceMillis(300);
    h.expectOne(ACK | PSH);
    h.send(zeroWindowAck(seq));
    h.advanceMillis(600);
    h.expectOne(ACK | PSH);
    h.send(zeroWindowAck(seq));
    h.advanceMillis(400);
    h.expectState(State.ESTABLISHED);
    h.advanceMillis(1);
    h.expectState(State.CLOSED);
    assertEquals(ConnectionError.TIMED_OUT, h.conn.error().orElseThrow());
  }
}
