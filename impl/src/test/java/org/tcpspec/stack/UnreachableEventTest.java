package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;

/**
 * An arrival no row accepts means the classifier and the table disagree: a strict stack (every
 * test fixture) throws, a running one drops the segment and counts it. Made here by firing an event
 * the classifier never yields in ESTABLISHED, as a classifier bug would.
 */
class UnreachableEventTest {

  @Test
  void aStrictStackThrowsNamingTheEventAndItsReason() {
    Harness h = established();
    Segment synAck = peer(SYN | ACK, PEER_ISS, h.iss() + 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.conn.onArrival(synAck, Event.RCV_SYN_ACK));
    assertTrue(e.getMessage().contains("RCV_SYN_ACK") && e.getMessage().contains("ESTABLISHED"), e.getMessage());
    assertEquals(1, h.stack.unreachableEvents());
  }

  @Test
  void aRunningStackDropsTheSegmentAndCountsIt() {
    Harness h = established();
    h.stack.strict(false);
    int records = h.trace.records().size();
    h.conn.onArrival(peer(SYN | ACK, PEER_ISS, h.iss() + 1), Event.RCV_SYN_ACK);
    h.expectNothing();
    h.expectState(State.ESTABLISHED);
    assertEquals(records, h.trace.records().size(), "no transition recorded");
    assertEquals(1, h.stack.unreachableEvents());
    h.send(peer(ACK, PEER_ISS + 1, h.sndNxt(), bytes(5, 0)));
    assertEquals(1, h.stack.unreachableEvents(), "an arrival with a row is not counted");
  }
}
