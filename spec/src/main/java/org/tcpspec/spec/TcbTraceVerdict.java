package org.tcpspec.spec;

/** What TLC says about a batch of TCB traces checked against spec/TcpTcbTrace.tla. */
public sealed interface TcbTraceVerdict {

  /** Every record of every trace is a step the model allows. */
  record Accepted(int traces, int records) implements TcbTraceVerdict {}

  /**
   * Record {@code record} (1-based) of the trace named {@code trace} is the first no behaviour of
   * the model can take; the traces before it were accepted.
   */
  record Rejected(String trace, int record, String reason) implements TcbTraceVerdict {}
}
