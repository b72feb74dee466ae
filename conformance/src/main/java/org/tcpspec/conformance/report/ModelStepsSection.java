package org.tcpspec.conformance.report;

import static org.tcpspec.conformance.report.JUnitXml.esc;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.Transition;
import org.tcpspec.fsm.TransitionTable;

/**
 * The report's section for the generated set (issue 17, point 2), in index.html and summary.md:
 * counts per system (how many of the model's steps each takes, how many are reviewed divergences),
 * the model's judgment of the linux cells, per step each system's verdict, the grid of states by
 * events in the coverage grid's frame ({@link CoverageGrid}), and the cells that did not pass
 * grouped by their first differing line (the script line stripped, so one difference met in many
 * scripts is one group).
 */
public final class ModelStepsSection {
  private ModelStepsSection() {}

  /** Markdown, for summary.md and {@code generate --run}'s model-steps.md; empty without a generated set. */
  public static String markdown(Report r) {
    if (r.modelSteps().isEmpty()) return "";
    ModelSteps m = r.modelSteps().get();
    StringBuilder md = new StringBuilder("## Model steps (generated from TcpEndpoint's TLC graph)\n\n");
    md.append(headline(m)).append("\n\n");
    for (String sut : r.suts()) md.append("- ").append(counts(r, m, sut)).append('\n');
    judgments(r, m).ifPresent(j -> md.append("- ").append(j).append('\n'));
    boolean judged = !r.linuxJudgments().isEmpty();
    md.append("\n| step | script |");
    r.suts().forEach(s -> md.append(' ').append(s).append(" |"));
    if (judged) md.append(" model on linux |");
    md.append("\n|---|---|").append("---|".repeat(r.suts().size() + (judged ? 1 : 0))).append('\n');
    for (ModelSteps.Step st : m.steps()) {
      md.append("| ").append(st.edge()).append(" | ")
          .append(st.scriptName().orElse("not generated: " + st.notGenerated())).append(" |");
      for (String sut : r.suts()) {
        md.append(' ').append(st.scriptName().flatMap(s -> r.cell(s, sut)).map(c -> c.status().word()).orElse("-"))
            .append(" |");
      }
      if (judged) md.append(' ').append(judgment(r, st).map(LinuxJudgment::line).orElse("-")).append(" |");
      md.append('\n');
    }
    md.append("\n### Grid: states by events (passed / scripts, per system)\n\n");
    Map<State, Map<Event, List<ModelSteps.Step>>> grid = grid(m);
    md.append(CoverageGrid.markdown((s, e) -> String.join(", ", passed(r, cell(grid, s, e)))));
    md.append("\n### Differences, grouped by first differing line\n\n");
    differences(r, m).forEach((difference, scripts) -> md.append("- ").append(scripts.size()).append(" × `")
        .append(difference).append("`: ").append(String.join(", ", scripts)).append('\n'));
    return md.toString();
  }

  /** The section of index.html ({@code #model-steps}); empty without a generated set. */
  static String html(Report r) {
    if (r.modelSteps().isEmpty()) return "";
    ModelSteps m = r.modelSteps().get();
    StringBuilder b = new StringBuilder("<h2 id=\"model-steps\">Model steps</h2>\n<p>")
        .append(esc(headline(m))).append(" Each script is the shortest path from CLOSED to the step's state, the"
            + " step's stimulus, the outputs of its table row and a probe of the state reached; a pass means the"
            + " system takes the model's step.</p>\n<ul>\n");
    for (String sut : r.suts()) b.append("<li>").append(esc(counts(r, m, sut))).append("</li>\n");
    judgments(r, m).ifPresent(j -> b.append("<li>").append(esc(j)).append("</li>\n"));
    b.append("</ul>\n<h3>States by events</h3>\n<p>Per cell, the generated steps from that state whose table row"
        + " is keyed on that event, and how many passed on each system (click for the scripts); green: all"
        + " passed, amber: the others are reviewed divergences, red: one failed.</p>\n");
    Map<State, Map<Event, List<ModelSteps.Step>>> grid = grid(m);
    b.append(CoverageGrid.html("model-steps-grid", (s, e) -> gridCell(r, cell(grid, s, e))));
    Map<String, List<String>> differences = differences(r, m);
    if (!differences.isEmpty()) {
      b.append("<h3>Differences, grouped by first differing line</h3>\n<table><tr><th>scripts</th><th>first"
          + " difference</th><th>where</th></tr>\n");
      differences.forEach((difference, scripts) -> b.append("<tr><td class=\"num\">").append(scripts.size())
          .append("</td><td>").append(esc(difference)).append("</td><td>").append(HtmlReport.links(scripts))
          .append("</td></tr>\n"));
      b.append("</table>\n");
    }
    boolean judged = !r.linuxJudgments().isEmpty();
    b.append("<details><summary>Every step (").append(m.steps().size()).append(")</summary>\n<table id=\"model-steps-table\">"
        + "<tr><th>step</th><th>script</th>");
    for (String sut : r.suts()) b.append("<th>").append(esc(sut)).append("</th>");
    if (judged) b.append("<th>the model on linux</th>");
    b.append("</tr>\n");
    for (ModelSteps.Step st : m.steps()) {
      b.append("<tr><td>").append(esc(st.edge())).append("</td><td>");
      if (st.scriptName().isPresent()) {
        b.append("<a href=\"#").append(Report.scriptAnchor(st.script())).append("\">").append(esc(st.script())).append("</a>");
      } else {
        b.append("not generated: ").append(esc(st.notGenerated()));
      }
      b.append("</td>");
      for (String sut : r.suts()) {
        Optional<Cell> c = st.scriptName().flatMap(s -> r.cell(s, sut));
        b.append(c.map(x -> "<td class=\"" + HtmlReport.css(x.status()) + "\">" + x.status().word() + "</td>").orElse("<td></td>"));
      }
      if (judged) b.append("<td>").append(esc(judgment(r, st).map(LinuxJudgment::line).orElse(""))).append("</td>");
      b.append("</tr>\n");
    }
    return b.append("</table></details>\n").toString();
  }

  private static String headline(ModelSteps m) {
    return m.steps().size() + " steps of TcpEndpoint's graph, " + m.scripts() + " scripts, "
        + (m.steps().size() - m.scripts()) + " steps without a script.";
  }

  /** "linux: 259 of 275 take the model's step; known divergence: 16". */
  static String counts(Report r, ModelSteps m, String sut) {
    Map<Cell.Status, Long> by = new EnumMap<>(Cell.Status.class);
    for (ModelSteps.Step st : m.steps()) {
      st.scriptName().flatMap(s -> r.cell(s, sut)).ifPresent(c -> by.merge(c.status(), 1L, Long::sum));
    }
    long ran = by.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder b = new StringBuilder(sut).append(": ").append(by.getOrDefault(Cell.Status.PASS, 0L)).append(" of ")
        .append(ran).append(" take the model's step");
    by.forEach((status, n) -> {
      if (status != Cell.Status.PASS) b.append("; ").append(status.word()).append(": ").append(n);
    });
    return b.toString();
  }

  /** What the model says of the generated linux cells, when it judged them. */
  private static Optional<String> judgments(Report r, ModelSteps m) {
    List<LinuxJudgment> js = m.steps().stream().flatMap(st -> judgment(r, st).stream()).toList();
    if (js.isEmpty()) return Optional.empty();
    long behaviours = js.stream().filter(j -> j.kind() == LinuxJudgment.Kind.BEHAVIOUR).count();
    long leaves = js.stream().filter(j -> j.kind() == LinuxJudgment.Kind.LEAVES).count();
    return Optional.of("the model judges linux: " + behaviours + " cells are behaviours of the model, " + leaves
        + " leave it, " + (js.size() - behaviours - leaves) + " not judged");
  }

  /** The judgment of a step's linux cell; in a merge over kernels, of the first kernel's column. */
  private static Optional<LinuxJudgment> judgment(Report r, ModelSteps.Step st) {
    Optional<String> linux = r.suts().stream().filter(s -> s.startsWith(LinuxBaseline.SUT)).findFirst();
    return st.scriptName().flatMap(script -> linux.flatMap(sut -> r.judgment(sut, script)));
  }

  /** The steps by the state they leave and the event their table row is keyed on. */
  private static Map<State, Map<Event, List<ModelSteps.Step>>> grid(ModelSteps m) {
    TransitionTable table = TransitionTable.instance();
    Map<State, Map<Event, List<ModelSteps.Step>>> cells = new EnumMap<>(State.class);
    for (ModelSteps.Step st : m.steps()) {
      if (st.scriptName().isEmpty()) continue;
      for (Transition t : table.rows()) {
        if (t.from().rfcName().equals(st.from()) && t.specAction().name().equals(st.action())) {
          cells.computeIfAbsent(t.from(), k -> new EnumMap<>(Event.class))
              .computeIfAbsent(t.event(), k -> new ArrayList<>()).add(st);
          break;
        }
      }
    }
    return cells;
  }

  private static List<ModelSteps.Step> cell(Map<State, Map<Event, List<ModelSteps.Step>>> grid, State s, Event e) {
    return grid.getOrDefault(s, Map.of()).getOrDefault(e, List.of());
  }

  /** "linux 2/2", one per system, for the steps of one cell; none for a cell without steps. */
  private static List<String> passed(Report r, List<ModelSteps.Step> steps) {
    List<String> out = new ArrayList<>();
    if (steps.isEmpty()) return out;
    for (String sut : r.suts()) {
      long pass = steps.stream().filter(st -> status(r, st, sut) == Cell.Status.PASS).count();
      out.add(sut + " " + pass + "/" + steps.size());
    }
    return out;
  }

  private static Cell.Status status(Report r, ModelSteps.Step st, String sut) {
    return r.cell(st.script(), sut).map(Cell::status).orElse(Cell.Status.NOT_AVAILABLE);
  }

  private static String gridCell(Report r, List<ModelSteps.Step> steps) {
    if (steps.isEmpty()) return "<td class=\"cov none\"></td>";
    List<Cell.Status> all = steps.stream().flatMap(st -> r.suts().stream().map(sut -> status(r, st, sut))).toList();
    String css = all.stream().anyMatch(Cell.Status::failed) ? "uncovered"
        : all.stream().allMatch(s -> s == Cell.Status.PASS) ? "covered" : "known";
    StringBuilder b = new StringBuilder("<td class=\"cov ").append(css).append("\" title=\"")
        .append(esc(String.join("\n", steps.stream().map(ModelSteps.Step::edge).toList()))).append("\"><details><summary>")
        .append(esc(String.join(", ", passed(r, steps)))).append("</summary>");
    for (ModelSteps.Step st : steps) {
      b.append("<a href=\"#").append(Report.scriptAnchor(st.script())).append("\">").append(esc(st.script())).append("</a>");
    }
    return b.append("</details></td>").toString();
  }

  /** The generated cells that did not pass, by system, status and first differing line. */
  static Map<String, List<String>> differences(Report r, ModelSteps m) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (ModelSteps.Step st : m.steps()) {
      for (String sut : r.suts()) {
        Optional<Cell> c = st.scriptName().flatMap(s -> r.cell(s, sut));
        if (c.isEmpty() || c.get().status() == Cell.Status.PASS) continue;
        groups.computeIfAbsent(sut + " (" + c.get().status().word() + "): " + firstDifference(c.get().result().verdict()),
            k -> new ArrayList<>()).add(st.script());
      }
    }
    return groups;
  }

  /** The first line of the verdict's message without the file:line prefix and with times blurred. */
  static String firstDifference(Verdict v) {
    String first = Verdict.detail(v).lines().findFirst().orElse("");
    return first.replaceFirst("^\\S+\\.pkt:\\d+: ", "").replaceAll("\\d+\\.\\d+ s", "… s").replace('`', '\'');
  }
}
