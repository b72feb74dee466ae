package org.tcpspec.conformance.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tcpspec.conformance.suite.ScriptHeader;

/**
 * Which scripts name which TLA+ actions in their headers, and from
 * that which arrows of RFC 9293's state diagram (Figure 5, §3.3.2) and which reset-generation
 * rules (§3.5.2) the suite covers: an arrow or rule is covered when a script names one of the
 * actions that realise it.
 */
public record Coverage(Map<String, List<String>> coveredActions) {

  /** One arrow of Figure 5 or one rule of §3.5.2, and the actions of spec/ACTIONS.md that take it. */
  public record Item(String name, List<String> actions) {
    /** An arrow the model leaves out on purpose has no actions; it is reported, never covered. */
    public boolean modelled() {
      return !actions.isEmpty();
    }
  }

  /** RFC 9293 Figure 5, arrow by arrow, in the figure's order. */
  public static final List<Item> FIGURE_5 = List.of(
      new Item("CLOSED -> LISTEN (passive OPEN)", List.of("PASSIVE_OPEN")),
      new Item("CLOSED -> SYN-SENT (active OPEN / snd SYN)", List.of("ACTIVE_OPEN")),
      new Item("LISTEN -> SYN-RCVD (rcv SYN / snd SYN,ACK)", List.of("ListenRcvSyn")),
      // SPEC-GAP in the table: SEND in LISTEN fails as on Linux; the model has no such arrow.
      new Item("LISTEN -> SYN-SENT (SEND / snd SYN; not modelled, Linux refuses)", List.of()),
      new Item("LISTEN -> CLOSED (CLOSE)", List.of("CLOSE_LISTEN")),
      new Item("SYN-SENT -> CLOSED (CLOSE)", List.of("CLOSE_SYN_SENT")),
      new Item("SYN-SENT -> SYN-RCVD (rcv SYN / snd SYN,ACK)", List.of("SynSentRcvSyn")),
      new Item("SYN-SENT -> ESTAB (rcv SYN,ACK / snd ACK)", List.of("SynSentRcvSynAck")),
      new Item("SYN-RCVD -> LISTEN (rcv RST)", List.of("SynReceivedRcvRstExact")),
      new Item("SYN-RCVD -> ESTAB (rcv ACK of SYN)", List.of("SynReceivedRcvAck")),
      new Item("SYN-RCVD -> FIN-WAIT-1 (CLOSE / snd FIN)", List.of("CLOSE_SYN_RECEIVED")),
      new Item("ESTAB -> FIN-WAIT-1 (CLOSE / snd FIN)", List.of("CLOSE_ESTABLISHED")),
      new Item("ESTAB -> CLOSE-WAIT (rcv FIN / snd ACK)", List.of("EstablishedRcvFin")),
      new Item("FIN-WAIT-1 -> FIN-WAIT-2 (rcv ACK of FIN)", List.of("FinWait1RcvAckOfFin")),
      new Item("FIN-WAIT-1 -> CLOSING (rcv FIN / snd ACK)", List.of("FinWait1RcvFin")),
      new Item("FIN-WAIT-2 -> TIME-WAIT (rcv FIN / snd ACK)", List.of("FinWait2RcvFin")),
      new Item("CLOSING -> TIME-WAIT (rcv ACK of FIN)", List.of("ClosingRcvAckOfFin")),
      new Item("TIME-WAIT -> CLOSED (Timeout=2MSL)", List.of("TimeWaitTimeout")),
      new Item("CLOSE-WAIT -> LAST-ACK (CLOSE / snd FIN)", List.of("CLOSE_CLOSE_WAIT")),
      new Item("LAST-ACK -> CLOSED (rcv ACK of FIN)", List.of("LastAckRcvAckOfFin")));

  /** RFC 9293 §3.5.2, the three groups of states and what a segment that does not belong gets. */
  public static final List<Item> RESET_RULES = List.of(
      new Item("1. no connection (CLOSED): RST", List.of("ClosedRcvSegment")),
      new Item("1. no connection (CLOSED): never a RST for a RST", List.of("ClosedRcvRst")),
      new Item("2. non-synchronized, ACK of something not sent: RST",
          List.of("ListenRcvAck", "SynSentRcvBadAck", "SynReceivedRcvBadAck")),
      new Item("3. synchronized, unacceptable segment: empty ACK, no RST",
          List.of("EstablishedRcvUnacceptable", "FinWait1RcvUnacceptable", "FinWait2RcvUnacceptable",
              "CloseWaitRcvUnacceptable", "ClosingRcvUnacceptable", "LastAckRcvUnacceptable",
              "TimeWaitRcvUnacceptable", "SynReceivedRcvUnacceptable")),
      new Item("3. synchronized, ACK of something not sent: empty ACK, no RST",
          List.of("EstablishedRcvAckAhead", "FinWait1RcvAckAhead", "FinWait2RcvAckAhead",
              "CloseWaitRcvAckAhead", "ClosingRcvAckAhead", "LastAckRcvAckAhead", "TimeWaitRcvAckAhead")));

  /** Empty when the report has no action vocabulary. (RFC 9293's labels: {@link RequirementCoverage}.) */
  public static Coverage of(Report r) {
    Set<String> vocabulary = r.specActions().orElse(Set.of());
    Map<String, List<String>> actions = new TreeMap<>();
    for (Map.Entry<String, ScriptHeader> e : r.headers().entrySet()) {
      String name = e.getKey();
      // The suite's coverage is what people wrote; the generated set names every action by
      // construction and has a section of its own (ModelStepsSection).
      if (ModelSteps.isGenerated(name)) continue;
      for (String a : e.getValue().actions()) {
        if (vocabulary.contains(a)) actions.computeIfAbsent(a, k -> new ArrayList<>()).add(name);
      }
    }
    return new Coverage(actions);
  }

  /** The scripts that cover an arrow or rule (through any of its actions), in order, no repeats. */
  public List<String> scripts(Item item) {
    List<String> s = new ArrayList<>();
    for (String a : item.actions()) {
      for (String script : coveredActions.getOrDefault(a, List.of())) if (!s.contains(script)) s.add(script);
    }
    return s;
  }

  /** The scripts that name {@code action}. */
  public List<String> scripts(String action) {
    return coveredActions.getOrDefault(action, List.of());
  }

  /** The modelled items of {@code items} that no script covers. */
  public List<Item> uncovered(List<Item> items) {
    return items.stream().filter(i -> i.modelled() && scripts(i).isEmpty()).toList();
  }
}
