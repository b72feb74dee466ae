package org.tcpspec.conformance.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.tcpspec.fsm.Action;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.Transition;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.spec.ModelStep;
import org.tcpspec.spec.StateGraph;

/**
 * {@code tcpspec generate}: one packetdrill script per distinct (state, passive, action, state
 * after) step of TcpEndpoint's TLC graph. The path to a step's source state is a shortest one from
 * CLOSED over the steps that open and close a connection (ties broken by the order of fsm.Action,
 * so the same model gives the same scripts, byte for byte).
 */
public final class ModelScripts {

  /** The steps a path may use: the arrows of the textbook diagram (RFC 9293 §3.3.2 Figure 5). */
  private static final Set<Action> PATH_ACTIONS = Set.of(Action.PASSIVE_OPEN, Action.ACTIVE_OPEN,
      Action.CLOSE_LISTEN, Action.CLOSE_ESTABLISHED, Action.CLOSE_CLOSE_WAIT, Action.ListenRcvSyn,
      Action.SynSentRcvSynAck, Action.SynSentRcvSyn, Action.SynReceivedRcvAck, Action.EstablishedRcvFin,
      Action.FinWait1RcvAckOfFin, Action.FinWait1RcvFin, Action.FinWait2RcvFin, Action.ClosingRcvAckOfFin,
      Action.ListenRcvSynFastOpen);

  /** One generated script, or the step that has none and why. */
  public record Generated(ModelStep step, String file, String text, String notRealizable) {
    public boolean isScript() {
      return text != null;
    }
  }

  private ModelScripts() {}

  /** Runs TLC on MCTcpEndpoint and writes the scripts for its steps. */
  public static List<Generated> fromModel() throws IOException {
    return generate(StateGraph.tcpEndpointSteps());
  }

  /** The scripts for these steps, in a stable order (the order of fsm.Action, then state). */
  public static List<Generated> generate(Set<ModelStep> steps) {
    Map<Node, List<ModelStep>> paths = shortestPaths(steps);
    TransitionTable table = TransitionTable.instance();
    List<ModelStep> ordered = steps.stream().sorted(ORDER).toList();
    List<Generated> out = new ArrayList<>();
    for (ModelStep step : ordered) {
      List<ModelStep> path = paths.get(new Node(step.from(), step.passive(), step.fastOpen()));
      String file = fileName(step);
      if (path == null) {
        out.add(new Generated(step, file, null, "no path from CLOSED over the diagram's arrows"));
        continue;
      }
      switch (StepRealizer.realize(path, step)) {
        case Realization.Script sc -> out.add(new Generated(step, file,
            header(table, path, step) + sc.body(), null));
        case Realization.NotRealizable n -> out.add(new Generated(step, file, null, n.reason()));
      }
    }
    return out;
  }

  /** Writes the scripts and an index (one line per step) under {@code dir}; returns the index. */
  public static Path write(List<Generated> generated, Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> old = Files.walk(dir)) {
        for (Path p : old.filter(p -> p.toString().endsWith(".pkt")).toList()) Files.delete(p);
      }
    }
    StringBuilder index = new StringBuilder("# step\tscript or reason\n");
    for (Generated g : generated) {
      if (g.isScript()) {
        Path f = dir.resolve(g.file());
        Files.createDirectories(f.getParent());
        Files.writeString(f, g.text(), StandardCharsets.UTF_8);
        index.append(g.step()).append('\t').append(g.file()).append('\n');
      } else {
        index.append(g.step()).append('\t').append("not generated: ").append(g.notRealizable()).append('\n');
      }
    }
    Files.createDirectories(dir);
    Path idx = dir.resolve("index.tsv");
    Files.writeString(idx, index.toString(), StandardCharsets.UTF_8);
    return idx;
  }

  /** {@code established/passive-EstablishedRcvData.pkt}: the source state's folder, as the suite's. */
  static String fileName(ModelStep step) {
    String to = step.to().equals(step.from()) && step.passive() == step.passiveAfter()
        && step.fastOpen() == step.fastOpenAfter() ? "" : "-to-" + step.to().toLowerCase();
    String origin = step.fastOpen() ? "fastopen-" : step.passive() ? "passive-" : "active-";
    return step.from().toLowerCase() + "/" + origin + step.action() + to + ".pkt";
  }

  private static final Comparator<ModelStep> ORDER = Comparator
      .comparing((ModelStep s) -> Action.valueOf(s.action()).ordinal())
      .thenComparing(s -> State.valueOf(s.from().replace('-', '_')).ordinal())
      .thenComparing(ModelStep::passive)
      .thenComparing(ModelStep::fastOpen)
      .thenComparing(ModelStep::to);

  /** A state of the path search: the RFC state, whether passive, whether a Fast Open SYN-RECEIVED. */
  private record Node(String state, boolean passive, boolean fastOpen) {}

  /** Breadth-first from (CLOSED, active), neighbours in the order of fsm.Action. */
  static Map<Node, List<ModelStep>> shortestPaths(Set<ModelStep> steps) {
    Map<Node, List<ModelStep>> out = new HashMap<>();
    List<ModelStep> usable = steps.stream()
        .filter(s -> PATH_ACTIONS.contains(Action.valueOf(s.action())))
        .sorted(ORDER).toList();
    Node start = new Node("CLOSED", false, false);
    out.put(start, List.of());
    ArrayDeque<Node> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      Node n = queue.poll();
      for (ModelStep s : usable) {
        if (!s.from().equals(n.state()) || s.passive() != n.passive() || s.fastOpen() != n.fastOpen()) continue;
        Node next = new Node(s.to(), s.passiveAfter(), s.fastOpenAfter());
        if (out.containsKey(next)) continue;
        List<ModelStep> path = new ArrayList<>(out.get(n));
        path.add(s);
        out.put(next, List.copyOf(path));
        queue.add(next);
      }
    }
    return out;
  }

  private static String header(TransitionTable table, List<ModelStep> path, ModelStep step) {
    State from = State.valueOf(step.from().replace('-', '_'));
    Action action = Action.valueOf(step.action());
    Map<String, String> sections = new LinkedHashMap<>();
    for (Transition t : table.rows()) {
      if (t.from() == from && t.specAction() == action && t.to().rfcName().equals(step.to())) {
        sections.put(t.rfcSection(), t.effects().toString());
      }
    }
    return "// RFC 9293: " + String.join(", ", sections.keySet()) + " (" + step.from() + ", "
        + step.action() + " -> " + step.to() + "; the table's effects " + String.join(" or ", sections.values())
        + ")\n"
        + "// Actions: " + String.join(", ", StepRealizer.actions(path, step)) + "\n"
        + "// Linux: not asserted by hand; generated by `tcpspec generate` from TcpEndpoint's step "
        + step + ": the expected outputs are the model's.\n";
  }
}
