package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;

/**
 * The §3.10.7.4 checks that every synchronized state shares, one canonical fixture per state:
 * sequence check, the three RST cases of RFC 5961 §3.2, SYN (§4.2), ACK off, ACK ahead, duplicate
 * ACK, abort, user calls refused after CLOSE.
 */
class SynchronizedArrivalsTest {

  static Harness fixture(State s) {
    Supplier<Harness> f = switch (s) {
      case SYN_RECEIVED -> Harness::synReceived;
      case ESTABLISHED -> Harness::established;
      case FIN_WAIT_1 -> Harness::finWait1;
      case FIN_WAIT_2 -> Harness::finWait2;
      case CLOSE_WAIT -> Harness::closeWait;
      case CLOSING -> Harness::closing;
      case LAST_ACK -> Harness::lastAck;
      case TIME_WAIT -> Harness::timeWait;
      case CLOSED, LISTEN, SYN_SENT -> throw new IllegalArgumentException(s + " is not synchronized");
    };
    return f.get();
  }

  private static String action(State s, String kind) {
    return s.camelName() + kind;
  }

  /**
   * The ACK our side sends to an unacceptable segment or a challenge, in every synchronized state
   * SYN-RECEIVED included: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
   */
  private static void expectAck(Harness h) {
    Segment a = h.expectOne(ACK);
    assertEquals(h.sndNxt(), a.seq());
    assertEquals(h.rcvNxt(), a.ack());
  }

  @ParameterizedTest
  @EnumSource(names = {"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void unacceptableSegmentIsAckedAndDropped(State s) {
    // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
    Harness h = fixture(s);
    h.send(peer(ACK, h.rcvNxt() - 1000, h.sndNxt(), bytes(10, 0)));
    expectAck(h);
    h.expectState(s);
    assertEquals(action(s, "RcvUnacceptable"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void rstOutsideTheWindowIsDropped(State s) {
    Harness h = fixture(s);
    h.send(peer(RST, h.rcvNxt() + 1_000_000, 0));
    h.expectNothing();
    h.expectState(s);
    assertEquals(action(s, "RcvRstOutOfWindow"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void rstInTheWindowButNotAtRcvNxtIsChallenged(State s) {
    // RFC 5961 §3.2: "the receiver MUST send an ACK (challenge ACK)"
    Harness h = fixture(s);
    h.send(peer(RST, h.rcvNxt() + 1, 0));
    expectAck(h);
    h.expectState(s);
    assertEquals(action(s, "RcvRstInWindow"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void rstAtRcvNxtResets(State s) {
    Harness h = fixture(s);
    h.send(peer(RST, h.rcvNxt(), 0));
    h.expectNothing();
    h.expectState(s == State.SYN_RECEIVED ? State.LISTEN : State.CLOSED);
    assertEquals(action(s, "RcvRstExact"), h.lastAction());
    boolean userStillThere = switch (s) {
      case SYN_RECEIVED, CLOSING, LAST_ACK, TIME_WAIT -> false;
      case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> true;
      case CLOSED, LISTEN, SYN_SENT -> throw new IllegalArgumentException();
    };
    assertEquals(userStillThere, h.conn.error().isPresent(), "user told of the reset");
    assertTrue(h.stack.connections().isEmpty());
  }

  @ParameterizedTest
  @EnumSource(names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void synIsChallenged(State s) {
    // RFC 5961 §4.2: "send an ACK (also referred to as challenge ACK) to the remote peer"
    Harness h = fixture(s);
    h.send(peer(SYN, h.rcvNxt(), 0));
    assertEquals(h.rcvNxt(), h.expectOne(ACK).ack());
    h.expectState(s);
    assertEquals(action(s, "RcvSyn"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void segmentWithoutAckIsDropped(State s) {
    // "if the ACK bit is off, drop the segment and return"
    Harness h = fixture(s);
    h.send(peer(0, h.rcvNxt(), 0));
    h.expectNothing();
    h.expectState(s);
    assertEquals(action(s, "RcvNoAck"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void ackOfSomethingNotYetSentIsAckedAndDropped(State s) {
    // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment"
    Harness h = fixture(s);
    h.send(peer(ACK, h.rcvNxt(), h.sndNxt() + 100));
    h.expectOne(ACK);
    h.expectState(s);
    assertEquals(action(s, "RcvAckAhead"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void duplicateAckIsIgnored(State s) {
    // "If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored."
    Harness h = fixture(s);
    h.send(peer(ACK, h.rcvNxt(), h.conn.tcb().sndUna));
    h.expectNothing();
    h.expectState(s);
    assertEquals(action(s, "RcvDupAck"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"ESTABLISHED", "CLOSE_WAIT"})
  void newAckOfDataAdvancesSndUna(State s) {
    Harness h = fixture(s);
    h.conn.options().noDelay = true;
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    h.expectOne(ACK | PSH);
    h.send(peer(ACK, h.rcvNxt(), h.sndNxt() - 40));
    h.expectNothing();
    assertEquals(40, h.conn.tcb().inFlight());
    assertEquals(action(s, "RcvAck"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"FIN_WAIT_1", "CLOSING", "LAST_ACK"})
  void ackOfDataButNotOfOurFinStays(State s) {
    // Data was in flight before our FIN: an ACK of the data alone leaves the state unchanged.
    Harness h = new Harness();
    h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, new SocketOptions()).orElseThrow();
    h.out();
    h.send(peer(SYN | ACK, PEER_ISS, h.iss() + 1));
    h.out();
    if (s == State.LAST_ACK) {
      h.send(peer(FIN | ACK, PEER_ISS + 1, h.iss() + 1));
      h.out();
    }
    h.conn.options().noDelay = true;
    h.stack.write(h.conn, bytes(10, 0), 0, 10);
    h.stack.shutdownWrite(h.conn);
    List<Segment> out = h.out();
    assertTrue(!out.isEmpty());
    if (s == State.CLOSING) {
      h.send(peer(FIN | ACK, PEER_ISS + 1, h.iss() + 1));
      h.out();
    }
    h.expectState(s);
    h.send(peer(ACK, h.rcvNxt(), h.iss() + 6));
    h.expectState(s);
    assertEquals(action(s, "RcvAck"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void abortGoesToClosed(State s) {
    Harness h = fixture(s);
    h.stack.abort(h.conn);
    boolean rst = switch (s) {
      case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> true;
      case CLOSING, LAST_ACK, TIME_WAIT -> false;
      case CLOSED, LISTEN, SYN_SENT -> throw new IllegalArgumentException();
    };
    if (rst) h.expectOne(RST | ACK);
    else h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals("ABORT", h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"FIN_WAIT_1", "CLOSE_WAIT", "CLOSING"})
  void retransmissionGivesUp(State s) {
    // RFC 9293 §3.8.3 R2: after enough retransmissions the connection is closed.
    Harness h = fixture(s);
    if (s == State.CLOSE_WAIT) h.stack.write(h.conn, bytes(10, 0), 0, 10);
    for (int i = 0; i < 20 && h.conn.state() == s; i++) {
      h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
      h.stack.runTimers();
      h.out();
    }
    h.expectState(State.CLOSED);
    assertEquals(action(s, "Timeout"), h.lastAction());
  }

  @ParameterizedTest
  @EnumSource(names = {"CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"})
  void textAfterThePeersFinIsIgnored(State s) {
    // "This should not occur since a FIN has been received from the remote side. Ignore the segment text."
    Harness h = fixture(s);
    int rcvNxt = h.rcvNxt();
    h.send(peer(ACK, rcvNxt, h.conn.tcb().sndUna, bytes(5, 0)));
    h.expectNothing();
    h.expectState(s);
    assertEquals(rcvNxt, h.rcvNxt());
    assertEquals(action(s, "RcvData"), h.lastAction());
  }
}
