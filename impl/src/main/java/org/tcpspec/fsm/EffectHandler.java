package org.tcpspec.fsm;

import org.tcpspec.trace.TcbValues;
import org.tcpspec.wire.SegmentView;

/**
 * The connection side of the engine: runs one effect of a row against the TCB, given what it acts
 * on (gVisor's handlers take the segment they process): the event the row was selected by, and for
 * an arrival the segment that event was classified from.
 */
public interface EffectHandler {
  /**
   * Runs {@code effect} of the row {@code event} selected. {@code segment} is the arriving segment
   * for an arrival event and null for a user call or a timer; the table gives the effects that read
   * a segment to arrival rows only ({@link Effect#needsSegment}).
   */
  void run(Effect effect, Event event, SegmentView segment);

  /**
   * The TCB's sequence variables now, for the trace record the engine writes after a row's effects
   * (asked only when the trace sink wants records).
   */
  TcbValues tcbValues();
}
