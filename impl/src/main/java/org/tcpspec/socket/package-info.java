/**
 * The Berkeley-shaped socket API over a {@link org.tcpspec.stack.Stack}: file descriptors, socket,
 * bind, listen, accept, connect, read, write, shutdown, close, setsockopt/getsockopt, poll and a
 * TCP_INFO, returning Linux's results and errno values ({@link org.tcpspec.abi.SysResult}). Sans-IO
 * like the stack: a call that cannot complete now returns EAGAIN, and for a blocking socket the
 * caller retries it after the stack made progress. Must not know the wire format or the transition
 * table's rows.
 */
package org.tcpspec.socket;
