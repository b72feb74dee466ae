/**
 * The reports of a conformance run: a self-contained HTML page (matrix, ladder diagrams as SVG,
 * failure messages, pcap links, coverage of TLA+ actions, Figure 5 arrows, §3.5.2 reset rules
 * and RFC 9293 labels), a Markdown summary for CI job pages, JUnit XML for CI test tabs, and
 * pcap files. Reports read results; they never run anything.
 */
package org.tcpspec.conformance.report;
