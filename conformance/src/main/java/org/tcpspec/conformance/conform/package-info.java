/**
 * The jobs behind {@code tcpspec run} and {@code tcpspec conform}: {@link
 * org.tcpspec.conformance.conform.SuiteRun} plays scripts on the systems under test with progress
 * lines and builds the report both commands write; {@link org.tcpspec.conformance.conform.Project}
 * is what a project root adds when there is one (action vocabulary, known divergences); {@link
 * org.tcpspec.conformance.conform.Conform} puts TLC ({@link
 * org.tcpspec.conformance.conform.ModelCheck}, one line per model) in front of the project's suite.
 */
package org.tcpspec.conformance.conform;
