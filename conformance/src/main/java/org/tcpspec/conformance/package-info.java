/**
 * The conformance runner: packetdrill's script language ({@code script}), the interpreter and the
 * {@code SystemUnderTest} seam ({@code run}), and the reports. It may depend on the stack and the
 * spec; nothing in impl or spec may depend on it.
 */
package org.tcpspec.conformance;
