package org.tcpspec.conformance.script;

/**
 * A {@code %{ }%} block: Python that packetdrill runs with the socket's tcp_info in scope (the run
 * package runs it in python3). The text is as packetdrill's lexer keeps it: spaces and tabs
 * stripped from both ends, newlines kept.
 */
public record CodeBlock(Pos pos, String text) implements ScriptAction {}
