/**
 * The main job behind {@code tcpspec conform}: check the TLA+ model with TLC against its
 * manifest, run the suite on every system under test, judge the cells against the known
 * divergences, write the reports.
 */
package org.tcpspec.conformance.conform;
