package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.wire.Segment;

/**
 * RFC 9293 §3.10.7.4's zero-window case decided by the window last offered, as Linux's
 * tcp_sequence does (tcp_receive_window: rcv_wup + rcv_wnd - rcv_nxt), not by the receive
 * buffer's room: after the application read part of what closed the window, too little to
 * announce, the window offered is still zero though the buffer has room.
 */
class ZeroWindowOfferedTest {

  @Test
  void textAtRcvNxtAfterAReadTooSmallToAnnounceIsUnacceptableAndItsAckIgnored() {
    Harness h = Harness.activeWithWindowClosed();

    byte[] into = new byte[20000];
    assertEquals(20000, h.stack.read(h.conn, into, 0, into.length));
    assertTrue(h.conn.tcb().receiveBuffer.window() > 0, "the buffer has room after the read");
    assertEquals(1000, h.stack.write(h.conn, bytes(1000, 1), 0, 1000));
    Segment data = h.expectOne(ACK | PSH);
    assertEquals(0, data.window(), "the read was too small to announce: the window offered stays zero");

    // A zero-window probe with one byte at RCV.NXT that also acknowledges our text.
    int sndUna = h.conn.tcb().sndUna;
    h.send(peer(ACK, PEER_ISS + 40001, h.sndNxt(), bytes(1, 2)));
    assertEquals(Action.EstablishedRcvUnacceptable, h.lastAction());
    Segment dupAck = h.expectOne(ACK);
    assertEquals(PEER_ISS + 40001, dupAck.ack());
    assertEquals(0, dupAck.window());
    assertEquals(sndUna, h.conn.tcb().sndUna, "Linux drops it before tcp_ack reads its ACK field");
  }
}
