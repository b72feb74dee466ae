package org.tcpspec.fsm;

/** The eleven connection states of RFC 9293 §3.3.2, with their RFC spelling. */
public enum State {
  CLOSED("CLOSED"),
  LISTEN("LISTEN"),
  SYN_SENT("SYN-SENT"),
  SYN_RECEIVED("SYN-RECEIVED"),
  ESTABLISHED("ESTABLISHED"),
  FIN_WAIT_1("FIN-WAIT-1"),
  FIN_WAIT_2("FIN-WAIT-2"),
  CLOSE_WAIT("CLOSE-WAIT"),
  CLOSING("CLOSING"),
  LAST_ACK("LAST-ACK"),
  TIME_WAIT("TIME-WAIT");

  private final String rfcName;

  State(String rfcName) {
    this.rfcName = rfcName;
  }

  /** The RFC string, e.g. "SYN-SENT": the spelling of the TLA+ model and of traces. */
  public String rfcName() {
    return rfcName;
  }

  /**
   * The states reached after the SYNs were exchanged (RFC 9293 §3.10.7.4 "otherwise"), in which
   * the synchronized-state arrivals apply: spec/ACTIONS.md's "S" and TcpEndpoint's synchronized
   * states. The one Java definition of that set.
   */
  public boolean isSynchronized() {
    return switch (this) {
      case CLOSED, LISTEN, SYN_SENT -> false;
      case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> true;
    };
  }
}
