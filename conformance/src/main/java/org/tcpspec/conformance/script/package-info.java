/**
 * packetdrill's script language: a lexer, a recursive-descent parser whose methods follow the
 * rules of packetdrill's grammar (parser.y), and the AST as records under sealed interfaces. Every
 * node keeps its {@link org.tcpspec.conformance.script.Pos}; a parse error names file:line:column
 * and what was expected, in packetdrill's words where packetdrill has them. {@code -D NAME=VALUE}
 * definitions replace words as packetdrill's lexer does. Constructs outside
 * the supported subset (UDP, encapsulation, AccECN, outbound ICMP) parse into {@link
 * org.tcpspec.conformance.script.Unsupported} notes instead of failing. This package knows text
 * and the names packetdrill's language gives numbers (ICMP types and codes), never sockets or
 * packets on a wire.
 */
package org.tcpspec.conformance.script;
