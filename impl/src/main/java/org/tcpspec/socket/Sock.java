package org.tcpspec.socket;

import org.tcpspec.abi.Errno;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.Listener;
import org.tcpspec.stack.SocketOptions;
import org.tcpspec.wire.IpAddress;

/** One open socket of a {@link SocketApi}: what its file descriptor stands for (Linux's struct socket and its sock). */
final class Sock {
  /** Shared with the connection, so options set after connect() or accept() take effect. */
  SocketOptions options;
  boolean nonBlocking;
  int boundPort;
  /** bind() named the port (Linux SOCK_BINDPORT_LOCK): a disconnect keeps it. */
  boolean bindPortLock;
  Listener listener;
  Connection conn;
  boolean connectDone;
  boolean shutRd;
  boolean shutWr;
  /** The error a connect() to AF_UNSPEC left (Linux tcp_disconnect's sk_err), until SO_ERROR or the next connect() takes it. */
  Errno disconnectError;
  /** SO_MARK. */
  int mark;
  /** connect() with TCP_FASTOPEN_CONNECT waits for the first write to send the SYN (Linux DEFER_CONNECT). */
  IpAddress deferredAddr;
  int deferredPort;
  /** A blocking Fast Open send in progress: what its SYN carried and what follows the handshake. */
  int fastOpenSent;
  byte[] fastOpenRest;
  /** Completions of MSG_ZEROCOPY sends (with SO_ZEROCOPY on). */
  final ZerocopyNotifications zerocopyDone = new ZerocopyNotifications();
}
