package org.tcpspec.stack;

/** Why a connection ended abnormally; the socket layer turns these into errno values. */
public enum ConnectionError {
  /** RST in answer to our SYN (§3.10.7.3). */
  REFUSED,
  /** RST on a synchronized connection (§3.10.7.4), or reset by ABORT of a peer. */
  RESET,
  /** Retransmissions or keep-alive probes gave up (§3.8.3 R2). */
  TIMED_OUT
}
