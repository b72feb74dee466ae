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
    Comparator<Edge> order = Comparator.comparing(Edge::from).thenComparing(Edge::action).thenComparing(Edge::to);
    Set<Edge> onlyModel = new TreeSet<>(order);
    onlyModel.addAll(model);
    onlyModel.removeAll(table);
    Set<Edge> onlyTable = new TreeSet<>(order);
    onlyTable.addAll(table);
    onlyTable.removeAll(model);
    String report = "edges of TcpEndpoint missing from the table:\n" + lines(onlyModel)
        + "rows of the table missing from TcpEndpoint:\n" + lines(onlyTable);
    assertTrue(onlyModel.isEmpty() && onlyTable.isEmpty(), report);
    assertTrue(model.size() > 50, "suspiciously small model graph: " + model.size());
  }

  private static String lines(Set<Edge> edges) {
    if (edges.isEmpty()) return "  (none)\n";
    return edges.stream().map(e -> "  " + e.from() + " --" + e.action() + "--> " + e.to() + "\n").collect(Collectors.joining());
  }
}
