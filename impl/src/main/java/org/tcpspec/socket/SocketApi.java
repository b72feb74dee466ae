package org.tcpspec.socket;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.tcpspec.fsm.State;
import org.tcpspec.stack.CallResult;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.ConnectionError;
import org.tcpspec.stack.Listener;
import org.tcpspec.stack.SocketOptions;
import org.tcpspec.stack.Stack;
import org.tcpspec.tcb.Tcb;

/**
 * Berkeley sockets over one {@link Stack}, with Linux's errno values and option semantics. Calls
 * never wait: on a blocking socket a call that would wait returns {@link SockResult#blocked()} and
 * the caller retries it after feeding segments or advancing time; on a non-blocking socket it
 * returns EAGAIN (EINPROGRESS for connect) as Linux does.
 */
public final class SocketApi {
  public static final int SHUT_RD = 0;
  public static final int SHUT_WR = 1;
  public static final int SHUT_RDWR = 2;
  public static final int POLLIN = 0x1;
  public static final int POLLOUT = 0x4;
  public static final int POLLERR = 0x8;
  public static final int POLLHUP = 0x10;
  public static final int POLLRDHUP = 0x2000;
  // Linux: SOCK_MIN_RCVBUF/SNDBUF and the sysctl maxima rmem_max = wmem_max = 212992.
  private static final int MIN_RCVBUF = 2304;
  private static final int MIN_SNDBUF = 4608;
  private static final int BUF_MAX = 212992;
  /** Linux: TCP_MSS_DEFAULT, what TCP_MAXSEG reads before a connection exists. */
  private static final int MSS_DEFAULT = 536;

  /** One open socket. */
  private static final class Sock {
    /** Shared with the connection, so options set after connect() or accept() take effect. */
    SocketOptions options;
    boolean nonBlocking;
    int boundPort;
    Listener listener;
    Connection conn;
    boolean connectDone;
    boolean shutRd;
    boolean shutWr;
  }

  private final Stack stack;
  private final Map<Integer, Sock> fds = new HashMap<>();
  private int nextFd = 3;

  public SocketApi(Stack stack) {
    this.stack = stack;
  }

  public Stack stack() {
    return stack;
  }

  /** socket(AF_INET, SOCK_STREAM, IPPROTO_TCP). Linux starts numbering after 0, 1, 2. */
  public int socket() {
    int fd = nextFd++;
    Sock s = new Sock();
    s.options = stack.defaultOptions();
    fds.put(fd, s);
    return fd;
  }

  public SockResult setNonBlocking(int fd, boolean nonBlocking) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    s.nonBlocking = nonBlocking;
    return SockResult.ok(0);
  }

  public SockResult bind(int fd, int addr, int port) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    if (s.boundPort != 0 || s.conn != null) return SockResult.error(Errno.EINVAL);
    if (addr != 0 && addr != stack.localAddr()) return SockResult.error(Errno.EADDRNOTAVAIL);
    if (port != 0 && portTaken(port, s)) return SockResult.error(Errno.EADDRINUSE);
    s.boundPort = port == 0 ? ephemeral() : port;
    return SockResult.ok(0);
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

  public SockResult listen(int fd, int backlog) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    if (s.conn != null) return SockResult.error(Errno.EINVAL);
    if (s.listener != null) return SockResult.ok(0);
    if (s.boundPort == 0) s.boundPort = ephemeral(); // Linux: listen() autobinds.
    Optional<Listener> l = stack.listen(s.boundPort, backlog, s.options);
    if (l.isEmpty()) return SockResult.error(Errno.EADDRINUSE);
    s.listener = l.get();
    return SockResult.ok(0);
  }

  /** accept(): a new fd for the oldest established connection. */
  public SockResult accept(int fd) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    if (s.listener == null) return SockResult.error(Errno.EINVAL);
    Optional<Connection> c = s.listener.accept();
    if (c.isEmpty()) return s.nonBlocking ? SockResult.error(Errno.EAGAIN) : SockResult.blocked();
    int child = socket();
    Sock cs = fds.get(child);
    cs.conn = c.get();
    cs.connectDone = true;
    cs.boundPort = s.boundPort;
    cs.options = c.get().options();
    return SockResult.ok(child);
  }

  /**
   * connect(), Linux's inet_stream_connect: EINPROGRESS on a non-blocking socket, EALREADY while
   * the handshake runs, 0 once it completed (then EISCONN), the pending error if it failed.
   */
  public SockResult connect(int fd, int addr, int port) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    if (s.listener != null) return SockResult.error(Errno.EISCONN);
    if (s.conn == null) {
      Optional<Connection> c = stack.connect(s.boundPort, addr, port, s.options);
      if (c.isEmpty()) return SockResult.error(Errno.EADDRINUSE);
      s.conn = c.get();
      s.boundPort = c.get().tuple().localPort();
      return s.nonBlocking ? SockResult.error(Errno.EINPROGRESS) : progressOfConnect(s);
    }
    if (s.connectDone) return SockResult.error(Errno.EISCONN);
    SockResult r = progressOfConnect(s);
    if (r.wouldBlock() && s.nonBlocking) return SockResult.error(Errno.EALREADY);
    return r;
  }

  private SockResult progressOfConnect(Sock s) {
    Connection c = s.conn;
    if (c.established()) {
      s.connectDone = true;
      return SockResult.ok(0);
    }
    if (c.state() == State.SYN_SENT || c.state() == State.SYN_RECEIVED) return SockResult.blocked();
    s.connectDone = true;
    return SockResult.error(c.takeError().map(SocketApi::errno).orElse(Errno.ECONNABORTED));
  }

  public SockResult write(int fd, byte[] data) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    if (s.shutWr) return SockResult.error(Errno.EPIPE);
    Connection c = s.conn;
    if (c == null) return SockResult.error(Errno.EPIPE);
    Optional<ConnectionError> err = c.takeError();
    if (err.isPresent()) return SockResult.error(errno(err.get()));
    if (c.state() == State.SYN_SENT || c.state() == State.SYN_RECEIVED) {
      // Linux: a write waits for the handshake (sk_stream_wait_connect).
      return s.nonBlocking ? SockResult.error(Errno.EAGAIN) : SockResult.blocked();
    }
    CallResult r = stack.send(c, data, 0, data.length);
    if (!r.ok()) return SockResult.error(Errno.EPIPE);
    if (r.value() == 0 && data.length > 0) return s.nonBlocking ? SockResult.error(Errno.EAGAIN) : SockResult.blocked();
    return SockResult.ok(r.value());
  }

  /** read(): data first, then a pending error once, then 0 at end of stream. */
  public SockResult read(int fd, int count) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    Connection c = s.conn;
    if (c == null) return SockResult.error(Errno.ENOTCONN);
    byte[] buf = new byte[Math.min(count, Math.max(0, c.tcb().receiveBuffer.readable()))];
    int n = stack.read(c, buf, 0, buf.length);
    if (n > 0 || count == 0) return SockResult.read(buf);
    Optional<ConnectionError> err = c.takeError();
    if (err.isPresent()) return SockResult.error(errno(err.get()));
    if (s.shutRd || c.peerFinished() || c.state() == State.CLOSED) return SockResult.read(new byte[0]);
    return s.nonBlocking ? SockResult.error(Errno.EAGAIN) : SockResult.blocked();
  }

  public SockResult shutdown(int fd, int how) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    if (how < SHUT_RD || how > SHUT_RDWR) return SockResult.error(Errno.EINVAL);
    if (s.conn == null || !s.conn.established() && s.conn.state() != State.SYN_RECEIVED) {
      return SockResult.error(Errno.ENOTCONN);
    }
    if (how != SHUT_WR) s.shutRd = true;
    if (how != SHUT_RD && !s.shutWr) {
      s.shutWr = true;
      stack.shutdownWrite(s.conn);
    }
    return SockResult.ok(0);
  }

  public SockResult close(int fd) {
    Sock s = fds.remove(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    if (s.listener != null) stack.closeListener(s.listener);
    if (s.conn != null) stack.close(s.conn);
    return SockResult.ok(0);
  }

  public SockResult setsockopt(int fd, SockOpt opt, int value) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    SocketOptions o = s.options;
    switch (opt) {
      case SO_REUSEADDR -> o.reuseAddr = value != 0;
      case SO_KEEPALIVE -> {
        boolean was = o.keepAlive;
        o.keepAlive = value != 0;
        if (s.conn != null && was != o.keepAlive) stack.keepaliveChanged(s.conn, false);
      }
      case TCP_NODELAY -> o.noDelay = value != 0;
      // Linux doubles the value to account for bookkeeping, within its floor and sysctl ceiling.
      case SO_RCVBUF -> {
        o.rcvBuf = Math.max(MIN_RCVBUF, Math.min(value, BUF_MAX) * 2);
        o.rcvBufLocked = true;
      }
      case SO_SNDBUF -> o.sndBuf = Math.max(MIN_SNDBUF, Math.min(value, BUF_MAX) * 2);
      case TCP_MAXSEG -> {
        // Linux: 0 resets; otherwise TCP_MIN_MSS (88) .. MAX_TCP_WINDOW (32767).
        if (value != 0 && (value < 88 || value > 32767)) return SockResult.error(Errno.EINVAL);
        o.maxSeg = value;
      }
      // Linux: 1..MAX_TCP_KEEPIDLE / MAX_TCP_KEEPINTVL (32767 s), 1..MAX_TCP_KEEPCNT (127).
      case TCP_KEEPIDLE -> {
        if (value < 1 || value > 32767) return SockResult.error(Errno.EINVAL);
        o.keepIdleNanos = value * 1_000_000_000L;
        if (s.conn != null) stack.keepaliveChanged(s.conn, true);
      }
      case TCP_KEEPINTVL -> {
        if (value < 1 || value > 32767) return SockResult.error(Errno.EINVAL);
        o.keepIntervalNanos = value * 1_000_000_000L;
      }
      case TCP_KEEPCNT -> {
        if (value < 1 || value > 127) return SockResult.error(Errno.EINVAL);
        o.keepProbes = value;
      }
      case TCP_QUICKACK -> {
        o.pingpong = value == 0;
        if (value != 0 && s.conn != null) stack.quickAck(s.conn);
      }
      case SO_ERROR -> {
        return SockResult.error(Errno.ENOPROTOOPT);
      }
      case SO_LINGER -> {
        return SockResult.error(Errno.EINVAL); // takes a struct: see setLinger.
      }
    }
    applyBuffers(s);
    return SockResult.ok(0);
  }

  /**
   * SO_RCVTIMEO with its struct timeval: a blocking read that waits this long fails with EAGAIN
   * (the blocking layers enforce it, see {@link #receiveTimeoutNanos}). Linux (sock_set_timeout):
   * microseconds outside 0..999999 are EDOM; a negative time means no timeout.
   */
  public SockResult setReceiveTimeout(int fd, long seconds, long micros) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    if (micros < 0 || micros >= 1_000_000) return SockResult.error(Errno.EDOM);
    s.options.rcvTimeoutNanos = seconds < 0 ? 0 : seconds * 1_000_000_000L + micros * 1_000;
    return SockResult.ok(0);
  }

  /** SO_RCVTIMEO of {@code fd} in nanoseconds; 0 (also for an unknown fd) means no timeout. */
  public long receiveTimeoutNanos(int fd) {
    Sock s = fds.get(fd);
    return s == null ? 0 : s.options.rcvTimeoutNanos;
  }

  public SockResult setLinger(int fd, boolean on, int seconds) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    s.options.lingerOn = on;
    s.options.lingerSeconds = Math.max(0, seconds);
    return SockResult.ok(0);
  }

  private static void applyBuffers(Sock s) {
    if (s.conn != null) {
      s.conn.tcb().receiveBuffer.resize(s.options.rcvBuf);
      s.conn.tcb().sendBuffer.resize(s.options.sndBuf);
    }
  }

  public SockResult getsockopt(int fd, SockOpt opt) {
    Sock s = fds.get(fd);
    if (s == null) return SockResult.error(Errno.EBADF);
    SocketOptions o = s.options;
    long v = switch (opt) {
      case SO_REUSEADDR -> o.reuseAddr ? 1 : 0;
      case SO_KEEPALIVE -> o.keepAlive ? 1 : 0;
      case TCP_NODELAY -> o.noDelay ? 1 : 0;
      case SO_RCVBUF -> o.rcvBuf;
      case SO_SNDBUF -> o.sndBuf;
      case TCP_MAXSEG -> s.conn != null && s.conn.established() ? s.conn.tcb().sndMss
          : (o.maxSeg != 0 ? o.maxSeg : MSS_DEFAULT);
      case SO_ERROR -> s.conn == null ? 0 : s.conn.takeError().map(e -> (long) errno(e).value()).orElse(0L);
      case SO_LINGER -> o.lingerOn ? o.lingerSeconds : 0;
      case TCP_KEEPIDLE -> o.keepIdleNanos / 1_000_000_000L;
      case TCP_KEEPINTVL -> o.keepIntervalNanos / 1_000_000_000L;
      case TCP_KEEPCNT -> o.keepProbes;
      case TCP_QUICKACK -> o.pingpong ? 0 : 1;
    };
    return SockResult.ok(v);
  }

  /** poll() revents for one fd, as Linux's tcp_poll computes them. */
  public int poll(int fd, int events) {
    Sock s = fds.get(fd);
    if (s == null) return 0x20; // POLLNVAL
    int r = 0;
    if (s.listener != null) {
      if (s.listener.acceptable()) r |= POLLIN;
      return r & (events | POLLERR | POLLHUP);
    }
    Connection c = s.conn;
    if (c == null) return (POLLOUT | POLLHUP) & (events | POLLHUP);
    State st = c.state();
    if (c.error().isPresent()) r |= POLLERR;
    if (st == State.CLOSED || (s.shutWr && c.peerFinished())) r |= POLLHUP;
    if (c.peerFinished() || s.shutRd) r |= POLLIN | POLLRDHUP;
    if (st != State.SYN_SENT && st != State.SYN_RECEIVED) {
      if (c.tcb().receiveBuffer.readable() > 0) r |= POLLIN;
      if (!s.shutWr && c.tcb().sendBuffer.free() > 0) r |= POLLOUT;
      if (s.shutWr) r |= POLLOUT;
    }
    return r & (events | POLLERR | POLLHUP);
  }

  /** A TCP_INFO-like snapshot; empty when the fd has no connection. */
  public Optional<TcpInfo> tcpInfo(int fd) {
    Sock s = fds.get(fd);
    if (s == null) return Optional.empty();
    if (s.listener != null) {
      return Optional.of(new TcpInfo(10, 0, 0, 0, MSS_DEFAULT, 10, 0, 0, 0, 0, 0, 0, 0));
    }
    if (s.conn == null) return Optional.empty();
    Connection c = s.conn;
    Tcb t = c.tcb();
    int options = (t.tsOk ? TcpInfo.TCPI_OPT_TIMESTAMPS : 0) | (t.sackOk ? TcpInfo.TCPI_OPT_SACK : 0)
        | (t.wscaleOk ? TcpInfo.TCPI_OPT_WSCALE : 0);
    return Optional.of(new TcpInfo(linuxState(c.state()), t.rtt.rtoNanos() / 1000, t.rtt.srttNanos() / 1000,
        t.rtt.rttvarNanos() / 1000, t.sndMss, c.cwnd() / Math.max(1, t.sndMss), t.inFlight(), c.retransmits(),
        t.sndWscale, t.rcvWscale, t.sndWnd, t.rcvWnd(), options));
  }

  /** Linux's enum of TCP states (include/net/tcp_states.h). */
  static int linuxState(State s) {
    return switch (s) {
      case ESTABLISHED -> 1;
      case SYN_SENT -> 2;
      case SYN_RECEIVED -> 3;
      case FIN_WAIT_1 -> 4;
      case FIN_WAIT_2 -> 5;
      case TIME_WAIT -> 6;
      case CLOSED -> 7;
      case CLOSE_WAIT -> 8;
      case LAST_ACK -> 9;
      case LISTEN -> 10;
      case CLOSING -> 11;
    };
  }

  static Errno errno(ConnectionError e) {
    return switch (e) {
      case REFUSED -> Errno.ECONNREFUSED;
      case RESET -> Errno.ECONNRESET;
      case TIMED_OUT -> Errno.ETIMEDOUT;
    };
  }
}
