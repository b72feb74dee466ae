package org.tcpspec.fsm;

/** The eleven connection states of RFC 9293 §3.3.2, with their RFC spelling. */
public enum State {
  CLOSED("CLOSED", "Closed"),
  LISTEN("LISTEN", "Listen"),
  SYN_SENT("SYN-SENT", "SynSent"),
  SYN_RECEIVED("SYN-RECEIVED", "SynReceived"),
  ESTABLISHED("ESTABLISHED", "Established"),
  FIN_WAIT_1("FIN-WAIT-1", "FinWait1"),
  FIN_WAIT_2("FIN-WAIT-2", "FinWait2"),
  CLOSE_WAIT("CLOSE-WAIT", "CloseWait"),
  CLOSING("CLOSING", "Closing"),
  LAST_ACK("LAST-ACK", "LastAck"),
  TIME_WAIT("TIME-WAIT", "TimeWait");

  private final String rfcName;
  private final String camelName;

  State(String rfcName, String camelName) {
    this.rfcName = rfcName;
    this.camelName = camelName;
  }

  /** The RFC string, e.g. "SYN-SENT": the spelling of the TLA+ model and of traces. */
  public String rfcName() {
    return rfcName;
  }

  /** The CamelCase spelling used inside action names, e.g. "SynSent" in SynSentRcvSynAck. */
  public String camelName() {
    return camelName;
  }

  /** States reached after the SYNs were exchanged (RFC 9293 §3.10.7.4 "otherwise"). */
  public boolean synchronized_() {
    return switch (this) {
      case CLOSED, LISTEN, SYN_SENT -> false;
      case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> true;
    };
  }

  public static State ofRfcName(String name) {
    for (State s : values()) if (s.rfcName.equals(name)) return s;
    throw new IllegalArgumentException("no RFC 9293 state named " + name);
  }
}
