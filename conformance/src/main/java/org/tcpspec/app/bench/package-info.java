/**
 * Bulk-throughput measurement for {@code tcpspec bench} (issue #5): one TCP connection moves a
 * fixed number of pattern bytes and the receiver times it ({@link
 * org.tcpspec.app.bench.BulkTransfer}), between any two stream ends of {@link org.tcpspec.app}:
 * kernel to kernel over a {@link org.tcpspec.app.bench.VethPair} (the baseline: two namespaces
 * joined by a veth pair whose MTU is set per run), and kernel to our stack and back over a TUN
 * device, which the CLI's {@code BenchRows} wires to the stack's runtime. {@link
 * org.tcpspec.app.bench.BenchTable} holds the MB/s per configuration and MTU. Knows streams,
 * sockets and namespaces, never TCP internals or the conformance runner.
 */
package org.tcpspec.app.bench;
