/**
 * The model as a judge of both systems under test: the java stack's traces as TCB trace steps
 * (spec/TcpTcbTrace.tla). Knows spec's trace validation and impl's trace records; not the runner's
 * internals, the reports or the CLI.
 */
package org.tcpspec.conformance.judge;
