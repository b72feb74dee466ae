package org.tcpspec.conformance.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.Transition;
import org.tcpspec.fsm.TransitionTable;

/**
 * The coverage of the spec's actions as a grid of states by events, as the FreeBSD tcp-testsuite
 * draws its matrix: one row per RFC 9293 state, one column per event of the transition table (user
 * calls, the give-up timer, arrival kinds), each cell the table's rows for that pair. A cell is
 * green when a script's header names one of its actions, red when none does, and lists the
 * scripts (each a link to its ladders); badges mark the cells that realise an arrow of Figure 5
 * ("F5") or a reset rule of §3.5.2. A pair the table answers without a transition (a documented
 * reaction, such as an error for a call) is grey.
 */
final class CoverageGrid {
  private CoverageGrid() {}

  /** The coverage of the script headers' actions. */
  static String html(Coverage cov) {
    TransitionTable table = TransitionTable.instance();
    return html("coverage-grid", (s, e) -> cell(table, cov, s, e));
  }

  /**
   * The grid's frame: a row per state, a column per event the table has a row for, each cell as
   * {@code cell} draws it (a whole {@code <td>}); the generated set's section draws its own cells
   * in the same frame ({@link ModelStepsSection}).
   */
  static String html(String id, BiFunction<State, Event, String> cell) {
    TransitionTable table = TransitionTable.instance();
    StringBuilder b = new StringBuilder("<table class=\"grid\" id=\"").append(id).append("\">\n<tr><th>state \\ event</th>");
    for (Event e : events(table)) {
      b.append("<th class=\"event ").append(e.kind().name().toLowerCase()).append("\"><span>")
          .append(name(e)).append("</span></th>");
    }
    b.append("</tr>\n");
    for (State s : State.values()) {
      b.append("<tr><th>").append(s.rfcName()).append("</th>");
      for (Event e : events(table)) b.append(cell.apply(s, e));
      b.append("</tr>\n");
    }
    return b.append("</table>\n").toString();
  }

  /** The same frame in Markdown, each cell's text as {@code cell} gives it. */
  static String markdown(BiFunction<State, Event, String> cell) {
    TransitionTable table = TransitionTable.instance();
    StringBuilder md = new StringBuilder("| state \\ event |");
    events(table).forEach(e -> md.append(' ').append(name(e)).append(" |"));
    md.append("\n|---|");
    events(table).forEach(e -> md.append("---|"));
    md.append('\n');
    for (State s : State.values()) {
      md.append("| ").append(s.rfcName()).append(" |");
      for (Event e : events(table)) md.append(' ').append(cell.apply(s, e)).append(" |");
      md.append('\n');
    }
    return md.toString();
  }

  /** The events some state has a transition for, in the table's order of events. */
  private static List<Event> events(TransitionTable table) {
    return Arrays.stream(Event.values())
        .filter(e -> Arrays.stream(State.values()).anyMatch(s -> !table.rowsFor(s, e).isEmpty())).toList();
  }

  private static String name(Event e) {
    return e.name().toLowerCase().replace('_', ' ');
  }

  private static String cell(TransitionTable table, Coverage cov, State s, Event e) {
    List<Transition> rows = table.rowsFor(s, e);
    if (rows.isEmpty()) {
      return table.reaction(s, e).map(r -> "<td class=\"cov reaction\" title=\"" + JUnitXml.esc(s.rfcName()
          + " / " + e + ": no transition; " + r.reason()) + "\"></td>").orElse("<td class=\"cov none\"></td>");
    }
    Set<Action> actions = new LinkedHashSet<>();
    rows.forEach(t -> actions.add(t.specAction()));
    List<String> scripts = new ArrayList<>();
    List<String> title = new ArrayList<>();
    Set<String> badges = new LinkedHashSet<>();
    for (Transition t : rows) {
      title.add(t.specAction() + ": " + t.from().rfcName() + " -> " + t.to().rfcName() + " (RFC 9293 " + t.rfcSection() + ")");
    }
    for (Action a : actions) {
      for (String script : cov.scripts(a.name())) if (!scripts.contains(script)) scripts.add(script);
      for (Coverage.Item i : Coverage.FIGURE_5) if (i.actions().contains(a.name())) badges.add("F5");
      for (Coverage.Item i : Coverage.RESET_RULES) if (i.actions().contains(a.name())) badges.add("§3.5.2");
    }
    StringBuilder b = new StringBuilder("<td class=\"cov ").append(scripts.isEmpty() ? "uncovered" : "covered")
        .append("\" data-actions=\"").append(String.join(" ", actions.stream().map(Action::name).toList()))
        .append("\" title=\"").append(JUnitXml.esc(String.join("\n", title))).append("\">");
    if (scripts.isEmpty()) {
      b.append("0");
    } else {
      b.append("<details><summary>").append(scripts.size()).append("</summary>");
      for (String script : scripts) {
        b.append("<a href=\"#").append(Report.scriptAnchor(script)).append("\">").append(JUnitXml.esc(script))
            .append("</a>");
      }
      b.append("</details>");
    }
    for (String badge : badges) b.append("<span class=\"badge\">").append(badge).append("</span>");
    return b.append("</td>").toString();
  }
}
