package org.tcpspec.fsm;

import java.util.List;

/**
 * One arrow of the state diagram: {@code (from, event, guard) -> (effects, to)}, naming the TLA+
 * action of spec/TcpEndpoint.tla it mirrors and the RFC 9293 section it implements.
 */
public record Transition(
    State from, Event event, Guard guard, List<Effect> effects, State to, Action specAction, String rfcSection) {

  public Transition {
    effects = List.copyOf(effects);
  }

  @Override
  public String toString() {
    return specAction + ": " + from.rfcName() + " --" + event + (guard == Guard.ANY ? "" : "[" + guard + "]")
        + "--> " + to.rfcName() + " " + effects + " (RFC 9293 " + rfcSection + ")";
  }
}
