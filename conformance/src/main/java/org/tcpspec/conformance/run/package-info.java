/**
 * The interpreter and its seam. {@link org.tcpspec.conformance.run.Interpreter} plays one parsed
 * script against one {@link org.tcpspec.conformance.run.SystemUnderTest}: it maps script values
 * to live values (fds; ports, ISNs and timestamps in {@link
 * org.tcpspec.conformance.run.ScriptSocket}), injects inbound packets, checks outbound packets
 * field by field, makes system calls through a table of handlers, and runs {@code %{ }%} blocks in
 * python3 ({@link org.tcpspec.conformance.run.PythonCode}). {@link
 * org.tcpspec.conformance.run.RunConfig} is packetdrill's configuration (a script's header options
 * under the command line's), {@link org.tcpspec.conformance.run.Variant} run_all.py's address
 * families. It knows nothing of how a
 * system under test moves packets or keeps time: it knows the seam, not its implementations
 * ({@code conformance.sut}, {@code conformance.linux}), which the CLI picks.
 */
package org.tcpspec.conformance.run;
