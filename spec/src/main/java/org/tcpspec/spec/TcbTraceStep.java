package org.tcpspec.spec;

import java.util.Optional;

/**
 * One record of an implementation's TCB trace, what spec/TcpTcbTrace.tla checks: the TcpEndpoint
 * action, the RFC 9293 states before and after, the segment that arrived (none for user calls and
 * timers) and the TCB after the transition. Sequence numbers are the 32 bits of a Java int.
 */
public record TcbTraceStep(String action, String from, String to, Optional<Segment> segment, Tcb tcb) {

  /** The arriving segment as §3.10.7 reads it; {@code window} is the raw 16-bit field. */
  public record Segment(
      int seq, int ack, int payloadLength, boolean syn, boolean ackFlag, boolean fin, boolean rst, int window) {}

  /**
   * The TCB variables of RFC 9293 §3.3.1 the trace module follows; {@code sndWnd} in bytes (the
   * window field shifted), {@code sndWndShift} RFC 7323's Snd.Wind.Shift.
   */
  public record Tcb(int iss, int irs, int sndUna, int sndNxt, int rcvNxt, long sndWnd, int sndWndShift) {}
}
