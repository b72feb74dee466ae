package org.tcpspec.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue #4, "Completeness": every (state, event) pair is a row or a documented reaction. */
class TransitionTableTest {
  private final TransitionTable table = TransitionTable.instance();

  @Test
  void everyPairIsARowOrADocumentedReactionButNotBoth() {
    List<String> problems = new ArrayList<>();
    for (State s : State.values()) {
      for (Event e : Event.values()) {
        boolean rows = !table.rowsFor(s, e).isEmpty();
        boolean reaction = table.reaction(s, e).isPresent();
        if (rows == reaction) problems.add(s + " x " + e + (rows ? ": both row and reaction" : ": neither"));
        table.reaction(s, e).ifPresent(r -> {
          if (r.reason().isBlank()) problems.add(s + " x " + e + ": reaction without a reason");
        });
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void guardedRowsCoverEveryOriginExactlyOnce() {
    // The origins of the model's (passive, fastOpen): active, passive, passive with Fast Open text.
    boolean[][] origins = {{false, false}, {true, false}, {true, true}};
    for (State s : State.values()) {
      for (Event e : Event.values()) {
        List<Transition> rows = table.rowsFor(s, e);
        if (rows.isEmpty()) continue;
        for (boolean[] o : origins) {
          long n = rows.stream().filter(t -> t.guard().admits(o[0], o[1])).count();
          assertEquals(1, n, s + " x " + e + " passive=" + o[0] + " fastOpen=" + o[1] + " matches " + n + " rows");
        }
      }
    }
  }

  @Test
  void aFastOpenConnectionIsResetAsAnActiveOneIsNotReturnedToListen() {
    // RFC 7413 §4.2.2: its user holds it already. The peer's SYN again still gets the SYN-ACK again.
    assertEquals(State.CLOSED, table.lookup(State.SYN_RECEIVED, Event.RCV_RST_EXACT, true, true).orElseThrow().to());
    assertEquals(State.CLOSED, table.lookup(State.SYN_RECEIVED, Event.TIMEOUT, true, true).orElseThrow().to());
    Transition syn = table.lookup(State.SYN_RECEIVED, Event.RCV_SYN, true, true).orElseThrow();
    assertEquals(State.SYN_RECEIVED, syn.to());
    assertEquals(List.of(Effect.SEND_RST_REPLY), syn.effects(), "Linux tcp_check_req: a RST, the request kept");
    assertTrue(table.lookup(State.SYN_RECEIVED, Event.RCV_RETRANSMITTED_SYN, true, true).orElseThrow()
        .effects().contains(Effect.RESEND_SYN_ACK));
    assertEquals(Action.ListenRcvSynFastOpen,
        table.lookup(State.LISTEN, Event.RCV_SYN_FAST_OPEN, true).orElseThrow().specAction());
  }

  @Test
  void actionNamesFollowTheNamingContract() {
    Pattern user = Pattern.compile("[A-Z]+(_[A-Z]+)*");
    Pattern arrivalOrTimer = Pattern.compile("(Closed|Listen|SynSent|SynReceived|Established|FinWait1|FinWait2|CloseWait|Closing|LastAck|TimeWait)(Rcv[A-Za-z]+|(Keepalive)?Timeout)");
    for (Transition t : table.rows()) {
      Pattern p = switch (t.event().kind()) {
        case USER -> user;
        case TIMER, ARRIVAL, ICMP -> arrivalOrTimer;
      };
      assertTrue(p.matcher(t.specAction().name()).matches(), "bad action name: " + t);
      assertTrue(t.rfcSection().startsWith("§3."), "RFC 9293 section missing: " + t);
      String prefix = t.specAction().name().replaceAll("(Rcv[A-Za-z]+|(Keepalive)?Timeout)$", "");
      if (t.event().kind() != Event.Kind.USER) {
        assertEquals(camelCase(t.from()), prefix, "action names another state: " + t);
      }
    }
  }

  /** ACTIONS.md's spelling of a state inside action names: "FIN-WAIT-1" is FinWait1. */
  static String camelCase(State s) {
    StringBuilder b = new StringBuilder();
    for (String word : s.rfcName().split("-")) b.append(word.charAt(0)).append(word.substring(1).toLowerCase());
    return b.toString();
  }

  @Test
  void everyRowIntoClosedDeletesTheTcb() {
    // The stack forgets a connection in DELETE_TCB only: every row that ends a connection has it,
    // and so does the fall-back of a passive SYN-RECEIVED child to LISTEN (the listener stays).
    for (Transition t : table.rows()) {
      boolean ends = t.to() == State.CLOSED && t.from() != State.CLOSED
          || t.from() == State.SYN_RECEIVED && t.to() == State.LISTEN;
      assertEquals(ends, t.effects().contains(Effect.DELETE_TCB), "DELETE_TCB: " + t);
    }
  }

  @Test
  void everySynchronizedStateChecksSequenceRstSynAndAckFirst() {
    // §3.10.7.4 first to fifth checks apply in every synchronized state, and only there.
    List<Event> checks = List.of(Event.RCV_UNACCEPTABLE, Event.RCV_RST_OUT_OF_WINDOW, Event.RCV_RST_EXACT,
        Event.RCV_RST_IN_WINDOW, Event.RCV_SYN, Event.RCV_NO_ACK);
    for (State s : State.values()) {
      for (Event e : checks) {
        boolean row = !table.rowsFor(s, e).isEmpty();
        assertEquals(s.isSynchronized() || (e == Event.RCV_SYN && s != State.CLOSED), row, s + " x " + e);
      }
    }
  }

  @Test
  void theAnswersToUnacceptableSegmentsAreChosenByTheirRows() {
    // Rate-limited ACK for every unacceptable segment; the SYN-ACK again only for the peer's SYN
    // again in a passive SYN-RECEIVED (Linux tcp_check_req); plain ACKs elsewhere.
    for (Transition t : table.rows()) {
      boolean unacceptable = t.event() == Event.RCV_UNACCEPTABLE || t.event() == Event.RCV_RETRANSMITTED_SYN;
      boolean resend = t.event() == Event.RCV_RETRANSMITTED_SYN && t.guard() != Guard.ACTIVE;
      assertEquals(unacceptable && !resend, t.effects().contains(Effect.SEND_OUT_OF_WINDOW_ACK), t.toString());
      assertEquals(resend, t.effects().contains(Effect.RESEND_SYN_ACK), t.toString());
      if (unacceptable) assertFalse(t.effects().contains(Effect.SEND_ACK), t.toString());
    }
  }

  @Test
  void rowsAreDistinctTriples() {
    Set<String> seen = new HashSet<>();
    for (Transition t : table.rows()) {
      String key = t.from() + "|" + t.event() + "|" + t.guard();
      if (!seen.add(key)) fail("two rows for " + key);
    }
  }

  @Test
  void closedAcceptsOnlyOpensAmongUserCalls() {
    assertTrue(table.lookup(State.CLOSED, Event.ACTIVE_OPEN, false).isPresent());
    assertTrue(table.lookup(State.CLOSED, Event.PASSIVE_OPEN, false).isPresent());
    assertFalse(table.lookup(State.CLOSED, Event.SEND, false).isPresent());
    assertTrue(table.reaction(State.CLOSED, Event.SEND).orElseThrow() instanceof Reaction.UserError);
  }

  @Test
  void synReceivedResetReturnsToListenOnlyWhenPassive() {
    assertEquals(State.LISTEN, table.lookup(State.SYN_RECEIVED, Event.RCV_RST_EXACT, true).orElseThrow().to());
    assertEquals(State.CLOSED, table.lookup(State.SYN_RECEIVED, Event.RCV_RST_EXACT, false).orElseThrow().to());
  }

  /**
   * The engine gives the effect handler a segment for arrivals only, and user data only with the
   * calls that carry it (SEND, and the Fast Open OPEN of RFC 7413 §3): so an effect that reads the
   * segment appears in arrival rows only, and QUEUE_DATA in those calls' rows.
   */
  @Test
  void effectsThatActOnASegmentOrOnUserDataAppearOnlyWhereTheEventCarriesIt() {
    for (Transition t : table.rows()) {
      for (Effect e : t.effects()) {
        if (e.needsSegment()) assertEquals(Event.Kind.ARRIVAL, t.event().kind(), e + " in " + t);
        if (e == Effect.QUEUE_DATA) {
          assertTrue(t.event() == Event.SEND || t.event() == Event.ACTIVE_OPEN_FAST_OPEN, e + " in " + t);
        }
      }
    }
  }
}
