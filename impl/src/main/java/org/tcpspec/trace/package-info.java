/**
 * Transition traces: one {@link org.tcpspec.trace.TraceRecord} per state change, written as NDJSON
 * for people and handed to trace validation against the TLA+ model. Records carry plain strings
 * (action, from, to, segment summary) and plain numbers (the arriving segment's fields, the TCB's
 * sequence variables after the transition), so this package knows no states, no TCB class and no
 * sockets.
 */
package org.tcpspec.trace;
