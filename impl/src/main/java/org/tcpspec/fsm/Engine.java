package org.tcpspec.fsm;

import java.util.Optional;
import org.tcpspec.time.Clock;
import org.tcpspec.trace.TraceRecord;
import org.tcpspec.trace.TraceSink;

/**
 * Applies table rows to one connection. It holds the connection's state and is the only code
 * that writes it (smoltcp's single {@code set_state}); every transition it applies, self-loops
 * included, yields exactly one trace record. Effects run in row order, then the state changes.
 */
public final class Engine {
  private final TransitionTable table;
  private final TraceSink trace;
  private final Clock clock;
  private final String connection;
  private State state = State.CLOSED;
  private boolean passive;

  public Engine(TransitionTable table, TraceSink trace, Clock clock, String connection) {
    this.table = table;
    this.trace = trace;
    this.clock = clock;
    this.connection = connection;
  }

  public State state() {
    return state;
  }

  /** Whether this connection came from LISTEN (the table's only guard). */
  public boolean passive() {
    return passive;
  }

  /**
   * Fires an event: finds the row for (state, event, guard), runs its effects through {@code
   * effects}, sets the new state and records the transition. {@code segment} is the summary of the
   * segment that caused it, empty for user calls and timers.
   */
  public Outcome fire(Event event, String segment, EffectHandler effects) {
    Optional<Transition> row = table.lookup(state, event, passive);
    if (row.isEmpty()) {
      return new Outcome.Reacted(table.reaction(state, event).orElseThrow(
          () -> new IllegalStateException("table incomplete for " + state + " x " + event)));
    }
    Transition t = row.get();
    if (event == Event.PASSIVE_OPEN) passive = true;
    if (event == Event.ACTIVE_OPEN) passive = false;
    for (Effect e : t.effects()) effects.run(e);
    State from = state;
    state = t.to();
    trace.record(new TraceRecord(clock.nowNanos(), connection, t.specAction(), from.rfcName(), state.rfcName(), segment));
    return new Outcome.Applied(t);
  }
}
