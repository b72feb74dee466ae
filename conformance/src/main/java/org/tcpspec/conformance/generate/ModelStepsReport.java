package org.tcpspec.conformance.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tcpspec.conformance.run.RunResult;
import org.tcpspec.conformance.run.Verdict;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.Transition;
import org.tcpspec.fsm.TransitionTable;

/**
 * The report's section for the generated set: per model step, does each system under test take
 * it; a grid of states by events; then the failures grouped by their first differing line (the script line number stripped,
 * so one difference met in many scripts is one group).
 */
public final class ModelStepsReport {
  private ModelStepsReport() {}

  /** Markdown: counts per system, the step table, the grouped differences. */
  public static String markdown(List<ModelScripts.Generated> generated, List<RunResult> results, List<String> suts) {
    Map<String, Map<String, RunResult>> byFile = new LinkedHashMap<>();
    for (RunResult r : results) {
      byFile.computeIfAbsent(relative(r.script()), k -> new LinkedHashMap<>()).put(r.sut(), r);
    }
    StringBuilder md = new StringBuilder("## Model steps (generated from TcpEndpoint's TLC graph)\n\n");
    long scripts = generated.stream().filter(ModelScripts.Generated::isScript).count();
    md.append(generated.size()).append(" steps, ").append(scripts).append(" scripts, ")
        .append(generated.size() - scripts).append(" steps without a script.\n\n");
    for (String sut : suts) {
      long pass = results.stream().filter(r -> r.sut().equals(sut) && r.verdict() instanceof Verdict.Pass).count();
      md.append("- ").append(sut).append(": ").append(pass).append(" of ").append(scripts).append(" pass\n");
    }
    md.append("\n| step | script |");
    suts.forEach(s -> md.append(' ').append(s).append(" |"));
    md.append("\n|---|---|");
    suts.forEach(s -> md.append("---|"));
    md.append('\n');
    Map<String, List<String>> groups = new TreeMap<>();
    for (ModelScripts.Generated g : generated) {
      md.append("| ").append(g.step()).append(" | ").append(g.isScript() ? g.file() : g.notRealizable()).append(" |");
      for (String sut : suts) {
        RunResult r = g.isScript() ? byFile.getOrDefault(g.file(), Map.of()).get(sut) : null;
        md.append(' ').append(r == null ? "-" : word(r.verdict())).append(" |");
        if (r != null && !(r.verdict() instanceof Verdict.Pass)) {
          groups.computeIfAbsent(sut + ": " + firstDifference(r.verdict()), k -> new ArrayList<>()).add(g.file());
        }
      }
      md.append('\n');
    }
    md.append(grid(generated, byFile, suts));
    md.append("\n### Differences, grouped by first differing line\n\n");
    for (Map.Entry<String, List<String>> e : groups.entrySet()) {
      md.append("- ").append(e.getValue().size()).append(" × `").append(e.getKey()).append("`: ")
          .append(String.join(", ", e.getValue())).append('\n');
    }
    return md.toString();
  }

  /**
   * States by events, as the report's coverage grid: each cell counts, per system, the generated
   * scripts of the steps from that state whose table row is keyed on that event, and how many
   * passed ("linux 2/2, java 2/2"); a pair with no step is empty.
   */
  static String grid(List<ModelScripts.Generated> generated, Map<String, Map<String, RunResult>> byFile, List<String> suts) {
    TransitionTable table = TransitionTable.instance();
    Map<State, Map<Event, List<ModelScripts.Generated>>> cells = new EnumMap<>(State.class);
    for (ModelScripts.Generated g : generated) {
      if (!g.isScript()) continue;
      for (Transition t : table.rows()) {
        if (t.from().rfcName().equals(g.step().from()) && t.specAction().name().equals(g.step().action())) {
          cells.computeIfAbsent(t.from(), k -> new EnumMap<>(Event.class))
              .computeIfAbsent(t.event(), k -> new ArrayList<>()).add(g);
          break;
        }
      }
    }
    List<Event> events = Arrays.stream(Event.values())
        .filter(e -> cells.values().stream().anyMatch(m -> m.containsKey(e))).toList();
    StringBuilder md = new StringBuilder("\n### Grid: states by events (passed / scripts, per system)\n\n| state \\ event |");
    events.forEach(e -> md.append(' ').append(e.name().toLowerCase().replace('_', ' ')).append(" |"));
    md.append("\n|---|");
    events.forEach(e -> md.append("---|"));
    md.append('\n');
    for (State st : State.values()) {
      md.append("| ").append(st.rfcName()).append(" |");
      for (Event e : events) {
        List<ModelScripts.Generated> in = cells.getOrDefault(st, Map.of()).getOrDefault(e, List.of());
        List<String> counts = new ArrayList<>();
        for (String sut : suts) {
          if (in.isEmpty()) continue;
          long pass = in.stream().map(g -> byFile.getOrDefault(g.file(), Map.of()).get(sut))
              .filter(r -> r != null && r.verdict() instanceof Verdict.Pass).count();
          counts.add(sut + " " + pass + "/" + in.size());
        }
        md.append(' ').append(String.join(", ", counts)).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** The first line of the verdict's message without the file:line prefix. */
  static String firstDifference(Verdict v) {
    String msg = switch (v) {
      case Verdict.Pass p -> "";
      case Verdict.Fail f -> f.message();
      case Verdict.Error e -> "error: " + e.message();
      case Verdict.Unsupported u -> "unsupported: " + String.join(", ", u.features());
      case Verdict.NotAvailable n -> "not available: " + n.reason();
    };
    String first = msg.lines().findFirst().orElse("");
    return first.replaceFirst("^\\S+\\.pkt:\\d+: ", "").replaceAll("\\d+\\.\\d+ s", "… s").replace('`', '\'');
  }

  private static String word(Verdict v) {
    return switch (v) {
      case Verdict.Pass p -> "pass";
      case Verdict.Fail f -> "fail";
      case Verdict.Error e -> "error";
      case Verdict.Unsupported u -> "unsupported";
      case Verdict.NotAvailable n -> "n/a";
    };
  }

  /** {@code .../generated/established/passive-X.pkt} to {@code established/passive-X.pkt}. */
  private static String relative(String script) {
    String[] parts = script.replace('\\', '/').split("/");
    return parts.length < 2 ? script : parts[parts.length - 2] + "/" + parts[parts.length - 1];
  }
}
