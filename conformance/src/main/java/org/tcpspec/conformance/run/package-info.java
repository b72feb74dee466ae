/**
 * The interpreter and its seam. {@link org.tcpspec.conformance.run.Interpreter} plays one parsed
 * script against one {@link org.tcpspec.conformance.run.SystemUnderTest}: it maps script values
 * to live values (fds; ports, ISNs and timestamps in {@link
 * org.tcpspec.conformance.run.ScriptSocket}), injects inbound packets, checks outbound packets
 * field by field, and makes system calls through a table of handlers. It knows nothing of how a
 * system under test moves packets or keeps time: it knows the seam, not its implementations
 * ({@code conformance.sut}, {@code conformance.linux}), which the CLI picks.
 */
package org.tcpspec.conformance.run;
