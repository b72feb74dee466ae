package org.tcpspec.conformance.script;

/**
 * A {@code %{ }%} block. packetdrill runs it as Python with the socket's tcp_info in scope; this
 * runner evaluates the {@code assert tcpi_x <op> value} lines of it (see the run package).
 */
public record CodeBlock(Pos pos, String text) implements ScriptAction {}
