/**
 * Transition traces: one {@link org.tcpspec.trace.TraceRecord} per state change, written as NDJSON
 * for people and handed to trace validation against the TLA+ model. Records carry plain strings
 * (action, from, to, segment summary), so this package knows no states, no TCB and no sockets.
 */
package org.tcpspec.trace;
