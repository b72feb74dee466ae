package org.tcpspec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dumped graph of TcpEndpoint: every state, the size ACTIONS.md's rows predict, and the arrows
 * whose shape is easy to get wrong (self-loops, passive SYN-RECEIVED). Its action names are held
 * to ACTIONS.md and to the Java {@code fsm.Action} enum by impl's SpecAlignmentTest.
 */
class StateGraphTest {

  private static final List<String> STATES =
      List.of(
          "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
          "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT");

  private static Set<Edge> graph;

  @BeforeAll
  static void dump() throws IOException {
    graph = StateGraph.tcpEndpoint();
  }

  @Test
  void containsTheTextbookArrows() {
    assertTrue(graph.contains(new Edge("LISTEN", "ListenRcvSyn", "SYN-RECEIVED")), "" + graph);
    assertTrue(graph.contains(new Edge("SYN-SENT", "SynSentRcvSynAck", "ESTABLISHED")));
    assertTrue(graph.contains(new Edge("SYN-SENT", "SynSentRcvSynAckFin", "CLOSE-WAIT")));
    assertTrue(graph.contains(new Edge("LAST-ACK", "LastAckRcvAckOfFin", "CLOSED")));
  }

  @Test
  void stepsKeepPassiveAndFastOpenSoTheResetOfSynReceivedIsThreeSteps() throws IOException {
    Set<ModelStep> steps = StateGraph.tcpEndpointSteps();
    assertTrue(steps.contains(new ModelStep("SYN-RECEIVED", true, false, "SynReceivedRcvRstExact", "LISTEN", true, false)));
    assertTrue(steps.contains(new ModelStep("SYN-RECEIVED", false, false, "SynReceivedRcvRstExact", "CLOSED", false, false)));
    // RFC 7413 §4.2.2: a Fast Open connection is reset to CLOSED; the flag is gone there.
    assertTrue(steps.contains(new ModelStep("SYN-RECEIVED", true, true, "SynReceivedRcvRstExact", "CLOSED", true, false)));
    assertTrue(steps.contains(new ModelStep("LISTEN", true, false, "ListenRcvSynFastOpen", "SYN-RECEIVED", true, true)));
    assertTrue(steps.stream().allMatch(s -> !s.fastOpen() || s.from().equals("SYN-RECEIVED") && s.passive()),
        "fastOpen only in a passive SYN-RECEIVED");
    assertEquals(graph, steps.stream().map(s -> new Edge(s.from(), s.action(), s.to())).collect(Collectors.toSet()));
  }

  @Test
  void selfLoopsAreEdges() {
    assertTrue(graph.contains(new Edge("ESTABLISHED", "EstablishedRcvDupAck", "ESTABLISHED")));
    for (String s : List.of("SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT")) {
      assertTrue(graph.contains(new Edge(s, "SEND", s)), s);
    }
    assertTrue(graph.contains(new Edge("CLOSED", "ClosedRcvRst", "CLOSED")));
  }

  @Test
  void synReceivedFallsBackToListenOnlyWhenPassive() {
    Set<String> rstTargets =
        graph.stream()
            .filter(e -> e.action().equals("SynReceivedRcvRstExact"))
            .map(Edge::to)
            .collect(Collectors.toSet());
    assertEquals(Set.of("LISTEN", "CLOSED"), rstTargets);
    Set<String> synTargets =
        graph.stream()
            .filter(e -> e.action().equals("SynReceivedRcvSyn"))
            .map(Edge::to)
            .collect(Collectors.toSet());
    assertEquals(Set.of("LISTEN", "SYN-RECEIVED"), synTargets);
  }

  @Test
  void everyStateAppearsOnBothEndsOfSomeEdge() {
    for (String s : STATES) {
      assertTrue(graph.stream().anyMatch(e -> e.from().equals(s)), "no edge leaves " + s);
      assertTrue(graph.stream().anyMatch(e -> e.to().equals(s)), "no edge enters " + s);
    }
    assertTrue(
        graph.stream().allMatch(e -> STATES.contains(e.from()) && STATES.contains(e.to())),
        "only RFC state names");
  }

  @Test
  void oneEdgePerTripleOfActionsMd() {
    // ACTIONS.md names 135 actions; its rows expand to 150 triples: SEND from 4 states (+3),
    // ABORT from 10 (+9), and the passive/active pairs of SynReceivedTimeout,
    // SynReceivedRcvRstExact and SynReceivedRcvSyn (+3).
    assertEquals(
        150,
        graph.size(),
        () -> graph.stream().map(Edge::toString).sorted().collect(Collectors.joining("\n")));
  }

  @Test
  void stateChangingPairsAreTheTwentyNineArrowsOfTcpEndpoint() {
    // MCTcpEndpoint checks OnlyArrows (every state change is in TcpEndpoint's Arrows, 29 pairs),
    // so 29 distinct pairs here means the graph realizes every one of them; TcpSystem's
    // EndpointArrowsOnly holds its endpoints to the same set.
    long pairs =
        graph.stream()
            .filter(e -> !e.from().equals(e.to()))
            .map(e -> e.from() + "->" + e.to())
            .distinct()
            .count();
    assertEquals(29, pairs);
  }
}
