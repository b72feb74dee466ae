package org.tcpspec.socket;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.fsm.State;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.Listener;
import org.tcpspec.stack.Stack;
import org.tcpspec.stack.StackConfig;
import org.tcpspec.wire.IpAddress;

/**
 * The calls that give a socket its port and its connection, or take them away: bind, listen,
 * connect and connect() to AF_UNSPEC. {@link SocketApi} finds the {@link Sock}; ports are checked
 * against every open socket's.
 */
final class SocketConnectCalls {
  /** The states from which tcp_disconnect leaves ECONNRESET (it resets the peer, or was in SYN-SENT). */
  private static final Set<State> RESET_BY_DISCONNECT = EnumSet.of(State.SYN_SENT, State.SYN_RECEIVED,
      State.ESTABLISHED, State.FIN_WAIT_1, State.FIN_WAIT_2, State.CLOSE_WAIT);

  private final Stack stack;
  private final Map<Integer, Sock> fds;

  SocketConnectCalls(Stack stack, Map<Integer, Sock> fds) {
    this.stack = stack;
    this.fds = fds;
  }

  /**
   * bind() to an address of either family: the wildcard of its family (0.0.0.0 or ::) or one of
   * the stack's addresses, else EADDRNOTAVAIL. The socket's listener takes both families (a
   * dual-stack socket); only the port is kept.
   */
  SysResult<Void> bind(Sock s, IpAddress addr, int port) {
    if (s.boundPort != 0 || s.conn != null) return SysResult.error(Errno.EINVAL);
    boolean wildcard = addr.equals(IpAddress.ipv4(0)) || addr.equals(IpAddress.IPV6_UNSPECIFIED);
    if (!wildcard && !stack.isLocal(addr.high(), addr.low())) return SysResult.error(Errno.EADDRNOTAVAIL);
    if (port != 0 && portTaken(port, s)) return SysResult.error(Errno.EADDRINUSE);
    s.boundPort = port == 0 ? ephemeral() : port;
    s.bindPortLock = port != 0;
    return SysResult.ok(0);
  }

  private boolean portTaken(int port, Sock self) {
    for (Sock o : fds.values()) {
      if (o == self || o.boundPort != port) continue;
      // Linux: SO_REUSEADDR on both lets a port be shared unless one of them listens.
      if (!(o.options.reuseAddr && self.options.reuseAddr && o.listener == null)) return true;
    }
    return stack.portInUse(port) && !self.options.reuseAddr;
  }

  private int ephemeral() {
    for (int p = 32768; p <= 60999; p++) if (!portTaken(p, null)) return p;
    throw new IllegalStateException("no ephemeral port left");
  }

  SysResult<Void> listen(Sock s, int backlog) {
    if (s.conn != null) return SysResult.error(Errno.EINVAL);
    if (s.listener != null) return SysResult.ok(0);
    if (s.boundPort == 0) s.boundPort = ephemeral(); // Linux: listen() autobinds.
    Optional<Listener> l = stack.listen(s.boundPort, backlog, s.options);
    if (l.isEmpty()) return SysResult.error(Errno.EADDRINUSE);
    s.listener = l.get();
    return SysResult.ok(0);
  }

  /**
   * connect(), Linux's inet_stream_connect: EINPROGRESS on a non-blocking socket, EALREADY while
   * the handshake runs, 0 once it completed (then EISCONN), the pending error if it failed;
   * ENETUNREACH for IPv6 when the stack has no IPv6 address.
   */
  SysResult<Void> connect(Sock s, IpAddress addr, int port) {
    if (s.listener != null) return SysResult.error(Errno.EISCONN);
    if (s.conn == null) {
      if (!addr.isIpv4() && stack.ipv6Address().isEmpty()) return SysResult.error(Errno.ENETUNREACH);
      // Linux: a deferred connect left the socket connecting with DEFER_CONNECT, which
      // __inet_stream_connect answers as a connected one.
      if (s.deferredAddr != null) return SysResult.error(Errno.EISCONN);
      // Linux tcp_fastopen_defer_connect: with TCP_FASTOPEN_CONNECT and a SYN that could carry
      // data, connect() succeeds at once and the first write sends SYN and data; without, the SYN
      // goes now and asks for a cookie.
      if (s.options.fastopenConnect && stack.fastOpenMayCarryData(addr, s.options)) {
        s.deferredAddr = addr;
        s.deferredPort = port;
        return SysResult.ok(0);
      }
      s.disconnectError = null; // tcp_connect_init clears sk_err
      Optional<Connection> c = s.options.fastopenConnect
          ? stack.connectFastOpen(s.boundPort, addr, port, s.options, new byte[0])
          : stack.connect(s.boundPort, addr, port, s.options);
      if (c.isEmpty()) return SysResult.error(Errno.EADDRINUSE);
      s.conn = c.get();
      s.boundPort = c.get().tuple().localPort();
      return s.nonBlocking ? SysResult.error(Errno.EINPROGRESS) : progressOfConnect(s);
    }
    if (s.connectDone) return SysResult.error(Errno.EISCONN);
    SysResult<Void> r = progressOfConnect(s);
    if (r.errno() == Errno.EAGAIN && s.nonBlocking) return SysResult.error(Errno.EALREADY);
    return r;
  }

  /**
   * connect() to AF_UNSPEC: Linux's __inet_stream_connect calls tcp_disconnect, which takes the
   * socket back to CLOSED and leaves it free to connect again. The connection gets RFC 9293's
   * ABORT (§3.10.5): a RST in the states tcp_need_reset names (SYN-RECEIVED, ESTABLISHED,
   * FIN-WAIT-1/2, CLOSE-WAIT), and the socket keeps ECONNRESET as its error then and in SYN-SENT.
   * A listener stops listening (inet_csk_listen_stop). The port goes back unless bind() named it
   * (tcp_set_state's inet_put_port without SOCK_BINDPORT_LOCK).
   */
  SysResult<Void> disconnect(Sock s) {
    if (s.listener != null) {
      stack.closeListener(s.listener);
      s.listener = null;
    }
    if (s.conn != null) {
      State old = s.conn.state();
      if (old != State.CLOSED) stack.abort(s.conn);
      if (RESET_BY_DISCONNECT.contains(old)) s.disconnectError = Errno.ECONNRESET;
      s.conn = null;
    }
    if (!s.bindPortLock) s.boundPort = 0;
    s.connectDone = false;
    s.shutRd = false;
    s.shutWr = false;
    s.deferredAddr = null;
    s.fastOpenSent = 0;
    s.fastOpenRest = null;
    // tcp_disconnect: icsk_rto_min = TCP_RTO_MIN, whatever TCP_RTO_MIN_US or tcp_rto_min_us said
    // (the maximum, icsk_rto_max, stays).
    s.options.rtoMinMillis = StackConfig.usecsToJiffies(StackConfig.RTO_MIN_US_DEFAULT);
    return SysResult.ok(0);
  }

  private SysResult<Void> progressOfConnect(Sock s) {
    Connection c = s.conn;
    if (c.established()) {
      s.connectDone = true;
      return SysResult.ok(0);
    }
    if (c.state() == State.SYN_SENT || c.state() == State.SYN_RECEIVED) return SysResult.error(Errno.EAGAIN);
    s.connectDone = true;
    return SysResult.error(c.takeError().map(SocketApi::errno).orElse(Errno.ECONNABORTED));
  }
}
