package org.tcpspec.stack;

import org.tcpspec.tcb.Tcb;

/**
 * One part of a connection's {@link Sender}, made with it once per connection, with what every
 * part reads: the connection, its TCB, the sender (the pass's clock, the other parts, among them
 * {@link SegmentBuilder}, which builds the segments) and the loss response.
 */
abstract class SenderPart {
  final Connection c;
  final Tcb tcb;
  final Sender snd;
  final CaStateMachine ca;

  SenderPart(Connection c, Sender snd, CaStateMachine ca) {
    this.tcb = c.tcb;
    this.c = c;
    this.snd = snd;
    this.ca = ca;
  }
}
