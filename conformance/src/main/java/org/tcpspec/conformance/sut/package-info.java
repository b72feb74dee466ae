/**
 * Systems under test behind the {@link org.tcpspec.conformance.run.SystemUnderTest} seam. {@link
 * org.tcpspec.conformance.sut.LinuxSut}: the kernel in a fresh network namespace per script, on
 * the platform's Netns, TunDevice and KernelSockets; its package-private parts (LinuxDevices,
 * LinuxInjector, LinuxSniffer, LinuxCallThreads, KernelCalls) hold one concern each. {@link
 * org.tcpspec.conformance.sut.Suts} names them for {@code --sut}; only the CLI uses it.
 */
package org.tcpspec.conformance.sut;
