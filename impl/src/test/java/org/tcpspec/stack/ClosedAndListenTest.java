package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import org.junit.jupiter.api.Test;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.trace.TraceRecord;
import org.tcpspec.wire.Segment;

/** RFC 9293 §3.10.7.1 (CLOSED) and §3.10.7.2 (LISTEN). */
class ClosedAndListenTest {

  private static Action lastClosedAction(Harness h) {
    return action(h.trace.of("closed").getLast());
  }

  @Test
  void closedRcvSegmentWithAckGetsRstAtSegAck() {
    // "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"
    Harness h = new Harness();
    h.send(peer(ACK, 100, 777));
    Segment rst = h.expectOne(RST);
    assertEquals(777, rst.seq());
    assertEquals(Action.ClosedRcvSegment, lastClosedAction(h));
  }

  @Test
  void closedRcvSegmentWithoutAckGetsRstAckCoveringIt() {
    // "If the ACK bit is off, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
    Harness h = new Harness();
    h.send(peer(SYN, 100, 0));
    Segment rst = h.expectOne(RST | ACK);
    assertEquals(0, rst.seq());
    assertEquals(101, rst.ack());
    h.send(peer(PSH, 100, 0, bytes(10, 1)));
    assertEquals(110, h.expectOne(RST | ACK).ack());
  }

  @Test
  void closedRcvRstIsDropped() {
    Harness h = new Harness();
    h.send(peer(RST, 100, 0));
    h.expectNothing();
    assertEquals(Action.ClosedRcvRst, lastClosedAction(h));
  }

  @Test
  void listenRcvRstIsDropped() {
    Harness h = listening();
    h.send(peer(RST | ACK, 100, 5));
    h.expectNothing();
    assertEquals(Action.ListenRcvRst, action(h.trace.records().getLast()));
  }

  @Test
  void listenRcvAckGetsRst() {
    Harness h = listening();
    h.send(peer(ACK, 100, 4242));
    assertEquals(4242, h.expectOne(RST).seq());
    assertEquals(Action.ListenRcvAck, action(h.trace.records().getLast()));
  }

  @Test
  void listenRcvOtherIsDropped() {
    Harness h = listening();
    h.send(peer(FIN, 100, 0));
    h.expectNothing();
    assertEquals(Action.ListenRcvOther, action(h.trace.records().getLast()));
  }

  @Test
  void listenRcvSynSpawnsAChildInSynReceived() {
    Harness h = synReceived();
    assertEquals(java.util.List.of(Action.PASSIVE_OPEN, Action.ListenRcvSyn), h.actions());
    assertEquals(PEER_ISS + 1, h.rcvNxt());
  }

  @Test
  void synAckAcknowledgesTheSynAndEchoesOnlyOfferedOptions() {
    Harness h = listening();
    h.send(peer(SYN, PEER_ISS, 0, new byte[0], new org.tcpspec.wire.TcpOption.Mss(1000)));
    Segment synAck = h.expectOne(SYN | ACK);
    assertEquals(PEER_ISS + 1, synAck.ack());
    assertTrue(synAck.option(org.tcpspec.wire.TcpOption.Mss.class).isPresent());
    assertTrue(synAck.option(org.tcpspec.wire.TcpOption.WindowScale.class).isEmpty());
    assertTrue(synAck.option(org.tcpspec.wire.TcpOption.Timestamp.class).isEmpty());
  }

  @Test
  void closeListenGoesToClosed() {
    Harness h = listening();
    h.stack.closeListener(h.listener);
    TraceRecord last = h.trace.records().getLast();
    assertEquals(Action.CLOSE_LISTEN, action(last));
    assertEquals(State.CLOSED.rfcName(), last.to());
    h.send(peer(SYN, 1, 0));
    h.expectOne(RST | ACK);
  }

  @Test
  void backlogFullDropsSyns() {
    Harness h = new Harness();
    h.listener = h.stack.listen(LOCAL_PORT, 0, new SocketOptions()).orElseThrow();
    for (int port = 1; port <= 1; port++) {
      Segment syn = new Segment(REMOTE, LOCAL, port, LOCAL_PORT, 100, 0, SYN, 1000, 0, java.util.List.of(), new byte[0]);
      h.send(syn);
      Segment synAck = h.expectOne(SYN | ACK);
      h.send(new Segment(REMOTE, LOCAL, port, LOCAL_PORT, 101, synAck.seq() + 1, ACK, 1000, 0, java.util.List.of(), new byte[0]));
      h.expectNothing();
    }
    // Linux: the queue is full when it holds more than backlog, so backlog 0 admits one connection.
    Segment third = new Segment(REMOTE, LOCAL, 3, LOCAL_PORT, 100, 0, SYN, 1000, 0, java.util.List.of(), new byte[0]);
    h.send(third);
    h.expectNothing();
    h.listener.accept().orElseThrow();
    h.send(third);
    h.expectOne(SYN | ACK);
  }

  @Test
  void abortInListenClosesWithoutSending() {
    Harness h = listening();
    h.stack.abort(h.listener.listening);
    h.expectNothing();
    assertEquals(Action.ABORT, action(h.trace.records().getLast()));
    assertEquals("CLOSED", h.trace.records().getLast().to());
    // DELETE_TCB released the port: a SYN now meets no listener.
    h.send(peer(SYN, 1, 0));
    h.expectOne(RST | ACK);
  }
}
