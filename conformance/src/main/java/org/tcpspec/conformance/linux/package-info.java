/**
 * The Linux kernel as a system under test: {@link org.tcpspec.conformance.linux.KernelSockets}
 * makes packetdrill's system calls (socket, bind, listen, accept4, connect, read, readv, write,
 * writev, send, sendto, sendmsg, recv, recvmsg, shutdown, close, setsockopt, getsockopt, fcntl,
 * ioctl, poll, epoll_create/ctl/wait, open, pipe, sendfile, splice) on real kernel sockets and
 * files through FFM, and {@link org.tcpspec.conformance.linux.PacketTap} hands out the
 * packets crossing an interface with the kernel's own timestamps. {@link
 * org.tcpspec.conformance.linux.NamespaceShell} runs shell lines inside a namespace as
 * packetdrill's system(3) runs them. {@link org.tcpspec.conformance.linux.ThreadPriority} puts the
 * threads of a cell at real-time priority without handing it to the processes they start,
 * {@link org.tcpspec.conformance.linux.CpuAffinity} keeps the cells, one at a time or side by
 * side, on the last CPU and the JVM's compiler and GC threads ({@link
 * org.tcpspec.conformance.linux.JvmHelperThreads}) on the others ({@code sut.HelperPlacement}), and {@link org.tcpspec.conformance.linux.DeadlineSleep} ends their waits on time; {@link
 * org.tcpspec.conformance.linux.JiffyEdge} starts a script's clock where packetdrill starts it.
 *
 * <p>Addresses pass as the kernel's own structs, a sockaddr_in or a sockaddr_in6 ({@code
 * device.linux.SockAddr}); what the kernel writes back (accept, getsockname, getpeername) is read
 * by its family.
 *
 * <p>Results carry errno exactly as the kernel reported it, and what a call wrote through its
 * pointers (bytes read, option values, struct tcp_info, a message's flags and control data, an
 * epoll event), in {@link org.tcpspec.abi.SysResult}. A
 * failing call is never an exception.
 *
 * <p>Namespace, TUN and libc plumbing live in {@code org.tcpspec.device.linux}, the ABI's values in
 * {@code org.tcpspec.abi}; this package adds the socket API, the tap and the shell, and knows
 * nothing of scripts.
 */
package org.tcpspec.conformance.linux;
