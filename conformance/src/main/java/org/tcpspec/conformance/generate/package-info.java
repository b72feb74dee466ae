/**
 * The model writes the tests: from TLC's state graph of TcpEndpoint, one packetdrill script per
 * distinct (state, passive, action, state after) step, each the shortest path to the step's source
 * state, the step's stimulus, the outputs the transition table's effects produce, and a probe of
 * the state reached; and a run of that set on systems under test with a per-step section.
 * It knows the model (spec), the table (fsm) and the runner's seam; it knows no system under test
 * by name (the CLI hands them in) and nothing of the CLI or the suite's report.
 */
package org.tcpspec.conformance.generate;
