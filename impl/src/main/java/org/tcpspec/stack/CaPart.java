package org.tcpspec.stack;

import org.tcpspec.tcb.Tcb;

/**
 * One part of a connection's {@link CaStateMachine}, made with it once per connection, with what
 * every part reads: the machine, the TCB, the {@link RetransmitQueue} and the current ACK's
 * {@link AckSample}.
 */
abstract class CaPart {
  final CaStateMachine ca;
  final Tcb tcb;
  final RetransmitQueue queue;
  final AckSample sample;

  CaPart(CaStateMachine ca, Tcb tcb) {
    this.ca = ca;
    this.tcb = tcb;
    this.queue = ca.queue;
    this.sample = ca.sample;
  }
}
