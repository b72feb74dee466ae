package org.tcpspec.fsm;

import static org.tcpspec.fsm.Action.*;
import static org.tcpspec.fsm.Effect.*;
import static org.tcpspec.fsm.Event.*;
import static org.tcpspec.fsm.State.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tcpspec.fsm.Reaction.UserErrorKind;

/**
 * The transition table: every arrow of RFC 9293's state diagram (§3.3.2) and of its event
 * processing (§3.10), one row each, named after the TLA+ {@link Action} of spec/TcpEndpoint.tla it
 * mirrors (contract: spec/ACTIONS.md). Every (state, event) pair is either a row or a documented
 * {@link Reaction}; {@code TransitionTableTest} holds the table to that.
 *
 * <p>Read it like the RFC: user calls, timers, arrivals in CLOSED, LISTEN and SYN-SENT here, then
 * the arrivals in the synchronized states, state by state, in {@link SynchronizedArrivalRows}.
 * Every row is written out with its action's name: {@code grep -rn SynReceivedRcvRstExact} finds it.
 */
public final class TransitionTable {

  /** Where the row groups write their rows; {@link Guard#ANY} unless a row names one. */
  interface Rows {
    void row(State from, Event event, Guard guard, Action action, String section, State to, Effect... effects);

    default void row(State from, Event event, Action action, String section, State to, Effect... effects) {
      row(from, event, Guard.ANY, action, section, to, effects);
    }
  }

  private static final TransitionTable INSTANCE = new TransitionTable();

  private final List<Transition> rows = new ArrayList<>();
  private final Map<State, Map<Event, List<Transition>>> index = new EnumMap<>(State.class);
  private final Map<State, Map<Event, Reaction>> reactions = new EnumMap<>(State.class);
  /** Each row's lookup result and engine outcome, made once so that firing a row allocates nothing. */
  private final Map<Transition, Optional<Transition>> found = new IdentityHashMap<>();
  private final Map<Transition, Outcome.Applied> applied = new IdentityHashMap<>();

  public static TransitionTable instance() {
    return INSTANCE;
  }

  private TransitionTable() {
    Rows t = this::row;
    userCalls(t);
    timers(t);
    closedAndListen(t);
    synSent(t);
    SynchronizedArrivalRows.write(t);
    documentedReactions();
  }

  // ---------------------------------------------------------------- user calls, §3.10.1–§3.10.5

  private static void userCalls(Rows t) {
    t.row(CLOSED, Event.PASSIVE_OPEN, Action.PASSIVE_OPEN, "3.10.1", LISTEN);
    t.row(CLOSED, Event.ACTIVE_OPEN, Action.ACTIVE_OPEN, "3.10.1", SYN_SENT, CHOOSE_ISS, SEND_SYN);
    // RFC 7413 §3, §4.2 (an OPEN of §3.10.1 with data): the SYN carries the data when a cookie is
    // cached or the no-cookie mode is on, else it requests a cookie and the data waits.
    t.row(CLOSED, Event.ACTIVE_OPEN_FAST_OPEN, Action.ACTIVE_OPEN_FAST_OPEN, "3.10.1", SYN_SENT,
        CHOOSE_ISS, QUEUE_DATA, SEND_SYN);
    // Data queued before establishment goes out once the connection is ESTABLISHED (§3.10.2).
    t.row(SYN_SENT, Event.SEND, Action.SEND, "3.10.2", SYN_SENT, QUEUE_DATA);
    t.row(SYN_RECEIVED, Event.SEND, Action.SEND, "3.10.2", SYN_RECEIVED, QUEUE_DATA);
    t.row(ESTABLISHED, Event.SEND, Action.SEND, "3.10.2", ESTABLISHED, QUEUE_DATA);
    t.row(CLOSE_WAIT, Event.SEND, Action.SEND, "3.10.2", CLOSE_WAIT, QUEUE_DATA);
    t.row(LISTEN, CLOSE, CLOSE_LISTEN, "3.10.4", CLOSED, DELETE_TCB);
    t.row(SYN_SENT, CLOSE, CLOSE_SYN_SENT, "3.10.4", CLOSED, DELETE_TCB);
    t.row(SYN_RECEIVED, CLOSE, CLOSE_SYN_RECEIVED, "3.10.4", FIN_WAIT_1, QUEUE_FIN);
    t.row(ESTABLISHED, CLOSE, CLOSE_ESTABLISHED, "3.10.4", FIN_WAIT_1, QUEUE_FIN);
    t.row(CLOSE_WAIT, CLOSE, CLOSE_CLOSE_WAIT, "3.10.4", LAST_ACK, QUEUE_FIN);
    // §3.10.5: a RST goes out only where the peer may hold a synchronized connection.
    t.row(LISTEN, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, DELETE_TCB);
    t.row(SYN_SENT, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, DELETE_TCB);
    t.row(SYN_RECEIVED, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, SEND_RST_ABORT, DELETE_TCB);
    t.row(ESTABLISHED, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, SEND_RST_ABORT, DELETE_TCB);
    t.row(FIN_WAIT_1, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, SEND_RST_ABORT, DELETE_TCB);
    t.row(FIN_WAIT_2, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, SEND_RST_ABORT, DELETE_TCB);
    t.row(CLOSE_WAIT, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, SEND_RST_ABORT, DELETE_TCB);
    t.row(CLOSING, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, DELETE_TCB);
    t.row(LAST_ACK, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, DELETE_TCB);
    t.row(TIME_WAIT, Event.ABORT, Action.ABORT, "3.10.5", CLOSED, DELETE_TCB);
  }

  // ---------------------------------------------------------------- timers, §3.8.1, §3.8.3, §3.8.4, §3.10.8

  private static void timers(Rows t) {
    t.row(SYN_SENT, TIMEOUT, SynSentTimeout, "3.8.3", CLOSED, SIGNAL_TIMEOUT, DELETE_TCB);
    // A half-open passive connection goes back to LISTEN; the stack forgets the child.
    t.row(SYN_RECEIVED, TIMEOUT, Guard.PASSIVE, SynReceivedTimeout, "3.8.3", LISTEN, DELETE_TCB);
    t.row(SYN_RECEIVED, TIMEOUT, Guard.ACTIVE, SynReceivedTimeout, "3.8.3", CLOSED, SIGNAL_TIMEOUT, DELETE_TCB);
    // RFC 7413 §4.2.2: a Fast Open connection's user holds it (Linux tcp_fastopen_synack_timer).
    t.row(SYN_RECEIVED, TIMEOUT, Guard.FAST_OPEN, SynReceivedTimeout, "3.8.3", CLOSED, SIGNAL_TIMEOUT, DELETE_TCB);
    // R2: the retransmission (or persist, keep-alive) timer gave up.
    t.row(ESTABLISHED, TIMEOUT, EstablishedTimeout, "3.8.3", CLOSED, SIGNAL_TIMEOUT, DELETE_TCB);
    t.row(FIN_WAIT_1, TIMEOUT, FinWait1Timeout, "3.8.3", CLOSED, SIGNAL_TIMEOUT, DELETE_TCB);
    t.row(CLOSE_WAIT, TIMEOUT, CloseWaitTimeout, "3.8.3", CLOSED, SIGNAL_TIMEOUT, DELETE_TCB);
    t.row(CLOSING, TIMEOUT, ClosingTimeout, "3.8.3", CLOSED, SIGNAL_TIMEOUT, DELETE_TCB);
    t.row(LAST_ACK, TIMEOUT, LastAckTimeout, "3.8.3", CLOSED, SIGNAL_TIMEOUT, DELETE_TCB);
    // §3.8.4 keep-alive, as Linux's tcp_keepalive_timer for a FIN-WAIT-2 socket the user still
    // holds (after shutdown(SHUT_WR)): unanswered probes end it with ETIMEDOUT (tcp_write_err);
    // the RST went before (tcp_send_active_reset). Nothing else can give up here: all is acknowledged.
    t.row(FIN_WAIT_2, TIMEOUT, FinWait2KeepaliveTimeout, "3.8.4", CLOSED, SIGNAL_TIMEOUT, DELETE_TCB);
    // Linux: tcp_fin_timeout (60 s) bounds FIN-WAIT-2 for an orphaned socket; RFC 9293 has none.
    t.row(FIN_WAIT_2, CLOSE_TIMEOUT, FinWait2Timeout, "3.10.7.4", CLOSED, DELETE_TCB);
    t.row(TIME_WAIT, CLOSE_TIMEOUT, TimeWaitTimeout, "3.10.8", CLOSED, DELETE_TCB);
  }

  // ---------------------------------------------------------------- arrivals, §3.10.7.1, §3.10.7.2

  private static void closedAndListen(Rows t) {
    t.row(CLOSED, RCV_RST, ClosedRcvRst, "3.10.7.1", CLOSED);
    t.row(CLOSED, RCV_SEGMENT, ClosedRcvSegment, "3.10.7.1", CLOSED, SEND_RST_REPLY);
    t.row(LISTEN, RCV_RST, ListenRcvRst, "3.10.7.2", LISTEN);
    t.row(LISTEN, RCV_ACK, ListenRcvAck, "3.10.7.2", LISTEN, SEND_RST_REPLY);
    t.row(LISTEN, RCV_SYN, ListenRcvSyn, "3.10.7.2", SYN_RECEIVED, RECORD_SYN, CHOOSE_ISS, SEND_SYN_ACK);
    // RFC 7413 §4.2.2 (where §3.10.7.2 would queue the SYN's text until ESTABLISHED): a valid
    // cookie makes the text deliverable in SYN-RECEIVED, and the SYN-ACK acknowledges it.
    t.row(LISTEN, RCV_SYN_FAST_OPEN, ListenRcvSynFastOpen, "3.10.7.2", SYN_RECEIVED,
        RECORD_SYN, CHOOSE_ISS, RECEIVE_TEXT, SEND_SYN_ACK);
    t.row(LISTEN, RCV_OTHER, ListenRcvOther, "3.10.7.2", LISTEN);
  }

  // ---------------------------------------------------------------- arrivals, §3.10.7.3

  private static void synSent(Rows t) {
    t.row(SYN_SENT, RCV_BAD_ACK, SynSentRcvBadAck, "3.10.7.3", SYN_SENT, SEND_RST_REPLY);
    t.row(SYN_SENT, RCV_RST, SynSentRcvRst, "3.10.7.3", CLOSED, SIGNAL_RESET, DELETE_TCB);
    t.row(SYN_SENT, RCV_RST_NO_ACK, SynSentRcvRstNoAck, "3.10.7.3", SYN_SENT);
    t.row(SYN_SENT, RCV_SYN_ACK, SynSentRcvSynAck, "3.10.7.3", ESTABLISHED,
        RECORD_SYN, PROCESS_ACK, SIGNAL_ESTABLISHED, RECEIVE_TEXT, SEND_ACK);
    // §3.10.7.3 fourth: ESTABLISHED, then "continue processing at the sixth step" of §3.10.7.4:
    // the text, then the FIN (eighth step), which enters CLOSE-WAIT. Linux (a Fast Open client's
    // SYN-ACK, tcp_rcv_fastopen_synack): tcp_fastopen_add_skb queues the text and calls tcp_fin.
    t.row(SYN_SENT, RCV_SYN_ACK_FIN, SynSentRcvSynAckFin, "3.10.7.3", CLOSE_WAIT,
        RECORD_SYN, PROCESS_ACK, SIGNAL_ESTABLISHED, RECEIVE_TEXT, RECEIVE_FIN, SEND_ACK);
    t.row(SYN_SENT, RCV_SYN, SynSentRcvSyn, "3.10.7.3", SYN_RECEIVED, RECORD_SYN, SEND_SYN_ACK);
    t.row(SYN_SENT, RCV_OTHER, SynSentRcvOther, "3.10.7.3", SYN_SENT);
    // §3.9.2.2 SHLD-26: a hard ICMP error (protocol or port unreachable) about our SYN ends the
    // attempt with that error, as Linux's tcp_v4_err/tcp_v6_err (tcp_done_with_error), which end it
    // on soft errors too; we keep MUST-56 there, the soft error only reported.
    t.row(SYN_SENT, RCV_ICMP_HARD_ERROR, SynSentRcvIcmpHardError, "3.9.2.2", CLOSED, SIGNAL_ICMP_ERROR, DELETE_TCB);
  }

  // ---------------------------------------------------------------- pairs that are not rows

  private void documentedReactions() {
    for (State s : State.values()) {
      for (Event e : Event.values()) {
        if (!rowsFor(s, e).isEmpty()) continue;
        react(s, e, reactionFor(s, e));
      }
    }
  }

  /** The reaction of a pair without a row; every case is argued, none is a default. */
  private static Reaction reactionFor(State s, Event e) {
    return switch (e.kind()) {
      case USER -> userError(s, e);
      case TIMER -> e == TIMEOUT
          ? new Reaction.Unreachable("no timer that gives up is armed in " + s.rfcName())
          : new Reaction.Unreachable("only FIN-WAIT-2 (orphaned) and TIME-WAIT end on a timer without telling"
              + " anyone; in " + s.rfcName() + " no such timer is armed");
      case ARRIVAL -> e == RCV_SYN_FAST_OPEN
          ? new Reaction.Unreachable("only a listener refines RCV_SYN to " + e + " (RFC 7413 §4.2.2); in "
              + s.rfcName() + " a SYN stays what the classifier makes of it")
          : new Reaction.Unreachable("the §3.10.7 classifier never yields " + e + " in " + s.rfcName());
      case ICMP -> new Reaction.Unreachable("the stack fires " + e + " in SYN-SENT only (§3.9.2.2; Linux's"
          + " tcp_v4_err ends only a connection attempt): in " + s.rfcName() + " a hard error is reported, no state changes");
    };
  }

  private static Reaction userError(State s, Event e) {
    return switch (e) {
      // §3.10.1: OPEN on an existing connection. SPEC-GAP: the RFC lets an active OPEN turn a
      // LISTEN connection active; Linux refuses connect() on a listener (EISCONN/EINVAL), as we do.
      case PASSIVE_OPEN, ACTIVE_OPEN, ACTIVE_OPEN_FAST_OPEN ->
          new Reaction.UserError(UserErrorKind.ALREADY_EXISTS, "§3.10.1 error: connection already exists");
      // §3.10.2: SEND in CLOSED has no connection; SPEC-GAP: in LISTEN the RFC would turn the
      // connection active, Linux fails the write (EPIPE), as we do. After our FIN: closing.
      case SEND -> s == CLOSED || s == LISTEN
          ? new Reaction.UserError(UserErrorKind.DOES_NOT_EXIST, "§3.10.2 error: connection does not exist")
          : new Reaction.UserError(UserErrorKind.CLOSING, "§3.10.2 error: connection closing");
      // §3.10.4: CLOSE in CLOSED has no connection; after our FIN a second CLOSE changes nothing.
      case CLOSE -> s == CLOSED
          ? new Reaction.UserError(UserErrorKind.DOES_NOT_EXIST, "§3.10.4 error: connection does not exist")
          : new Reaction.UserError(UserErrorKind.CLOSING, "§3.10.4 error: connection closing");
      case ABORT -> new Reaction.UserError(UserErrorKind.DOES_NOT_EXIST, "§3.10.5 error: connection does not exist");
      case TIMEOUT, CLOSE_TIMEOUT, RCV_RST, RCV_SEGMENT, RCV_ACK, RCV_SYN, RCV_SYN_FAST_OPEN, RCV_OTHER, RCV_BAD_ACK, RCV_RST_NO_ACK,
          RCV_SYN_ACK, RCV_SYN_ACK_FIN, RCV_UNACCEPTABLE, RCV_RETRANSMITTED_SYN, RCV_RST_OUT_OF_WINDOW, RCV_RST_EXACT,
          RCV_RST_IN_WINDOW, RCV_NO_ACK, RCV_ACK_AHEAD, RCV_ACK_TOO_OLD, RCV_DUP_ACK, RCV_ACK_OF_FIN, RCV_DATA, RCV_FIN,
          RCV_FIN_ACK_OF_FIN, RCV_DATA_AFTER_CLOSE, RCV_NEW_SYN, RCV_ICMP_HARD_ERROR ->
          throw new IllegalArgumentException(e + " is not a user call");
    };
  }

  // ---------------------------------------------------------------- lookup

  /** Every row, in the order written above. */
  public List<Transition> rows() {
    return Collections.unmodifiableList(rows);
  }

  /** The rows for a pair (several only when their guards differ). */
  public List<Transition> rowsFor(State s, Event e) {
    return index.getOrDefault(s, Map.of()).getOrDefault(e, List.of());
  }

  /** The row that applies, if the pair has rows; its guard decides among them. */
  public Optional<Transition> lookup(State s, Event e, boolean passive, boolean fastOpen) {
    Transition t = find(s, e, passive, fastOpen);
    return t == null ? Optional.empty() : found.get(t);
  }

  /** As {@link #lookup(State, Event, boolean, boolean)} for a connection without Fast Open text. */
  public Optional<Transition> lookup(State s, Event e, boolean passive) {
    return lookup(s, e, passive, false);
  }

  /** The engine's outcome for the row that applies, shared by every firing; null when none does. */
  Outcome.Applied applied(State s, Event e, boolean passive, boolean fastOpen) {
    Transition t = find(s, e, passive, fastOpen);
    return t == null ? null : applied.get(t);
  }

  /** Indexed, not iterated: no iterator per segment on the data path. */
  private Transition find(State s, Event e, boolean passive, boolean fastOpen) {
    List<Transition> candidates = rowsFor(s, e);
    for (int i = 0; i < candidates.size(); i++) {
      Transition t = candidates.get(i);
      if (t.guard().admits(passive, fastOpen)) return t;
    }
    return null;
  }

  /** The documented reaction for a pair without rows. */
  public Optional<Reaction> reaction(State s, Event e) {
    return Optional.ofNullable(reactions.getOrDefault(s, Map.of()).get(e));
  }

  // ---------------------------------------------------------------- building

  private void row(State from, Event event, Guard guard, Action action, String section, State to, Effect... effects) {
    Transition t = new Transition(from, event, guard, List.of(effects), to, action, "§" + section);
    rows.add(t);
    found.put(t, Optional.of(t));
    applied.put(t, new Outcome.Applied(t));
    index.computeIfAbsent(from, k -> new EnumMap<>(Event.class)).computeIfAbsent(event, k -> new ArrayList<>()).add(t);
  }

  private void react(State s, Event e, Reaction r) {
    reactions.computeIfAbsent(s, k -> new EnumMap<>(Event.class)).put(e, r);
  }
}
