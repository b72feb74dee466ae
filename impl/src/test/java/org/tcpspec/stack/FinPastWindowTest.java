package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;

/**
 * A FIN whose text reaches the right edge of the window offered, or past it. Linux's tcp_sequence
 * holds a segment's end less its FIN to that edge, and takes one that starts in the window and
 * ends past it only while nothing waits to be read (Linux 6.17+); tcp_data_queue then queues what
 * it took whole, FIN included. So the FIN goes with its text, or both are dropped.
 */
class FinPastWindowTest {

  /** ESTABLISHED by an active open with SO_RCVBUF 32000 fixed and no window scaling. */
  private static Harness established32000() {
    return Harness.activeWithRcvBuf(32000, 1000);
  }

  /** 1000 bytes left unread; returns the right edge the ACK of them offers. */
  private static int unreadTextOffering(Harness h) {
    h.send(peer(ACK | PSH, PEER_ISS + 1, h.sndNxt(), bytes(1000, 0)));
    Segment ack = h.expectOne(ACK);
    assertEquals(PEER_ISS + 1001, ack.ack());
    return ack.ack() + ack.window();
  }

  @Test
  void textPastTheWindowWithAFinIsTakenWholeWhileNothingWaitsToBeRead() {
    Harness h = established32000();
    h.send(peer(FIN | ACK, PEER_ISS + 1, h.sndNxt(), bytes(40000, 0)));
    assertEquals(Action.EstablishedRcvFin, h.lastAction());
    h.expectState(State.CLOSE_WAIT);
    h.advanceMillis(200);
    assertEquals(PEER_ISS + 40002, h.expectOne(ACK).ack());
    assertEquals(40000, h.conn.tcb().receiveBuffer.readable());
  }

  @Test
  void aFinOneBeyondTheWindowIsTakenWithTheTextThatFillsIt() {
    Harness h = established32000();
    int edge = unreadTextOffering(h);
    h.send(peer(FIN | ACK, PEER_ISS + 1001, h.sndNxt(), bytes(edge - (PEER_ISS + 1001), 0)));
    assertEquals(Action.EstablishedRcvFin, h.lastAction());
    h.expectState(State.CLOSE_WAIT);
    // tcp_fin's pingpong mode ends quick-ACK mode, and the window the ACK would offer is smaller
    // than the one offered (__tcp_ack_snd_check): the delayed-ACK timer sends it.
    h.expectNothing();
    h.advanceMillis(40);
    assertEquals(edge + 1, h.expectOne(ACK).ack());
  }

  @Test
  void textEndingPastTheWindowWithAFinIsDroppedWhileTextWaits() {
    Harness h = established32000();
    int edge = unreadTextOffering(h);
    h.send(peer(FIN | ACK, PEER_ISS + 1001, h.sndNxt(), bytes(edge + 100 - (PEER_ISS + 1001), 0)));
    assertEquals(Action.EstablishedRcvData, h.lastAction());
    h.expectState(State.ESTABLISHED);
    assertEquals(PEER_ISS + 1001, h.expectOne(ACK).ack());
    assertEquals(1000, h.conn.tcb().receiveBuffer.readable());
  }
}
