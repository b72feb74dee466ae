/**
 * Congestion control behind a small interface ({@link org.tcpspec.cc.CongestionControl}), shaped
 * like Linux's tcp_congestion_ops and counting segments as Linux does: {@link org.tcpspec.cc.Cubic}
 * (RFC 9438 with HyStart, Linux's default) and {@link org.tcpspec.cc.Reno} (RFC 5681). Knows segment
 * counts, times and ACK events, and reads of the connection only what {@link
 * org.tcpspec.cc.SenderState} gives (as Linux's ops read the socket): no connection states, no
 * timers; loss detection and recovery live in the stack. {@link org.tcpspec.cc.Pacing} holds
 * Linux's pacing-rate constants, which the stack's TSO autosizing reads too.
 */
package org.tcpspec.cc;
