package org.tcpspec.conformance.report;

import java.util.List;
import java.util.Optional;

/**
 * The generated set of a run ({@code conform --generated}): one row per distinct step (state,
 * origin, action, state after) of TcpEndpoint's TLC graph, with the name of the script that
 * realises it (its cells are ordinary cells of the report, under {@link #PREFIX}) or why no script
 * can. The report's section for it says, per step, whether each system under test takes it.
 */
public record ModelSteps(List<Step> steps) {

  /** Generated scripts are named {@code generated/<state>/<origin>-<Action>.pkt} in a report. */
  public static final String PREFIX = "generated/";

  public ModelSteps {
    steps = List.copyOf(steps);
  }

  /**
   * @param edge the step as TLC's graph has it, {@code ESTABLISHED[active] --EstablishedRcvData-->
   *     ESTABLISHED[active]}
   * @param from the RFC state the step leaves
   * @param action the TLA+ action
   * @param script the report name of the script realising it, or empty
   * @param notGenerated why no script realises it (the socket API cannot reach it, say), or empty
   */
  public record Step(String edge, String from, String action, String script, String notGenerated) {
    public Optional<String> scriptName() {
      return script.isEmpty() ? Optional.empty() : Optional.of(script);
    }
  }

  /** Whether a report's script is one of the generated set. */
  public static boolean isGenerated(String script) {
    return script.startsWith(PREFIX);
  }

  public long scripts() {
    return steps.stream().filter(s -> !s.script().isEmpty()).count();
  }
}
