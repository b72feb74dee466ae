/**
 * The Berkeley-shaped socket API over a {@link org.tcpspec.stack.Stack}: file descriptors, socket,
 * bind, listen, accept, connect, read, write, shutdown, close, setsockopt/getsockopt, poll and a
 * TCP_INFO-like snapshot, returning Linux errno values. Sans-IO like the stack: a call that
 * would block says so ({@link org.tcpspec.socket.SockResult#wouldBlock()}) and the caller retries
 * after the stack made progress. Must not know the wire format or the transition table's rows.
 */
package org.tcpspec.socket;
