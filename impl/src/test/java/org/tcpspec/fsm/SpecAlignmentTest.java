package org.tcpspec.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tcpspec.spec.Edge;
import org.tcpspec.spec.StateGraph;

/**
 * Issue #4, "Alignment, both ways": TLC dumps TcpEndpoint's state graph; every edge, projected on
 * (state before, action, state after), must be a row of the transition table, and every row must
 * be an edge. A change to either side alone fails here, naming each missing edge. The {@link
 * Action} enum is held to the same graph and to spec/ACTIONS.md, name for name.
 */
class SpecAlignmentTest {
  private static Set<Edge> model;

  @BeforeAll
  static void dumpTheModel() throws IOException {
    model = StateGraph.tcpEndpoint();
  }

  static Set<Edge> tableEdges() {
    Set<Edge> edges = new LinkedHashSet<>();
    for (Transition t : TransitionTable.instance().rows()) {
      edges.add(new Edge(t.from().rfcName(), t.specAction().name(), t.to().rfcName()));
    }
    return edges;
  }

  @Test
  void tableRowsAreExactlyTheEdgesOfTheModel() {
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

  @Test
  void actionsAreExactlyTheActionsOfTheModel() {
    Set<String> dumped = model.stream().map(Edge::action).collect(Collectors.toCollection(TreeSet::new));
    assertEquals("", difference("TcpEndpoint's graph", dumped, "Action", names()));
  }

  @Test
  void actionsAreExactlyTheNamesOfActionsMd() throws IOException {
    String markdown = Files.readString(Path.of("../spec/ACTIONS.md"));
    Set<String> documented = actionsMdNames(markdown);
    assertEquals(135, documented.size(), "ACTIONS.md names 135 actions: " + documented);
    assertEquals("", difference("spec/ACTIONS.md", documented, "Action", names()));
    // Teeth: a renamed row of the document is reported under both spellings.
    Set<String> renamed = actionsMdNames(markdown.replace("| ClosedRcvRst |", "| ClosedRcvReset |"));
    String report = difference("spec/ACTIONS.md", renamed, "Action", names());
    assertTrue(report.contains("ClosedRcvReset") && report.contains("ClosedRcvRst"), report);
  }

  @Test
  void everyActionNamesARow() {
    Set<Action> named = EnumSet.noneOf(Action.class);
    for (Transition t : TransitionTable.instance().rows()) named.add(t.specAction());
    assertEquals(EnumSet.allOf(Action.class), named);
  }

  private static Set<String> names() {
    return Arrays.stream(Action.values()).map(Action::name).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Empty when the two sets of names agree; otherwise what each lacks. */
  private static String difference(String aName, Set<String> a, String bName, Set<String> b) {
    Set<String> onlyA = new TreeSet<>(a);
    onlyA.removeAll(b);
    Set<String> onlyB = new TreeSet<>(b);
    onlyB.removeAll(a);
    if (onlyA.isEmpty() && onlyB.isEmpty()) return "";
    return "in " + aName + " only: " + onlyA + "; in " + bName + " only: " + onlyB;
  }

  /**
   * The first column of every table of ACTIONS.md. A {@code SRcvX} cell is a family over the
   * synchronized states (minus SYN-RECEIVED where the cell says "(S not SynReceived)"): the one
   * place a name is assembled, to read the document's notation.
   */
  static Set<String> actionsMdNames(String markdown) {
    Set<String> names = new TreeSet<>();
    for (String line : markdown.lines().toList()) {
      if (!line.startsWith("| ") || line.startsWith("| action") || line.startsWith("|---")) continue;
      String cell = line.substring(2, line.indexOf(" |", 1));
      boolean notSynReceived = cell.contains("(S not SynReceived)");
      for (String name : cell.replace("(S not SynReceived)", "").split(",")) {
        String n = name.strip();
        if (!n.startsWith("SRcv")) {
          names.add(n);
          continue;
        }
        for (State s : State.values()) {
          if (s.isSynchronized() && !(notSynReceived && s == State.SYN_RECEIVED)) {
            names.add(TransitionTableTest.camelCase(s) + n.substring(1));
          }
        }
      }
    }
    return names;
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
