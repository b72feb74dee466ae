/**
 * packetdrill's script language: a lexer, a recursive-descent parser whose methods follow the
 * rules of packetdrill's grammar (parser.y), and the AST as records under sealed interfaces. Every
 * node keeps its {@link org.tcpspec.conformance.script.Pos}; a parse error names file:line:column
 * and what was expected. {@code -D NAME=VALUE} definitions replace words as packetdrill's lexer
 * does. Constructs outside the supported subset parse into {@link
 * org.tcpspec.conformance.script.Unsupported} notes instead of failing. This package knows text,
 * never sockets or packets on a wire.
 */
package org.tcpspec.conformance.script;
