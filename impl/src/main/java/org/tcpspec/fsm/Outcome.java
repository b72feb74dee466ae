package org.tcpspec.fsm;

/** What the engine did with an event: applied a row, or met a documented reaction. */
public sealed interface Outcome {
  record Applied(Transition transition) implements Outcome {}

  record Reacted(Reaction reaction) implements Outcome {}
}
