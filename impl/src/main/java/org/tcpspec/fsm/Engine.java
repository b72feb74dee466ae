package org.tcpspec.fsm;

import java.util.List;
import java.util.Optional;
import org.tcpspec.time.Clock;
import org.tcpspec.trace.SegmentFields;
import org.tcpspec.trace.TraceRecord;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.SegmentView;

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
  private boolean fastOpen;

  public Engine(TransitionTable table, TraceSink trace, Clock clock, String connection) {
    this.table = table;
    this.trace = trace;
    this.clock = clock;
    this.connection = connection;
  }

  public State state() {
    return state;
  }

  /** Whether this connection came from LISTEN (with {@link #fastOpen()}, what the guards read). */
  public boolean passive() {
    return passive;
  }

  /**
   * Whether this SYN-RECEIVED connection took text from the peer's SYN (RFC 7413 §4.2.2): its user
   * holds it, so a reset or timeout closes it instead of returning to LISTEN. As the model's
   * {@code fastOpen}, it holds in SYN-RECEIVED only.
   */
  public boolean fastOpen() {
    return fastOpen;
  }

  /** Fires a user call or a timer event (no segment). */
  public Outcome fire(Event event, EffectHandler effects) {
    return apply(event, null, effects);
  }

  /** Fires the arrival event a segment was classified as. */
  public Outcome fire(Event event, SegmentView segment, EffectHandler effects) {
    return apply(event, segment, effects);
  }

  /**
   * Finds the row for (state, event, guard), runs its effects through {@code effects}, sets the
   * new state and records the transition, the segment summarised in packetdrill notation and by
   * its fields, and the TCB after the effects (only when the sink wants records: building them is
   * the costly part).
   */
  private Outcome apply(Event event, SegmentView segment, EffectHandler effects) {
    Outcome.Applied applied = table.applied(state, event, passive, fastOpen);
    if (applied == null) {
      return new Outcome.Reacted(table.reaction(state, event).orElseThrow(
          () -> new IllegalStateException("table incomplete for " + state + " x " + event)));
    }
    Transition t = applied.transition();
    // The model's passive' = TRUE: a reopened TIME-WAIT connection belongs to the listener.
    if (event == Event.PASSIVE_OPEN || event == Event.RCV_NEW_SYN) passive = true;
    if (event == Event.ACTIVE_OPEN || event == Event.ACTIVE_OPEN_FAST_OPEN) passive = false;
    // The model's KeepFastOpen: set by the Fast Open SYN, dropped on leaving SYN-RECEIVED.
    fastOpen = event == Event.RCV_SYN_FAST_OPEN || fastOpen && t.to() == State.SYN_RECEIVED;
    List<Effect> rowEffects = t.effects();
    for (int i = 0; i < rowEffects.size(); i++) effects.run(rowEffects.get(i), event, segment);
    State from = state;
    state = t.to();
    if (trace.enabled()) {
      Optional<SegmentFields> arrival = segment == null ? Optional.empty() : Optional.of(new SegmentFields(
          segment.seq(), segment.ack(), segment.payloadLength(), segment.flags(), segment.window()));
      trace.record(new TraceRecord(clock.nowNanos(), connection, t.specAction().name(), from.rfcName(), state.rfcName(),
          segment == null ? "" : segment.toString(), arrival, effects.tcbValues()));
    }
    return applied;
  }
}
