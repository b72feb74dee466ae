package org.tcpspec.socket;

import static org.tcpspec.abi.Symbol.POLLERR;
import static org.tcpspec.abi.Symbol.POLLHUP;
import static org.tcpspec.abi.Symbol.POLLIN;
import static org.tcpspec.abi.Symbol.POLLOUT;
import static org.tcpspec.abi.Symbol.POLLPRI;
import static org.tcpspec.abi.Symbol.POLLRDHUP;

import org.tcpspec.fsm.State;
import org.tcpspec.stack.Connection;

/**
 * The readiness of a {@link SocketApi} socket, as Linux's tcp_poll computes it: poll()'s revents
 * (the write space that makes a stream writeable, what a blocked writer waits for, is the
 * connection's: {@link Connection#pollWriteable}); the event loop asks it for each application
 * thread waiting on a socket.
 */
final class TcpPoll {

  /** {@link SocketApi#poll}'s revents for an open socket. */
  int revents(Sock s, int events) {
    int always = POLLERR.value() | POLLHUP.value();
    int r = 0;
    if (s.listener != null) {
      if (s.listener.acceptable()) r |= POLLIN.value();
      return r & (events | always);
    }
    Connection c = s.conn;
    // Linux tcp_poll: a deferred Fast Open connect is writable, so that the write sends the SYN.
    if (c == null && s.deferredAddr != null) return POLLOUT.value() & events;
    if (c == null) return (POLLOUT.value() | POLLHUP.value()) & (events | POLLHUP.value());
    State st = c.state();
    // Linux tcp_poll: a pending error, or something on the error queue (a MSG_ZEROCOPY completion,
    // a transmit timestamp).
    if (c.error().isPresent() || s.zerocopyDone.ready(c.tcb().sndUna) || c.txTimestamps().waiting()) {
      r |= POLLERR.value();
    }
    // Linux tcp_poll: the out-of-band octet waits (TCP_URG_VALID), RFC 9293 §3.8.5 MUST-32.
    if (c.urgentReadable()) r |= POLLPRI.value();
    if (st == State.CLOSED || (s.shutWr && c.peerFinished())) r |= POLLHUP.value();
    // Linux tcp_done sets both shutdown bits, so a connection that ended is readable (EOF) too.
    if (c.peerFinished() || s.shutRd || st == State.CLOSED) r |= POLLIN.value() | POLLRDHUP.value();
    if (st != State.SYN_SENT && st != State.SYN_RECEIVED) {
      if (c.tcb().receiveBuffer.readable() > 0) r |= POLLIN.value();
      if (!s.shutWr && c.pollWriteable()) r |= POLLOUT.value();
      if (s.shutWr) r |= POLLOUT.value();
    }
    return r & (events | always);
  }
}
