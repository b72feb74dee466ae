package org.tcpspec.trace;

/**
 * The TCB variables of RFC 9293 §3.3.1 a trace record carries, as they are after its transition:
 * the 32-bit sequence numbers (a Java int's bits, compared modulo 2^32), SND.WND in bytes (the
 * peer's window field shifted) and RFC 7323's Snd.Wind.Shift. Trace validation checks how each
 * transition changes them (spec/TcpTcbTrace.tla).
 */
public record TcbValues(int iss, int irs, int sndUna, int sndNxt, int rcvNxt, long sndWnd, int sndWndShift) {

  /** Before any sequence number was chosen or received (a listener, the CLOSED endpoint). */
  public static final TcbValues NONE = new TcbValues(0, 0, 0, 0, 0, 0, 0);

  String toJson() {
    return "{\"iss\":" + Integer.toUnsignedString(iss)
        + ",\"irs\":" + Integer.toUnsignedString(irs)
        + ",\"sndUna\":" + Integer.toUnsignedString(sndUna)
        + ",\"sndNxt\":" + Integer.toUnsignedString(sndNxt)
        + ",\"rcvNxt\":" + Integer.toUnsignedString(rcvNxt)
        + ",\"sndWnd\":" + sndWnd
        + ",\"sndWndShift\":" + sndWndShift + "}";
  }
}
