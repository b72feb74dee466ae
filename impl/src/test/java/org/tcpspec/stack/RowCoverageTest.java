package org.tcpspec.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.tcpspec.stack.Harness.*;
import static org.tcpspec.wire.TcpFlags.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.Classifier;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.Guard;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.Transition;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.spec.TcbTraceStep;
import org.tcpspec.spec.TcbTraceValidation;
import org.tcpspec.spec.TcbTraceVerdict;
import org.tcpspec.spec.TraceStep;
import org.tcpspec.spec.TraceValidation;
import org.tcpspec.spec.TraceVerdict;
import org.tcpspec.trace.TcbTraces;
import org.tcpspec.trace.TraceRecord;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Segment;

/**
 * Issue #4, "Done when": every row of the table is taken by the stack, one test per row. Each
 * drives the canonical fixture of the row's state (the {@link Harness} fixtures the per-state
 * tests use) with one stimulus chosen by the row's event, and checks that exactly this row fired:
 * the connection is in the row's state, its origin passes the row's guard, the classifier makes
 * the row's event of the segment, and the trace records the row's (action, from, to). The
 * per-state classes check what each row does; this class checks that each is reachable, on its
 * own, with no other test class run by it and no test order. The rows the classifier cannot
 * reach are listed with the argument why, and the argument is checked.
 */
class RowCoverageTest {
  private static final TransitionTable TABLE = TransitionTable.instance();

  /**
   * Rows of the model the implementation never takes, and why. The model keeps them because it
   * abstracts sequence numbers away; the classifier knows more.
   */
  static final Map<Action, String> UNREACHABLE = Map.of(
      Action.FinWait2RcvAck,
      "in FIN-WAIT-2 everything we sent, FIN included, is acknowledged: no ACK can be new",
      Action.TimeWaitRcvAck,
      "in TIME-WAIT everything we sent, FIN included, is acknowledged: no ACK can be new");

  @TestFactory
  Stream<DynamicTest> everyRowIsTaken() {
    return TABLE.rows().stream().map(row -> dynamicTest(row.toString(), () -> {
      if (UNREACHABLE.containsKey(row.specAction())) noAckCanBeNew(row);
      else take(row);
    }));
  }

  /**
   * Trace validation of every row's scenario, each connection driven back to CLOSED: such traces
   * concatenate into one behaviour of TcpEndpoint, so one TLC run checks them all. Then the same
   * traces down to their TCB (spec/TcpTcbTrace.tla), one TLC run for all of them too.
   */
  @Test
  void theTracesOfTheRowsAreBehavioursOfTheModel() throws Exception {
    List<TraceStep> steps = new ArrayList<>();
    java.util.SequencedMap<String, List<TcbTraceStep>> tcbTraces = new LinkedHashMap<>();
    int connections = 0;
    for (Transition row : TABLE.rows()) {
      if (UNREACHABLE.containsKey(row.specAction())) continue;
      Harness h = take(row);
      closeEverything(h);
      Map<String, List<TraceRecord>> byConnection = new LinkedHashMap<>();
      for (TraceRecord r : h.trace.records()) byConnection.computeIfAbsent(r.connection(), k -> new ArrayList<>()).add(r);
      for (List<TraceRecord> trace : byConnection.values()) {
        assertEquals("CLOSED", trace.getFirst().from(), row + ": " + trace);
        assertEquals("CLOSED", trace.getLast().to(), row + ": " + trace);
        connections++;
        for (TraceRecord r : trace) steps.add(new TraceStep(r.action(), r.from(), r.to()));
      }
      TcbTraces.addByConnection(tcbTraces, row + " ", h.trace.records());
    }
    assertTrue(connections > TABLE.rows().size(), "too few traces: " + connections);
    TraceVerdict verdict = TraceValidation.check(steps);
    assertTrue(verdict instanceof TraceVerdict.Accepted, connections + " traces: " + verdict);
    TcbTraceVerdict tcbVerdict = TcbTraceValidation.check(tcbTraces);
    assertEquals(new TcbTraceVerdict.Accepted(connections, steps.size()), tcbVerdict);
  }

  /** Drives the row from its fixture and checks that the engine applied this row. */
  private static Harness take(Transition row) {
    Harness h = fixture(row);
    Connection subject = subject(h, row.from());
    // A passive SYN-RECEIVED fixture is half-open: a request record of the listener, no TCB.
    HalfOpen half = subject == null && row.from() == State.SYN_RECEIVED ? h.half : null;
    if (subject != null) {
      assertEquals(row.from(), subject.state(), "fixture");
      assertTrue(row.guard().admits(subject.engine.passive(), subject.engine.fastOpen()),
          "fixture's origin fails " + row.guard());
    }
    if (half != null) {
      assertEquals(row.from(), half.state(), "fixture");
      assertTrue(row.guard().admits(half.engine.passive(), half.engine.fastOpen()),
          "fixture's origin fails " + row.guard());
    }
    int before = h.trace.records().size();
    switch (row.event().kind()) {
      case USER -> call(h, row, subject);
      case TIMER -> expire(h, row, subject);
      // Port unreachable quoting our SYN (sequence number ISS, in [SND.UNA, SND.NXT]).
      case ICMP -> h.stack.icmpInput(new IcmpError(false, IcmpError.V4_DEST_UNREACH, 3, IpAddress.ipv4(LOCAL),
          LOCAL_PORT, IpAddress.ipv4(REMOTE), REMOTE_PORT, h.iss()));
      case ARRIVAL -> {
        Segment seg = arrival(h, row);
        // The classifier makes RCV_SYN of every SYN; the listener refines it to RCV_SYN_FAST_OPEN.
        Event classified = row.event() == Event.RCV_SYN_FAST_OPEN ? Event.RCV_SYN : row.event();
        if (subject != null) assertEquals(classified, subject.classify(seg), "classified " + seg);
        if (half != null) assertEquals(row.event(), Classifier.classify(half.state(), seg, half), "classified " + seg);
        h.send(seg);
      }
    }
    List<TraceRecord> taken = h.trace.records().subList(before, h.trace.records().size());
    assertTrue(taken.stream().anyMatch(r -> r.action().equals(row.specAction().name())
        && r.from().equals(row.from().rfcName()) && r.to().equals(row.to().rfcName())), "row not taken; trace " + taken);
    return h;
  }

  /** The connection the row applies to; null where the stimulus makes it or the CLOSED endpoint takes it. */
  private static Connection subject(Harness h, State from) {
    return switch (from) {
      case CLOSED -> null;
      case LISTEN -> h.listener.listening;
      case SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> h.conn;
    };
  }

  /** The canonical fixture of the row's state, or the one its guard or event needs. */
  private static Harness fixture(Transition row) {
    State s = row.from();
    // Only an active SYN-RECEIVED has a user: a passive one is not accepted yet.
    boolean userCall = row.event().kind() == Event.Kind.USER;
    if (s == State.SYN_RECEIVED && (row.guard() == Guard.ACTIVE || userCall)) return synReceivedBySimultaneousOpen();
    if (s == State.SYN_RECEIVED && row.guard() == Guard.FAST_OPEN) return fastOpenSynReceived();
    if (row.event() == Event.RCV_SYN_FAST_OPEN) return listeningForFastOpen();
    if (row.event() == Event.RCV_NEW_SYN) return passiveTimeWait();
    boolean finPending = s == State.FIN_WAIT_1 || s == State.CLOSING || s == State.LAST_ACK;
    if (row.event() == Event.RCV_ACK && finPending) return dataInFlightBeforeOurFin(s);
    return Harness.fixture(s);
  }

  private static void call(Harness h, Transition row, Connection subject) {
    switch (row.event()) {
      case PASSIVE_OPEN -> h.listener = h.stack.listen(LOCAL_PORT, 8, new SocketOptions()).orElseThrow();
      case ACTIVE_OPEN -> h.conn = h.stack.connect(LOCAL_PORT, REMOTE, REMOTE_PORT, new SocketOptions()).orElseThrow();
      case ACTIVE_OPEN_FAST_OPEN -> h.conn = h.stack.connectFastOpen(LOCAL_PORT, IpAddress.ipv4(REMOTE), REMOTE_PORT,
          new SocketOptions(), bytes(4, 0)).orElseThrow();
      case SEND -> h.stack.write(subject, bytes(4, 0), 0, 4);
      case CLOSE -> {
        switch (row.from()) {
          case LISTEN -> h.stack.closeListener(h.listener);
          case SYN_SENT -> h.stack.close(subject);
          default -> h.stack.shutdownWrite(subject);
        }
      }
      case ABORT -> h.stack.abort(subject);
      default -> throw new IllegalArgumentException(row + " is not a user call");
    }
  }

  /**
   * Something the timer guards (data, or our FIN, or an orphaned FIN-WAIT-2, or keep-alive in a
   * FIN-WAIT-2 the user holds), then time passes.
   */
  private static void expire(Harness h, Transition row, Connection subject) {
    switch (row.from()) {
      case ESTABLISHED, CLOSE_WAIT -> h.stack.write(subject, bytes(10, 0), 0, 10);
      case FIN_WAIT_2 -> {
        if (row.event() == Event.CLOSE_TIMEOUT) {
          h.stack.close(subject);
        } else {
          subject.options.keepAlive = true;
          h.stack.keepaliveChanged(subject, false);
        }
      }
      default -> { }
    }
    for (int i = 0; i < 40 && h.state() == row.from(); i++) {
      h.clock.advanceNanos(h.stack.nextDeadlineNanos() - h.clock.nowNanos());
      h.stack.runTimers();
      h.out();
    }
  }

  /** A segment of the row's arrival kind, built from the fixture's numbers. */
  private static Segment arrival(Harness h, Transition row) {
    State s = row.from();
    return switch (s) {
      case CLOSED -> row.event() == Event.RCV_RST ? peer(RST, 100, 0) : peer(ACK, 100, 777);
      case LISTEN -> switch (row.event()) {
        case RCV_RST -> peer(RST | ACK, 100, 5);
        case RCV_ACK -> peer(ACK, 100, 4242);
        case RCV_SYN -> peer(SYN, PEER_ISS, 0);
        case RCV_SYN_FAST_OPEN -> fastOpenSyn();
        default -> peer(FIN, 100, 0);
      };
      case SYN_SENT -> switch (row.event()) {
        case RCV_BAD_ACK -> peer(ACK, PEER_ISS, h.iss() + 7);
        case RCV_RST -> peer(RST | ACK, PEER_ISS, h.iss() + 1);
        case RCV_RST_NO_ACK -> peer(RST, PEER_ISS, 0);
        case RCV_SYN_ACK -> peer(SYN | ACK, PEER_ISS, h.iss() + 1);
        case RCV_SYN_ACK_FIN -> peer(SYN | ACK | FIN, PEER_ISS, h.iss() + 1, bytes(5, 0));
        case RCV_SYN -> peer(SYN, PEER_ISS, 0);
        default -> peer(ACK, PEER_ISS, h.iss() + 1);
      };
      case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT ->
          synchronizedArrival(h, row);
    };
  }

  private static Segment synchronizedArrival(Harness h, Transition row) {
    int rcvNxt = h.rcvNxt();
    int sndUna = h.sndUna();
    int sndNxt = h.sndNxt();
    boolean peerClosed = switch (row.from()) {
      case CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> true;
      default -> false;
    };
    return switch (row.event()) {
      case RCV_UNACCEPTABLE -> peer(ACK, rcvNxt - 1000, sndNxt, bytes(10, 0));
      case RCV_RETRANSMITTED_SYN -> peer(SYN, PEER_ISS, 0);
      case RCV_RST_OUT_OF_WINDOW -> peer(RST, rcvNxt + 1_000_000, 0);
      case RCV_RST_EXACT -> peer(RST, rcvNxt, 0);
      case RCV_RST_IN_WINDOW -> peer(RST, rcvNxt + 1, 0);
      case RCV_SYN -> peer(SYN, rcvNxt, 0);
      case RCV_NEW_SYN -> peer(SYN, rcvNxt + 1000, 0);
      case RCV_NO_ACK -> peer(0, rcvNxt, 0);
      case RCV_ACK_AHEAD -> peer(ACK, rcvNxt, sndNxt + 100);
      // Older than any MAX.SND.WND the fixtures can have seen (RFC 5961 §5.2).
      case RCV_ACK_TOO_OLD -> peer(ACK, rcvNxt, sndUna - (1 << 20));
      case RCV_DUP_ACK -> peer(ACK, rcvNxt, sndUna);
      case RCV_ACK -> {
        if (row.from() == State.ESTABLISHED || row.from() == State.CLOSE_WAIT) {
          h.stack.write(h.conn, bytes(100, 0), 0, 100);
          h.out();
        }
        // SYN-RECEIVED: the ACK of our SYN; elsewhere part of what is in flight, not our FIN.
        yield peer(ACK, rcvNxt, sndUna + 1);
      }
      case RCV_ACK_OF_FIN -> peer(ACK, rcvNxt, sndNxt);
      case RCV_DATA -> peer(ACK, rcvNxt, sndUna, bytes(5, 0));
      // The same text once the application reads no more (shutdown(SHUT_RD) after our FIN).
      case RCV_DATA_AFTER_CLOSE -> {
        h.stack.shutdownRead(h.conn);
        yield peer(ACK, rcvNxt, sndUna, bytes(5, 0));
      }
      // A first FIN at RCV.NXT, or the retransmission of the FIN already taken (ending at RCV.NXT).
      case RCV_FIN -> {
        if (peerClosed) yield peer(FIN | ACK, rcvNxt - 1, sndUna);
        // SYN-RECEIVED: with the ACK of our SYN; elsewhere not covering our FIN.
        yield peer(FIN | ACK, rcvNxt, row.from() == State.SYN_RECEIVED ? sndNxt : sndUna);
      }
      case RCV_FIN_ACK_OF_FIN -> peer(FIN | ACK, rcvNxt, sndNxt);
      case RCV_BAD_ACK -> peer(ACK, rcvNxt, sndNxt + 6);
      case PASSIVE_OPEN, ACTIVE_OPEN, ACTIVE_OPEN_FAST_OPEN, SEND, CLOSE, ABORT, TIMEOUT, CLOSE_TIMEOUT, RCV_RST, RCV_SEGMENT,
          RCV_SYN_FAST_OPEN, RCV_OTHER, RCV_RST_NO_ACK, RCV_SYN_ACK, RCV_SYN_ACK_FIN,
          RCV_ICMP_HARD_ERROR -> throw new IllegalArgumentException(row + " is not an arrival in a synchronized state");
    };
  }

  /**
   * The argument for the rows listed as unreachable: in the fixture of their state nothing is
   * left to acknowledge, so the highest acceptable ACK is a duplicate and any higher one is ahead.
   */
  private static void noAckCanBeNew(Transition row) {
    Harness h = Harness.fixture(row.from());
    assertEquals(h.conn.tcb().sndUna, h.sndNxt(), UNREACHABLE.get(row.specAction()));
    assertTrue(h.conn.tcb().finSent, "our FIN is out");
    assertEquals(Event.RCV_DUP_ACK, h.conn.classify(peer(ACK, h.rcvNxt(), h.sndNxt())));
    assertEquals(Event.RCV_ACK_AHEAD, h.conn.classify(peer(ACK, h.rcvNxt(), h.sndNxt() + 1)));
    assertEquals(Event.RCV_ACK, row.event());
  }

  /** Aborts what is left open, so that every connection's trace ends in CLOSED. */
  private static void closeEverything(Harness h) {
    for (Connection c : h.stack.connections()) h.stack.abort(c);
    if (h.conn != null && h.conn.state() != State.CLOSED) h.stack.abort(h.conn);
    if (h.conn == null && h.half != null && h.half.state() == State.LISTEN) h.half.abort();
    if (h.listener != null && h.listener.listening.state() == State.LISTEN) h.stack.closeListener(h.listener);
  }
}
