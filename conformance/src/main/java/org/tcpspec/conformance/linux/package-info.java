/**
 * The Linux kernel as a system under test. {@link org.tcpspec.conformance.linux.LinuxTestbed} sets
 * up one run: a namespace made for it, a TUN device with the script's topology (kernel side
 * 192.168.0.1, remote side 192.0.2.1), optionally a pcap file of the TUN, and {@link
 * org.tcpspec.conformance.linux.KernelSockets}, which makes packetdrill's system calls (socket,
 * bind, listen, accept4, connect, read, write, send, recv, shutdown, close, setsockopt, getsockopt,
 * fcntl, ioctl SIOCINQ/SIOCOUTQ, poll) on real kernel sockets through FFM. {@link
 * org.tcpspec.conformance.linux.TcpInfo} decodes struct tcp_info into the C field names, which is
 * what {@code SystemUnderTest.tcpInfo} hands the interpreter.
 *
 * <p>Results carry errno exactly as the kernel reported it ({@link
 * org.tcpspec.device.linux.SyscallResult}); values written through pointers come in {@link
 * org.tcpspec.conformance.linux.SyscallOut}. A failing call is never an exception.
 *
 * <p>Namespace, TUN and libc plumbing live in {@code org.tcpspec.device.linux}; this package adds
 * the socket API and the run's setup, and knows nothing of scripts.
 */
package org.tcpspec.conformance.linux;
