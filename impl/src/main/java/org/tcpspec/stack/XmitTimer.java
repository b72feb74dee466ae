package org.tcpspec.stack;

/**
 * What the retransmission timer slot is armed for, as Linux's icsk_pending shares one timer among
 * them: the RTO (RFC 6298), RACK's reorder timeout (RFC 8985 §6.3) or the tail loss probe
 * timeout (RFC 8985 §7.2). Only one runs at a time; when either of the latter two fires, the RTO
 * is rearmed from the first unacknowledged segment's send time.
 */
enum XmitTimer {
  RETRANSMISSION,
  REORDER,
  LOSS_PROBE
}
