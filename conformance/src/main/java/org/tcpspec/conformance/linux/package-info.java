/**
 * The Linux kernel as a system under test: {@link org.tcpspec.conformance.linux.KernelSockets}
 * makes packetdrill's system calls (socket, bind, listen, accept4, connect, read, write, send,
 * recv, shutdown, close, setsockopt, getsockopt, fcntl, ioctl SIOCINQ/SIOCOUTQ, poll) on real
 * kernel sockets through FFM, and {@link org.tcpspec.conformance.linux.PacketTap} hands out the
 * packets crossing an interface with the kernel's own timestamps. {@link
 * org.tcpspec.conformance.linux.NamespaceShell} runs shell lines inside a namespace as
 * packetdrill's system(3) runs them.
 *
 * <p>Results carry errno exactly as the kernel reported it, and what a call wrote through its
 * pointers (bytes read, option values, struct tcp_info), in {@link org.tcpspec.abi.SysResult}. A
 * failing call is never an exception.
 *
 * <p>Namespace, TUN and libc plumbing live in {@code org.tcpspec.device.linux}, the ABI's values in
 * {@code org.tcpspec.abi}; this package adds the socket API, the tap and the shell, and knows
 * nothing of scripts.
 */
package org.tcpspec.conformance.linux;
