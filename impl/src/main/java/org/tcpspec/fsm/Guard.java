package org.tcpspec.fsm;

/**
 * The one guard the table needs beyond (state, event): whether the connection came from LISTEN
 * ("passive", RFC 9293 §3.10.7.4: a reset SYN-RECEIVED connection returns to LISTEN only then).
 */
public enum Guard {
  ANY,
  PASSIVE,
  ACTIVE;

  public boolean admits(boolean passive) {
    return switch (this) {
      case ANY -> true;
      case PASSIVE -> passive;
      case ACTIVE -> !passive;
    };
  }
}
