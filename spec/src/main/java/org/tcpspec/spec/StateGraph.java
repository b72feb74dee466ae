package org.tcpspec.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state graph of TcpEndpoint as TLC explores it, projected onto the RFC state: the set of
 * (state before, action, state after) triples the Java transition table must equal. TcpEndpoint's
 * other variables ({@code passive}, {@code fastOpen}, {@code last}) are dropped by the projection; {@code last}
 * exists only so that self-loops such as SEND are real edges in TLC's dump.
 */
public final class StateGraph {

  /** The one-endpoint model whose graph is dumped. */
  public static final String ENDPOINT_SPEC = "MCTcpEndpoint.tla";

  public static final String ENDPOINT_CONFIG = "MCTcpEndpoint.cfg";

  // TLC's dot dump: `ID [label="/\\ last = \"X\"\n/\\ state = \"LISTEN\"..."]` for a state and
  // `ID -> ID [label="Action",...];` for a transition.
  private static final Pattern NODE = Pattern.compile("^(-?\\d+) \\[label=\"(.*)\"");
  private static final Pattern EDGE = Pattern.compile("^(-?\\d+) -> (-?\\d+) \\[label=\"([^\"]+)\"");
  private static final Pattern STATE_VAR = Pattern.compile("state = \\\\\"([A-Z0-9-]+)\\\\\"");
  private static final Pattern PASSIVE_VAR = Pattern.compile("passive = (TRUE|FALSE)");
  private static final Pattern FAST_OPEN_VAR = Pattern.compile("fastOpen = (TRUE|FALSE)");

  private StateGraph() {}

  /**
   * Runs TLC on the one-endpoint model with {@code -dump dot,actionlabels}, projects every edge
   * onto the {@code state} variable, and returns the set of (state before, action, state after)
   * triples.
   */
  public static Set<Edge> tcpEndpoint() throws IOException {
    return parseDot(dumpTcpEndpoint());
  }

  /**
   * As {@link #tcpEndpoint()}, projected onto {@code state}, {@code passive} and {@code fastOpen}:
   * the distinct steps, in the order of TLC's dump.
   */
  public static Set<ModelStep> tcpEndpointSteps() throws IOException {
    return parseSteps(dumpTcpEndpoint());
  }

  private static List<String> dumpTcpEndpoint() throws IOException {
    Path dir = ModelFiles.extract();
    try {
      Path dot = dir.resolve("TcpEndpoint-graph.dot");
      TlcResult r =
          Tlc.run(
              dir,
              ENDPOINT_SPEC,
              ENDPOINT_CONFIG,
              List.of("-dump", "dot,actionlabels", dot.toString()),
              line -> {});
      if (!r.verdict().equals(TlcResult.SUCCESS)) {
        throw new IOException("TLC did not check " + ENDPOINT_SPEC + ": " + r.output());
      }
      return Files.readAllLines(dot);
    } finally {
      ModelFiles.deleteTree(dir);
    }
  }

  /** Projects the edges of a TLC dot dump onto the {@code state}, {@code passive} and {@code fastOpen} variables. */
  static Set<ModelStep> parseSteps(List<String> lines) throws IOException {
    Map<String, String> stateOf = new HashMap<>();
    Map<String, Boolean> passiveOf = new HashMap<>();
    Map<String, Boolean> fastOpenOf = new HashMap<>();
    for (String line : lines) {
      Matcher n = NODE.matcher(line);
      if (n.find()) {
        Matcher s = STATE_VAR.matcher(n.group(2));
        Matcher p = PASSIVE_VAR.matcher(n.group(2));
        Matcher f = FAST_OPEN_VAR.matcher(n.group(2));
        if (!s.find() || !p.find() || !f.find()) {
          throw new IOException("dot node without a state, passive or fastOpen variable: " + line);
        }
        stateOf.put(n.group(1), s.group(1));
        passiveOf.put(n.group(1), p.group(1).equals("TRUE"));
        fastOpenOf.put(n.group(1), f.group(1).equals("TRUE"));
      }
    }
    Set<ModelStep> steps = new LinkedHashSet<>();
    for (String line : lines) {
      Matcher e = EDGE.matcher(line);
      if (e.find()) {
        String from = stateOf.get(e.group(1));
        String to = stateOf.get(e.group(2));
        if (from == null || to == null) {
          throw new IOException("dot edge between unknown states: " + line);
        }
        steps.add(new ModelStep(from, passiveOf.get(e.group(1)), fastOpenOf.get(e.group(1)), e.group(3), to,
            passiveOf.get(e.group(2)), fastOpenOf.get(e.group(2))));
      }
    }
    return steps;
  }

  /** Projects the edges of a TLC dot dump onto the {@code state} variable. */
  static Set<Edge> parseDot(List<String> lines) throws IOException {
    Map<String, String> stateOf = new HashMap<>();
    for (String line : lines) {
      Matcher n = NODE.matcher(line);
      if (n.find()) {
        Matcher s = STATE_VAR.matcher(n.group(2));
        if (!s.find()) {
          throw new IOException("dot node without a state variable: " + line);
        }
        stateOf.put(n.group(1), s.group(1));
      }
    }
    Set<Edge> edges = new LinkedHashSet<>();
    for (String line : lines) {
      Matcher e = EDGE.matcher(line);
      if (e.find()) {
        String from = stateOf.get(e.group(1));
        String to = stateOf.get(e.group(2));
        if (from == null || to == null) {
          throw new IOException("dot edge between unknown states: " + line);
        }
        edges.add(new Edge(from, e.group(3), to));
      }
    }
    return edges;
  }
}
