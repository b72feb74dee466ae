/**
 * The Linux kernel as a system under test: {@link
 * org.tcpspec.conformance.linux.KernelSockets} makes packetdrill's system calls (socket, bind,
 * listen, accept4, connect, read, write, send, recv, shutdown, close, setsockopt, getsockopt,
 * fcntl, poll) on real kernel sockets through FFM, inside a namespace made for the run; {@link
 * org.tcpspec.conformance.linux.TcpInfo} decodes struct tcp_info. Results carry errno exactly as
 * the kernel reported it ({@link org.tcpspec.device.linux.SyscallResult}), never an exception.
 *
 * <p>Packets reach that kernel through a TUN device in the same namespace ({@link
 * org.tcpspec.device.linux.TunDevice}): what the script injects is written to it, what the kernel
 * sends is read from it. The namespace, TUN and libc plumbing live in {@code
 * org.tcpspec.device.linux}; this package adds the socket API and nothing else, and knows nothing
 * of scripts.
 */
package org.tcpspec.conformance.linux;
