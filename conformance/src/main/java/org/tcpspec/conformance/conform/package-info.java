/**
 * The jobs behind {@code tcpspec run} and {@code tcpspec conform}: {@link
 * org.tcpspec.conformance.conform.SuiteRun} selects scripts (a {@link
 * org.tcpspec.conformance.conform.Shard} of them), plays them on the systems under test with
 * {@link org.tcpspec.conformance.conform.Progress} and builds the report both commands write;
 * {@link org.tcpspec.conformance.conform.Project} is what a project root adds when there is one
 * (known divergences, Linux baselines); {@link org.tcpspec.conformance.conform.Conform} puts TLC
 * ({@link org.tcpspec.conformance.conform.ModelCheck}, one line per model, its counters watched
 * while it runs, its results cached by the models' hash) alongside the project's suite, and the
 * generated set after it when the CLI hands one in (it knows the set as the report's ModelSteps,
 * not the generator).
 */
package org.tcpspec.conformance.conform;
