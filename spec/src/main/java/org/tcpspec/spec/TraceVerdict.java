package org.tcpspec.spec;

/** What TLC says about an implementation trace checked against TcpEndpoint. */
public sealed interface TraceVerdict {

  /** Every step is a TcpEndpoint action from its {@code from} to its {@code to}. */
  record Accepted(int steps) implements TraceVerdict {}

  /** Step {@code firstBadStep} (1-based) is the first one the model cannot take. */
  record Rejected(int firstBadStep, String reason) implements TraceVerdict {}
}
