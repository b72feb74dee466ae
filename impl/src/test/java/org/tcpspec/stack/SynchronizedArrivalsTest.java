package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.Segment;

/**
 * The §3.10.7.4 checks that every synchronized state shares, one canonical fixture per state:
 * sequence check, the three RST cases of RFC 5961 §3.2, SYN (§4.2), ACK off, ACK ahead, duplicate
 * ACK, abort, user calls refused after CLOSE.
 */
class SynchronizedArrivalsTest {

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
  @CsvSource({
      "SYN_RECEIVED, SynReceivedRcvUnacceptable",
      "ESTABLISHED, EstablishedRcvUnacceptable",
      "FIN_WAIT_1, FinWait1RcvUnacceptable",
      "FIN_WAIT_2, FinWait2RcvUnacceptable",
      "CLOSE_WAIT, CloseWaitRcvUnacceptable",
      "CLOSING, ClosingRcvUnacceptable",
      "LAST_ACK, LastAckRcvUnacceptable",
      "TIME_WAIT, TimeWaitRcvUnacceptable"})
  void unacceptableSegmentIsAckedAndDropped(State s, Action action) {
    // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
    Harness h = Harness.fixture(s);
    h.send(peer(ACK, h.rcvNxt() - 1000, h.sndNxt(), bytes(10, 0)));
    expectAck(h);
    h.expectState(s);
    assertEquals(action, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "SYN_RECEIVED, SynReceivedRcvRstOutOfWindow",
      "ESTABLISHED, EstablishedRcvRstOutOfWindow",
      "FIN_WAIT_1, FinWait1RcvRstOutOfWindow",
      "FIN_WAIT_2, FinWait2RcvRstOutOfWindow",
      "CLOSE_WAIT, CloseWaitRcvRstOutOfWindow",
      "CLOSING, ClosingRcvRstOutOfWindow",
      "LAST_ACK, LastAckRcvRstOutOfWindow",
      "TIME_WAIT, TimeWaitRcvRstOutOfWindow"})
  void rstOutsideTheWindowIsDropped(State s, Action action) {
    Harness h = Harness.fixture(s);
    h.send(peer(RST, h.rcvNxt() + 1_000_000, 0));
    h.expectNothing();
    h.expectState(s);
    assertEquals(action, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "SYN_RECEIVED, SynReceivedRcvRstInWindow",
      "ESTABLISHED, EstablishedRcvRstInWindow",
      "FIN_WAIT_1, FinWait1RcvRstInWindow",
      "FIN_WAIT_2, FinWait2RcvRstInWindow",
      "CLOSE_WAIT, CloseWaitRcvRstInWindow",
      "CLOSING, ClosingRcvRstInWindow",
      "LAST_ACK, LastAckRcvRstInWindow",
      "TIME_WAIT, TimeWaitRcvRstInWindow"})
  void rstInTheWindowButNotAtRcvNxtIsChallenged(State s, Action action) {
    // RFC 5961 §3.2: "the receiver MUST send an ACK (challenge ACK)"
    Harness h = Harness.fixture(s);
    h.send(peer(RST, h.rcvNxt() + 1, 0));
    expectAck(h);
    h.expectState(s);
    assertEquals(action, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "SYN_RECEIVED, SynReceivedRcvRstExact",
      "ESTABLISHED, EstablishedRcvRstExact",
      "FIN_WAIT_1, FinWait1RcvRstExact",
      "FIN_WAIT_2, FinWait2RcvRstExact",
      "CLOSE_WAIT, CloseWaitRcvRstExact",
      "CLOSING, ClosingRcvRstExact",
      "LAST_ACK, LastAckRcvRstExact",
      "TIME_WAIT, TimeWaitRcvRstExact"})
  void rstAtRcvNxtResets(State s, Action action) {
    Harness h = Harness.fixture(s);
    h.send(peer(RST, h.rcvNxt(), 0));
    h.expectNothing();
    h.expectState(s == State.SYN_RECEIVED ? State.LISTEN : State.CLOSED);
    assertEquals(action, h.lastAction());
    boolean userStillThere = switch (s) {
      case SYN_RECEIVED, CLOSING, LAST_ACK, TIME_WAIT -> false;
      case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> true;
      case CLOSED, LISTEN, SYN_SENT -> throw new IllegalArgumentException();
    };
    assertEquals(userStillThere, h.conn != null && h.conn.error().isPresent(), "user told of the reset");
    assertTrue(h.stack.connections().isEmpty());
  }

  @ParameterizedTest
  @CsvSource({
      "ESTABLISHED, EstablishedRcvSyn",
      "FIN_WAIT_1, FinWait1RcvSyn",
      "FIN_WAIT_2, FinWait2RcvSyn",
      "CLOSE_WAIT, CloseWaitRcvSyn",
      "CLOSING, ClosingRcvSyn",
      "LAST_ACK, LastAckRcvSyn",
      "TIME_WAIT, TimeWaitRcvSyn"})
  void synIsChallenged(State s, Action action) {
    // RFC 5961 §4.2: "send an ACK (also referred to as challenge ACK) to the remote peer"
    Harness h = Harness.fixture(s);
    h.send(peer(SYN, h.rcvNxt(), 0));
    assertEquals(h.rcvNxt(), h.expectOne(ACK).ack());
    h.expectState(s);
    assertEquals(action, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "SYN_RECEIVED, SynReceivedRcvNoAck",
      "ESTABLISHED, EstablishedRcvNoAck",
      "FIN_WAIT_1, FinWait1RcvNoAck",
      "FIN_WAIT_2, FinWait2RcvNoAck",
      "CLOSE_WAIT, CloseWaitRcvNoAck",
      "CLOSING, ClosingRcvNoAck",
      "LAST_ACK, LastAckRcvNoAck",
      "TIME_WAIT, TimeWaitRcvNoAck"})
  void segmentWithoutAckIsDropped(State s, Action action) {
    // "if the ACK bit is off, drop the segment and return"
    Harness h = Harness.fixture(s);
    h.send(peer(0, h.rcvNxt(), 0));
    h.expectNothing();
    h.expectState(s);
    assertEquals(action, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "ESTABLISHED, EstablishedRcvAckAhead",
      "FIN_WAIT_1, FinWait1RcvAckAhead",
      "FIN_WAIT_2, FinWait2RcvAckAhead",
      "CLOSE_WAIT, CloseWaitRcvAckAhead",
      "CLOSING, ClosingRcvAckAhead",
      "LAST_ACK, LastAckRcvAckAhead",
      "TIME_WAIT, TimeWaitRcvAckAhead"})
  void ackOfSomethingNotYetSentIsAckedAndDropped(State s, Action action) {
    // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment"
    Harness h = Harness.fixture(s);
    h.send(peer(ACK, h.rcvNxt(), h.sndNxt() + 100));
    h.expectOne(ACK);
    h.expectState(s);
    assertEquals(action, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "ESTABLISHED, EstablishedRcvDupAck",
      "FIN_WAIT_1, FinWait1RcvDupAck",
      "FIN_WAIT_2, FinWait2RcvDupAck",
      "CLOSE_WAIT, CloseWaitRcvDupAck",
      "CLOSING, ClosingRcvDupAck",
      "LAST_ACK, LastAckRcvDupAck",
      "TIME_WAIT, TimeWaitRcvDupAck"})
  void duplicateAckIsIgnored(State s, Action action) {
    // "If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored."
    Harness h = Harness.fixture(s);
    h.send(peer(ACK, h.rcvNxt(), h.conn.tcb().sndUna));
    h.expectNothing();
    h.expectState(s);
    assertEquals(action, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "ESTABLISHED, EstablishedRcvAck",
      "CLOSE_WAIT, CloseWaitRcvAck"})
  void newAckOfDataAdvancesSndUna(State s, Action action) {
    Harness h = Harness.fixture(s);
    h.conn.options().noDelay = true;
    h.stack.write(h.conn, bytes(100, 0), 0, 100);
    h.expectOne(ACK | PSH);
    h.send(peer(ACK, h.rcvNxt(), h.sndNxt() - 40));
    h.expectNothing();
    assertEquals(40, h.conn.tcb().inFlight());
    assertEquals(action, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "FIN_WAIT_1, FinWait1RcvAck",
      "CLOSING, ClosingRcvAck",
      "LAST_ACK, LastAckRcvAck"})
  void ackOfDataButNotOfOurFinStays(State s, Action action) {
    // Data was in flight before our FIN: an ACK of the data alone leaves the state unchanged.
    Harness h = dataInFlightBeforeOurFin(s);
    h.send(peer(ACK, h.rcvNxt(), h.iss() + 6));
    h.expectState(s);
    assertEquals(action, h.lastAction());
  }

  /** The states §3.10.7.4 calls synchronized, as {@link State#isSynchronized()} defines them. */
  static Stream<State> synchronizedStates() {
    return Arrays.stream(State.values()).filter(State::isSynchronized);
  }

  @ParameterizedTest
  @MethodSource("synchronizedStates")
  void abortGoesToClosed(State s) {
    // A passive half-open connection has no user to abort it: SYN-RECEIVED of a simultaneous open.
    Harness h = s == State.SYN_RECEIVED ? Harness.synReceivedBySimultaneousOpen() : Harness.fixture(s);
    h.stack.abort(h.conn);
    boolean rst = switch (s) {
      case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> true;
      case CLOSING, LAST_ACK, TIME_WAIT -> false;
      case CLOSED, LISTEN, SYN_SENT -> throw new IllegalArgumentException();
    };
    if (rst) h.expectOne(RST | ACK);
    else h.expectNothing();
    h.expectState(State.CLOSED);
    assertEquals(Action.ABORT, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "FIN_WAIT_1, FinWait1Timeout",
      "CLOSE_WAIT, CloseWaitTimeout",
      "CLOSING, ClosingTimeout"})
  void retransmissionGivesUp(State s, Action action) {
    // RFC 9293 §3.8.3 R2: after enough retransmissions the connection is closed.
    Harness h = Harness.fixture(s);
    if (s == State.CLOSE_WAIT) h.stack.write(h.conn, bytes(10, 0), 0, 10);
    for (int i = 0; i < 20 && h.conn.state() == s; i++) {
      h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
      h.stack.runTimers();
      h.out();
    }
    h.expectState(State.CLOSED);
    assertEquals(action, h.lastAction());
  }

  @ParameterizedTest
  @CsvSource({
      "CLOSE_WAIT, CloseWaitRcvData",
      "CLOSING, ClosingRcvData",
      "LAST_ACK, LastAckRcvData",
      "TIME_WAIT, TimeWaitRcvData"})
  void textAfterThePeersFinIsIgnored(State s, Action action) {
    // "This should not occur since a FIN has been received from the remote side. Ignore the segment text."
    Harness h = Harness.fixture(s);
    int rcvNxt = h.rcvNxt();
    h.send(peer(ACK, rcvNxt, h.conn.tcb().sndUna, bytes(5, 0)));
    h.expectNothing();
    h.expectState(s);
    assertEquals(rcvNxt, h.rcvNxt());
    assertEquals(action, h.lastAction());
  }
}
