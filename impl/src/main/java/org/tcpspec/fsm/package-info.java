/**
 * The connection state machine as data: {@link org.tcpspec.fsm.State}, the abstract {@link
 * org.tcpspec.fsm.Event}s, the {@link org.tcpspec.fsm.TransitionTable} whose rows mirror the
 * actions of spec/TcpEndpoint.tla (contract: spec/ACTIONS.md), each named by an {@link
 * org.tcpspec.fsm.Action} spelled as in TLA+, the {@link
 * org.tcpspec.fsm.Classifier} that maps a concrete segment to an event in the order of RFC 9293
 * §3.10.7, and the {@link org.tcpspec.fsm.Engine}, the only writer of a connection's state.
 *
 * <p>This package must not know bytes on the wire beyond {@link org.tcpspec.wire.SegmentView}, nor
 * buffers, timers, sockets or the stack: it sees the TCB only through {@link
 * org.tcpspec.fsm.TcbView} and acts on it only through {@link org.tcpspec.fsm.EffectHandler}.
 */
package org.tcpspec.fsm;
