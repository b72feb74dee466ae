package org.tcpspec.spec;

/**
 * One transition the implementation reports: the TcpEndpoint action it took and the RFC 9293
 * states before and after, e.g. {@code new TraceStep("ListenRcvSyn", "LISTEN", "SYN-RECEIVED")}.
 */
public record TraceStep(String action, String from, String to) {}
