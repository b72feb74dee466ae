/**
 * The model writes the tests: from TLC's state graph of TcpEndpoint, one packetdrill script per
 * distinct (state, passive, action, state after) step, each the shortest path to the step's source
 * state, the step's stimulus, the outputs the transition table's effects produce, and a probe of
 * the state reached. The CLI runs the set ({@code generate --run}, {@code conform --generated}); its
 * section of the report is the report's ({@code report.ModelStepsSection}).
 * It knows the model (spec) and the table (fsm); it knows no system under test, nothing of the
 * CLI, the runs or the report.
 */
package org.tcpspec.conformance.generate;
