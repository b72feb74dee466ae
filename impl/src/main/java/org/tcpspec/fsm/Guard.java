package org.tcpspec.fsm;

/**
 * What the table needs to know beyond (state, event): how the connection began, as the model's
 * {@code passive} and {@code fastOpen} say. A passive SYN-RECEIVED connection returns to LISTEN
 * when reset (RFC 9293 §3.10.7.4, "the user need not be informed"); an active one, and a passive
 * one that took text from its SYN by Fast Open (RFC 7413 §4.2.2: its user holds it already), is
 * reset to CLOSED and the user told. The three origins are disjoint, so guarded rows of a pair
 * cover them one each.
 */
public enum Guard {
  ANY,
  /** Came from LISTEN without Fast Open text: no user has seen it yet. */
  PASSIVE,
  /** Came from an active OPEN (simultaneous open in SYN-RECEIVED). */
  ACTIVE,
  /** Came from LISTEN and took text from its SYN (RFC 7413 §4.2.2). */
  FAST_OPEN;

  public boolean admits(boolean passive, boolean fastOpen) {
    return switch (this) {
      case ANY -> true;
      case PASSIVE -> passive && !fastOpen;
      case ACTIVE -> !passive;
      case FAST_OPEN -> passive && fastOpen;
    };
  }
}
