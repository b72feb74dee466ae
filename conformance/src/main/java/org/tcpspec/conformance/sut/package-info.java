/**
 * Systems under test behind the {@link org.tcpspec.conformance.run.SystemUnderTest} seam. {@link
 * org.tcpspec.conformance.sut.LinuxSut}: the kernel in a fresh network namespace per script, on
 * the platform's Netns, TunDevice and KernelSockets.
 */
package org.tcpspec.conformance.sut;
