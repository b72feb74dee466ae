/**
 * What the suite says about itself: each script's header (RFC section, requirement labels,
 * TLA+ actions, Linux's behaviour), the action vocabulary (impl's {@code fsm.Action}), RFC 9293's
 * numbered requirements ({@code rfc9293-requirements.tsv}), and the reviewed list of known
 * divergences. Reports use it for coverage; tests use it to keep the suite
 * honest.
 */
package org.tcpspec.conformance.suite;
