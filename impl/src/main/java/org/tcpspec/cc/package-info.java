/**
 * Congestion control behind a small interface ({@link org.tcpspec.cc.CongestionControl}), shaped
 * like Linux's tcp_congestion_ops and counting segments as Linux does: Reno (RFC 5681). Knows
 * segment counts, times and ACK events only: no connection states, no sequence numbers, no
 * timers; loss detection and recovery live in the stack.
 */
package org.tcpspec.cc;
