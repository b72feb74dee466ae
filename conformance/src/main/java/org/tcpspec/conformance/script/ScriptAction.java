package org.tcpspec.conformance.script;

/** What an event does. The interpreter switches over these without a default case. */
public sealed interface ScriptAction permits TcpPacket, IcmpPacket, Syscall, ShellCommand, CodeBlock {
  Pos pos();
}
