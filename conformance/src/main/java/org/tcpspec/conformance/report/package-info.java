/**
 * The reports of a conformance run: a self-contained HTML page (verdict, a filter to what did not
 * pass, TLC as a table, the matrix, ladder diagrams as SVG side by side per script, coverage of
 * TLA+ actions as a grid of states by events with Figure 5 arrows and §3.5.2 reset rules, RFC 9293's
 * numbered requirements with each system's verdict), a Markdown summary for CI job pages, JUnit XML for CI test tabs, pcap files, and
 * results.json, which {@link org.tcpspec.conformance.report.Merge} reads back to join the runs of
 * several jobs; Linux baselines per kernel release. Reports read results; they never run anything.
 */
package org.tcpspec.conformance.report;
