/**
 * The transmission control block: RFC 9293 §3.3.1 variables under their RFC names ({@link
 * org.tcpspec.tcb.Tcb}), the send buffer, the receive buffer with its bounded reassembler (its
 * bytes, in order and out of order, in chunks of a {@link org.tcpspec.tcb.ChunkPool} shared by a
 * stack's connections and sized by their capacities),
 * the RFC 6298 RTT estimator and the timers as data (deadlines on virtual time); the buffers report
 * the bytes they hold to a {@link org.tcpspec.tcb.BufferAccount}. This package holds
 * data and the arithmetic on it; it must not know the transition table, sockets, the stack or
 * the wire format beyond sequence numbers.
 */
package org.tcpspec.tcb;
