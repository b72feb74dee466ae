/**
 * Congestion control behind a small interface ({@link org.tcpspec.cc.CongestionControl}); NewReno
 * (RFC 5681, RFC 6582) with the RFC 6928 initial window. Knows bytes and ACK events only: no
 * states, no segments, no timers.
 */
package org.tcpspec.cc;
