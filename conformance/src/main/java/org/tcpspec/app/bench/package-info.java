/**
 * Bulk-throughput measurement for {@code tcpspec bench} (issue #5): one TCP connection moves a
 * fixed number of bytes and the receiver times it. {@link org.tcpspec.app.bench.VethPair} is the
 * kernel baseline topology, two namespaces joined by a veth pair whose MTU is set per run; the
 * TUN configurations with our stack join once the stack and its event loop land. Knows sockets
 * and namespaces, never TCP internals.
 */
package org.tcpspec.app.bench;
