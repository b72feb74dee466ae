/**
 * Congestion control behind a small interface ({@link org.tcpspec.cc.CongestionControl}), shaped
 * like Linux's tcp_congestion_ops: Reno (RFC 5681) with the RFC 6928 initial window. Knows bytes
 * and ACK events only: no states, no segments, no timers; loss recovery lives in the stack.
 */
package org.tcpspec.cc;
