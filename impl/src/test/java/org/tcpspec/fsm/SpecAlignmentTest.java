package org.tcpspec.fsm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tcpspec.spec.Edge;
import org.tcpspec.spec.StateGraph;

/**
 * Issue #4, "Alignment, both ways": TLC dumps TcpEndpoint's state graph; every edge, projected on
 * (state before, action, state after), must be a row of the transition table, and every row must
 * be an edge. A change to either side alone fails here, naming each missing edge.
 */
class SpecAlignmentTest {

  static Set<Edge> tableEdges() {
    Set<Edge> edges = new LinkedHashSet<>();
    for (Transition t : TransitionTable.instance().rows()) {
      edges.add(new Edge(t.from().rfcName(), t.specAction(), t.to().rfcName()));
    }
    return edges;
  }

  @Test
  void tableRowsAreExactlyTheEdgesOfTheModel() throws IOException {
    Set<Edge> model = StateGraph.tcpEndpoint();
    Set<Edge> table = tableEdges();
    assertTrue(report(model, table).isEmpty(), report(model, table));
    assertTrue(model.size() > 50, "suspiciously small model graph: " + model.size());
    // Teeth: a table that lost a row, or grew one the model lacks, is reported by name.
    Edge some = table.iterator().next();
    Set<Edge> lost = new LinkedHashSet<>(table);
    lost.remove(some);
    assertTrue(report(model, lost).contains(some.action()), "a dropped row must be named");
    Set<Edge> grown = new LinkedHashSet<>(table);
    grown.add(new Edge("ESTABLISHED", "EstablishedRcvSynAck", "CLOSED"));
    assertTrue(report(model, grown).contains("EstablishedRcvSynAck"), "an extra row must be named");
  }

  /** Empty when the sets agree; otherwise both differences, one edge per line. */
  static String report(Set<Edge> model, Set<Edge> table) {
    Comparator<Edge> order = Comparator.comparing(Edge::from).thenComparing(Edge::action).thenComparing(Edge::to);
    Set<Edge> onlyModel = new TreeSet<>(order);
    onlyModel.addAll(model);
    onlyModel.removeAll(table);
    Set<Edge> onlyTable = new TreeSet<>(order);
    onlyTable.addAll(table);
    onlyTable.removeAll(model);
    if (onlyModel.isEmpty() && onlyTable.isEmpty()) return "";
    return "edges of TcpEndpoint missing from the table:\n" + lines(onlyModel)
        + "rows of the table missing from TcpEndpoint:\n" + lines(onlyTable);
  }

  private static String lines(Set<Edge> edges) {
    if (edges.isEmpty()) return "  (none)\n";
    return edges.stream().map(e -> "  " + e.from() + " --" + e.action() + "--> " + e.to() + "\n").collect(Collectors.joining());
  }
}
