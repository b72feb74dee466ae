/**
 * Benchmarks that print numbers (run with {@code java}, not by surefire): in-memory segment
 * throughput and allocation per segment of the core. No assertions on speed live in tests.
 */
package org.tcpspec.bench;
