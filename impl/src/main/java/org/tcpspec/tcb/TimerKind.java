package org.tcpspec.tcb;

/** The per-connection timers of RFC 9293 §3.8 and RFC 1122 §4.2.3, plus Linux's FIN-WAIT-2. */
public enum TimerKind {
  /** RFC 6298 retransmission timer (SYN, data, FIN). */
  RETRANSMIT,
  /** RFC 1122 §4.2.3.2 / RFC 9293 §3.8.6.3 delayed ACK. */
  DELAYED_ACK,
  /** RFC 9293 §3.8.6.1 zero-window probing. */
  PERSIST,
  /** RFC 1122 §4.2.3.6 keep-alive (off unless SO_KEEPALIVE). */
  KEEPALIVE,
  /** Linux tcp_fin_timeout for an orphaned FIN-WAIT-2 connection. */
  FIN_WAIT_2,
  /** 2MSL in TIME-WAIT (RFC 9293 §3.6.1). */
  TIME_WAIT
}
