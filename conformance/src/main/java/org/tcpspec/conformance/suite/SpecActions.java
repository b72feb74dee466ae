package org.tcpspec.conformance.suite;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.tcpspec.fsm.Action;

/**
 * The action names of spec/TcpEndpoint.tla, as script headers and reports spell them: the names of
 * {@link Action}, which {@code ActionTest} holds equal to spec/ACTIONS.md and to TLC's graph.
 */
public final class SpecActions {
  private SpecActions() {}

  /** Every action name, sorted. */
  public static Set<String> names() {
    return Arrays.stream(Action.values()).map(Action::name).collect(Collectors.toCollection(TreeSet::new));
  }
}
