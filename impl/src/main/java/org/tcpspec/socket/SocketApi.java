package org.tcpspec.socket;

import static org.tcpspec.abi.Symbol.MSG_DONTWAIT;
import static org.tcpspec.abi.Symbol.MSG_EOR;
import static org.tcpspec.abi.Symbol.MSG_FASTOPEN;
import static org.tcpspec.abi.Symbol.MSG_MORE;
import static org.tcpspec.abi.Symbol.MSG_OOB;
import static org.tcpspec.abi.Symbol.MSG_PEEK;
import static org.tcpspec.abi.Symbol.MSG_ZEROCOPY;
import static org.tcpspec.abi.Symbol.POLLNVAL;
import static org.tcpspec.abi.Symbol.SHUT_RD;
import static org.tcpspec.abi.Symbol.SHUT_RDWR;
import static org.tcpspec.abi.Symbol.SHUT_WR;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.fsm.State;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.ConnectionError;
import org.tcpspec.stack.ConnectionInfo;
import org.tcpspec.stack.Stack;
import org.tcpspec.stack.StackConfig;
import org.tcpspec.stack.TxTimestamps;
import org.tcpspec.wire.SeqNum;

/**
 * Berkeley sockets over one {@link Stack}, with Linux's errno values and option semantics. Calls
 * never wait. A call that cannot complete now returns -1 EAGAIN, on a blocking socket too: that is
 * how Linux's inner functions answer when the socket's timeout is 0 (tcp_recvmsg, inet_csk_accept,
 * sk_stream_wait_memory), and here the caller does what sk_wait_event does for a blocking socket:
 * it retries the call after feeding segments or advancing time. A non-blocking socket gets the
 * EAGAIN (EINPROGRESS, then EALREADY, for connect) as its result, as on Linux; a blocking socket
 * never gets EAGAIN for any other reason.
 *
 * <p>This class holds the file descriptors ({@link Sock}) and the calls that move data and
 * connections; bind, listen, connect and its AF_UNSPEC disconnect are {@link SocketConnectCalls}',
 * setsockopt, getsockopt and TCP_INFO are {@link SocketOptionCalls}', poll()'s
 * readiness is {@link TcpPoll}'s.
 */
public final class SocketApi {
  private final Stack stack;
  private final SocketOptionCalls optionCalls;
  private final SocketConnectCalls connectCalls;
  private final TcpPoll tcpPoll;
  private final Map<Integer, Sock> fds = new HashMap<>();
  /** epoll instances, numbered with the sockets. */
  private final Map<Integer, Epoll> epolls = new HashMap<>();
  private int nextFd = 3;

  public SocketApi(Stack stack) {
    this.stack = stack;
    this.optionCalls = new SocketOptionCalls(stack);
    this.connectCalls = new SocketConnectCalls(stack, fds);
    this.tcpPoll = new TcpPoll();
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

  public SysResult<Void> setNonBlocking(int fd, boolean nonBlocking) {
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    s.nonBlocking = nonBlocking;
    return SysResult.ok(0);
  }

  /** O_NONBLOCK of {@code fd}; false for an unknown fd. */
  public boolean nonBlocking(int fd) {
    Sock s = fds.get(fd);
    return s != null && s.nonBlocking;
  }

  /** bind() to an IPv4 address (a big-endian int; 0 is INADDR_ANY). */
  public SysResult<Void> bind(int fd, int addr, int port) {
    return bind(fd, IpAddress.ipv4(addr), port);
  }

  /**
   * bind() to an address of either family: the wildcard of its family (0.0.0.0 or ::) or one of
   * the stack's addresses, else EADDRNOTAVAIL (see {@link SocketConnectCalls#bind}).
   */
  public SysResult<Void> bind(int fd, IpAddress addr, int port) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : connectCalls.bind(s, addr, port);
  }

  public SysResult<Void> listen(int fd, int backlog) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : connectCalls.listen(s, backlog);
  }

  /** accept(): a new fd for the oldest established connection. */
  public SysResult<Void> accept(int fd) {
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    if (s.listener == null) return SysResult.error(Errno.EINVAL);
    Optional<Connection> c = s.listener.accept();
    if (c.isEmpty()) return SysResult.error(Errno.EAGAIN);
    int child = socket();
    Sock cs = fds.get(child);
    cs.conn = c.get();
    cs.connectDone = true;
    cs.boundPort = s.boundPort;
    cs.bindPortLock = s.bindPortLock; // sk_clone_lock copies sk_userlocks
    cs.options = c.get().options();
    return SysResult.ok(child);
  }

  /**
   * connect(), Linux's inet_stream_connect: EINPROGRESS on a non-blocking socket, EALREADY while
   * the handshake runs, 0 once it completed (then EISCONN), the pending error if it failed.
   */
  public SysResult<Void> connect(int fd, int addr, int port) {
    return connect(fd, IpAddress.ipv4(addr), port);
  }

  /** connect() to an address of either family; ENETUNREACH for IPv6 when the stack has no IPv6 address. */
  public SysResult<Void> connect(int fd, IpAddress addr, int port) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : connectCalls.connect(s, addr, port);
  }

  /** connect() to AF_UNSPEC: Linux's tcp_disconnect (see {@link SocketConnectCalls#disconnect}). */
  public SysResult<Void> disconnect(int fd) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : connectCalls.disconnect(s);
  }

  public SysResult<Void> write(int fd, byte[] data) {
    return send(fd, data, 0);
  }

  /**
   * sendto() with MSG_FASTOPEN (RFC 7413 §4.2.1, Linux tcp_sendmsg_fastopen): connects with a SYN
   * that carries what it may of {@code data}. Non-blocking: the bytes the SYN carried, or
   * EINPROGRESS when it carried none (a cookie request); blocking: once the handshake completes,
   * the rest is written too and the call returns the total. EOPNOTSUPP without tcp_fastopen's
   * client bit.
   */
  public SysResult<Void> sendFastOpen(int fd, IpAddress addr, int port, byte[] data, int flags) {
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    if ((stack.config().tcpFastopen() & StackConfig.TFO_CLIENT_ENABLE) == 0) return SysResult.error(Errno.EOPNOTSUPP);
    if (s.fastOpenRest != null) return fastOpenSendProgress(s, flags);
    // Linux: on a connected socket MSG_FASTOPEN is ignored and the data is sent as by send().
    if (s.conn != null && s.conn.established()) return send(fd, data, flags & ~MSG_FASTOPEN.value());
    if (s.conn != null) return SysResult.error(Errno.EALREADY);
    if (s.listener != null) return SysResult.error(Errno.EPIPE);
    if (!addr.isIpv4() && stack.ipv6Address().isEmpty()) return SysResult.error(Errno.ENETUNREACH);
    Optional<Connection> c = stack.connectFastOpen(s.boundPort, addr, port, s.options, data);
    if (c.isEmpty()) return SysResult.error(Errno.EADDRINUSE);
    s.conn = c.get();
    s.boundPort = c.get().tuple().localPort();
    s.deferredAddr = null;
    int carried = stack.fastOpenSynData(s.conn);
    // Linux tcp_sendmsg_locked: a zerocopy send whose SYN carried data takes a notification id;
    // a cookie request (nothing carried) does not.
    if (carried > 0 && s.options.zerocopy && (flags & MSG_ZEROCOPY.value()) != 0) {
      s.zerocopyDone.sent(SeqNum.plus(s.conn.tcb().iss, 1 + carried));
    }
    if (s.nonBlocking || (flags & MSG_DONTWAIT.value()) != 0) {
      return carried > 0 ? SysResult.ok(carried) : SysResult.error(Errno.EINPROGRESS);
    }
    s.fastOpenSent = carried;
    s.fastOpenRest = java.util.Arrays.copyOfRange(data, carried, data.length);
    // Linux inet_wait_for_connect: the wait counts as a pending write (writebias) while data is
    // left over, tcp_send_syn_data clearing fastopen_req->data when the SYN took it all.
    if (s.fastOpenRest.length > 0) s.conn.writePending(true);
    return fastOpenSendProgress(s, flags);
  }

  /** A blocking Fast Open send: EAGAIN while the handshake runs, then the rest written, or the error. */
  private SysResult<Void> fastOpenSendProgress(Sock s, int flags) {
    Connection c = s.conn;
    if (c.state() == State.SYN_SENT || c.state() == State.SYN_RECEIVED) return SysResult.error(Errno.EAGAIN);
    byte[] rest = s.fastOpenRest;
    int sent = s.fastOpenSent;
    s.fastOpenRest = null;
    c.writePending(false);
    s.connectDone = true;
    if (!c.established()) return SysResult.error(c.takeError().map(SocketApi::errno).orElse(Errno.ECONNABORTED));
    if (rest.length == 0) return SysResult.ok(sent);
    int n = stack.send(c, rest, 0, rest.length, (flags & MSG_EOR.value()) != 0, (flags & MSG_MORE.value()) != 0);
    // Linux: the SYN-ACK found this write pending, so it set the ACK timeout to 40 ms
    // (tcp_rcv_synsent_state_process, tcp_enter_quickack_mode), and data sent within it of the
    // SYN-ACK is a reply: pingpong mode, later ACKs delayed (tcp_event_data_sent).
    if (n > 0) s.options.pingpong = true;
    return SysResult.ok(sent + Math.max(0, n));
  }

  /** send(): write() with flags; MSG_EOR ends a record (no segment crosses its end). */
  public SysResult<Void> send(int fd, byte[] data, int flags) {
    return send(fd, data, 0, data.length, flags);
  }

  /**
   * {@link #send(int, byte[], int)} of {@code data[off, off + len)}, taken from the caller's array
   * as it is (no copy of the whole write first).
   */
  public SysResult<Void> send(int fd, byte[] data, int off, int len, int flags) {
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    if (s.shutWr) return SysResult.error(Errno.EPIPE);
    // The first write after a deferred TCP_FASTOPEN_CONNECT connect() sends SYN and data.
    if (s.conn == null && s.deferredAddr != null) {
      return sendFastOpen(fd, s.deferredAddr, s.deferredPort, java.util.Arrays.copyOfRange(data, off, off + len), flags);
    }
    if (s.fastOpenRest != null) return fastOpenSendProgress(s, flags);
    Connection c = s.conn;
    if (c == null) return SysResult.error(Errno.EPIPE);
    Optional<ConnectionError> err = c.takeError();
    if (err.isPresent()) return SysResult.error(errno(err.get()));
    if (c.state() == State.SYN_SENT || c.state() == State.SYN_RECEIVED && !c.fastOpenChild()) {
      // Linux: a write waits for the handshake (sk_stream_wait_connect), except on a Fast Open
      // child (tcp_passive_fastopen), which may send in SYN-RECEIVED.
      return SysResult.error(Errno.EAGAIN);
    }
    int n = stack.send(c, data, off, len, (flags & MSG_EOR.value()) != 0, (flags & MSG_MORE.value()) != 0,
        (flags & MSG_OOB.value()) != 0);
    if (n > 0 && s.options.zerocopy && (flags & MSG_ZEROCOPY.value()) != 0) {
      s.zerocopyDone.sent(SeqNum.plus(c.tcb().sndUna, c.tcb().sendBuffer.size()));
    }
    // Linux tcp_sendmsg_locked: a state that refuses SEND (after shutdown or close) is EPIPE.
    if (n < 0) return SysResult.error(Errno.EPIPE);
    if (n == 0 && len > 0) return SysResult.error(Errno.EAGAIN);
    return SysResult.ok(n);
  }

  /**
   * recv(): read() unless {@code flags} has MSG_OOB, which reads the out-of-band octet instead
   * (RFC 9293 §3.8.5 MUST-33, Linux tcp_recv_urg without SO_OOBINLINE): EINVAL when no urgent data
   * is pending or its octet was read, the octet (once, unless MSG_PEEK), else 0 after the peer's
   * FIN or EAGAIN, never blocking.
   */
  public SysResult<byte[]> recv(int fd, int count, int flags) {
    if ((flags & MSG_OOB.value()) == 0) return read(fd, count);
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    Connection c = s.conn;
    if (c == null) return SysResult.error(Errno.ENOTCONN);
    if (s.options.oobInline) return SysResult.error(Errno.EINVAL);
    OptionalInt octet = c.readUrgent((flags & MSG_PEEK.value()) != 0);
    if (octet.isPresent()) {
      return count > 0 ? SysResult.ok(1, new byte[] {(byte) octet.getAsInt()}) : SysResult.ok(0, new byte[0]);
    }
    if (!c.urgentAnnounced()) return SysResult.error(Errno.EINVAL);
    if (s.shutRd || c.peerFinished() || c.state() == State.CLOSED) return SysResult.ok(0, new byte[0]);
    return SysResult.error(Errno.EAGAIN);
  }

  /** read(): data first (the bytes read are the result's out), then a pending error once, then 0 at end of stream. */
  public SysResult<byte[]> read(int fd, int count) {
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    // Linux: a deferred Fast Open connect left the socket in SYN-SENT, where tcp_recvmsg has
    // nothing yet (EAGAIN), not a closed socket's ENOTCONN.
    if (s.conn == null && s.deferredAddr != null) return SysResult.error(Errno.EAGAIN);
    Connection c = s.conn;
    if (c == null) return SysResult.error(Errno.ENOTCONN);
    byte[] buf = new byte[Math.min(count, Math.max(0, c.tcb().receiveBuffer.readable()))];
    SysResult<Void> r = read(s, c, buf, 0, buf.length, count);
    if (!r.succeeded()) return SysResult.error(r.errno());
    return SysResult.ok(r.value(), r.value() == buf.length ? buf : java.util.Arrays.copyOf(buf, (int) r.value()));
  }

  /**
   * read() into {@code dst[off, off + len)}: the count read is the result's value, 0 at end of
   * stream; a pending error once; EAGAIN when nothing is readable yet.
   */
  public SysResult<Void> read(int fd, byte[] dst, int off, int len) {
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    Connection c = s.conn;
    if (c == null) return SysResult.error(Errno.ENOTCONN);
    return read(s, c, dst, off, len, len);
  }

  /** Reads up to {@code len} bytes into {@code dst}; {@code requested} is what the caller asked for (0: nothing). */
  private SysResult<Void> read(Sock s, Connection c, byte[] dst, int off, int len, int requested) {
    int n = stack.read(c, dst, off, len);
    if (n > 0 || requested == 0) return SysResult.ok(n);
    Optional<ConnectionError> err = c.takeError();
    if (err.isPresent()) return SysResult.error(errno(err.get()));
    if (s.shutRd || c.peerFinished() || c.state() == State.CLOSED) return SysResult.ok(0);
    return SysResult.error(Errno.EAGAIN);
  }

  /**
   * recvmsg(MSG_ERRQUEUE) of a MSG_ZEROCOPY completion: the range of send ids done, {lo, hi}, or
   * EAGAIN when none waits (Linux sock_recv_errqueue).
   */
  public SysResult<int[]> readZerocopyNotification(int fd) {
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    if (s.conn == null) return SysResult.error(Errno.EAGAIN);
    ZerocopyNotifications.Range r = s.zerocopyDone.take(s.conn.tcb().sndUna);
    return r == null ? SysResult.error(Errno.EAGAIN) : SysResult.ok(0, new int[] {r.lo(), r.hi()});
  }

  /**
   * recvmsg(MSG_ERRQUEUE) of an SO_TIMESTAMPING transmit timestamp: the oldest, taken off the
   * queue, or EAGAIN when none waits (Linux sock_recv_errqueue). Read before the zerocopy
   * completions, which are counted when read (see {@link ZerocopyNotifications}).
   */
  public SysResult<TxTimestamps.Stamp> readTxTimestamp(int fd) {
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    if (s.conn == null) return SysResult.error(Errno.EAGAIN);
    return s.conn.txTimestamps().take().map(t -> SysResult.ok(0, t)).orElse(SysResult.error(Errno.EAGAIN));
  }

  /** ioctl(2) with an int out ({@link TcpIoctl}): SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, SIOCATMARK. */
  public SysResult<Integer> ioctl(int fd, long request) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : TcpIoctl.ioctl(s, request);
  }

  /**
   * TCP_INQ's hint after a read, when the option is on: the bytes still to read, 1 at the end of
   * the stream with none left (Linux tcp_inq_hint); empty when the option is off.
   */
  public Optional<Integer> inqHint(int fd) {
    Sock s = fds.get(fd);
    if (s == null || !s.options.inq || s.conn == null) return Optional.empty();
    int left = Math.max(0, s.conn.tcb().receiveBuffer.readable());
    return Optional.of(left == 0 && s.conn.peerFinished() ? 1 : left);
  }

  public SysResult<Void> shutdown(int fd, int how) {
    Sock s = fds.get(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    if (how < SHUT_RD.value() || how > SHUT_RDWR.value()) return SysResult.error(Errno.EINVAL);
    // Linux inet_shutdown: a socket in TCP_CLOSE (reset, or its connection over) is ENOTCONN.
    if (s.conn == null || s.conn.state() == State.CLOSED
        || !s.conn.established() && s.conn.state() != State.SYN_RECEIVED) {
      return SysResult.error(Errno.ENOTCONN);
    }
    if (how != SHUT_WR.value()) {
      s.shutRd = true;
      stack.shutdownRead(s.conn);
    }
    if (how != SHUT_RD.value() && !s.shutWr) {
      s.shutWr = true;
      stack.shutdownWrite(s.conn);
    }
    return SysResult.ok(0);
  }

  public SysResult<Void> close(int fd) {
    if (epolls.remove(fd) != null) return SysResult.ok(0);
    Sock s = fds.remove(fd);
    if (s == null) return SysResult.error(Errno.EBADF);
    for (Epoll e : epolls.values()) e.closed(fd);
    if (s.listener != null) stack.closeListener(s.listener);
    if (s.conn != null) stack.close(s.conn);
    return SysResult.ok(0);
  }

  /** setsockopt of an int option; an option the stack does not have is ENOPROTOOPT, as Linux's unknown ones. */
  public SysResult<Void> setsockopt(int fd, Symbol opt, int value) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : optionCalls.set(s, opt, value);
  }

  /**
   * TCP_FASTOPEN_KEY: the socket's own Fast Open key, 16 bytes, or 32 for a primary and a backup
   * (Linux do_tcp_setsockopt, tcp_fastopen_reset_cipher); any other length is EINVAL.
   */
  public SysResult<Void> setFastOpenKey(int fd, byte[] key) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : optionCalls.setFastOpenKey(s, key);
  }

  /**
   * getsockopt(TCP_FASTOPEN_KEY) with a buffer of {@code optlen} bytes: the socket's own keys as
   * they were set, primary first, cut to the buffer; none (0 bytes) when only the stack's key
   * applies (Linux do_tcp_getsockopt, tcp_fastopen_get_cipher of the socket's context alone).
   */
  public SysResult<byte[]> getFastOpenKey(int fd, int optlen) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : optionCalls.getFastOpenKey(s, optlen);
  }

  /**
   * SO_RCVTIMEO with its struct timeval: a blocking read that waits this long fails with EAGAIN
   * (the blocking layers enforce it, see {@link #receiveTimeoutNanos}). Linux (sock_set_timeout):
   * microseconds outside 0..999999 are EDOM; a negative time means no timeout.
   */
  public SysResult<Void> setReceiveTimeout(int fd, long seconds, long micros) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : optionCalls.setReceiveTimeout(s, seconds, micros);
  }

  /** SO_RCVTIMEO of {@code fd} in nanoseconds; 0 (also for an unknown fd) means no timeout. */
  public long receiveTimeoutNanos(int fd) {
    Sock s = fds.get(fd);
    return s == null ? 0 : s.options.rcvTimeoutNanos;
  }

  /** SO_LINGER with its struct linger: l_onoff and l_linger (a negative l_linger counts as 0). */
  public SysResult<Void> setLinger(int fd, boolean on, int seconds) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : optionCalls.setLinger(s, on, seconds);
  }

  /** getsockopt of an int option: 0, with the option's value as the result's out. */
  public SysResult<Integer> getsockopt(int fd, Symbol opt) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : optionCalls.get(s, opt);
  }

  /** poll() revents for one fd, as Linux's tcp_poll computes them. */
  public int poll(int fd, int events) {
    Sock s = fds.get(fd);
    return s == null ? POLLNVAL.value() : tcpPoll.revents(s, events);
  }

  /** epoll_create(size): a new epoll instance's fd; EINVAL when {@code size} is not positive (Linux ignores it otherwise). */
  public SysResult<Void> epollCreate(int size) {
    if (size <= 0) return SysResult.error(Errno.EINVAL);
    int fd = nextFd++;
    epolls.put(fd, new Epoll(tcpPoll));
    return SysResult.ok(fd);
  }

  /** Whether {@code fd} is an epoll instance. */
  public boolean isEpoll(int fd) {
    return epolls.containsKey(fd);
  }

  /**
   * epoll_ctl(epfd, op, fd, {events, data}) on a socket (see {@link Epoll}): EBADF for an fd not
   * open, EINVAL when epfd is no epoll instance or is fd itself (do_epoll_ctl), else the
   * instance's answer.
   */
  public SysResult<Void> epollCtl(int epfd, int op, int fd, int events, long data) {
    Epoll e = epolls.get(epfd);
    if (e == null && !fds.containsKey(epfd)) return SysResult.error(Errno.EBADF);
    Sock s = fds.get(fd);
    if (s == null && !epolls.containsKey(fd)) return SysResult.error(Errno.EBADF);
    if (e == null || fd == epfd || s == null) return SysResult.error(Errno.EINVAL);
    return e.ctl(op, fd, s, events, data);
  }

  /**
   * epoll_wait(epfd, events, maxEvents, 0): how many events are ready now, with the first one's
   * events and data as the out ({events, data}); 0 when none. EBADF, EINVAL for a bad epfd or
   * maxEvents (ep_check_params). The caller waits and asks again for a timeout.
   */
  public SysResult<long[]> epollWait(int epfd, int maxEvents) {
    Epoll e = epolls.get(epfd);
    if (e == null) return SysResult.error(fds.containsKey(epfd) ? Errno.EINVAL : Errno.EBADF);
    if (maxEvents <= 0) return SysResult.error(Errno.EINVAL);
    Epoll.Reported r = e.take(maxEvents);
    return SysResult.ok(r.count(), new long[] {r.events() & 0xFFFF_FFFFL, r.data()});
  }

  /** getsockopt(TCP_INFO): struct tcp_info of a listener or connection; empty for a bare socket. */
  /**
   * getsockopt(SO_MEMINFO)'s leading counters, in the kernel's order (sk_get_meminfo), those the
   * stack keeps: SK_MEMINFO_RMEM_ALLOC (the truesize of the text held, read or not) and
   * SK_MEMINFO_RCVBUF; empty for an unknown descriptor.
   */
  public Optional<long[]> memInfo(int fd) {
    Sock s = fds.get(fd);
    if (s == null) return Optional.empty();
    return Optional.of(s.conn != null && s.listener == null
        ? ConnectionInfo.memInfo(s.conn) : new long[] {0, s.options.rcvBuf});
  }

  public Optional<TcpInfo> tcpInfo(int fd) {
    Sock s = fds.get(fd);
    return s == null ? Optional.empty() : SocketOptionCalls.tcpInfo(s);
  }

  static Errno errno(ConnectionError e) {
    return switch (e) {
      case REFUSED -> Errno.ECONNREFUSED;
      case RESET -> Errno.ECONNRESET;
      case TIMED_OUT -> Errno.ETIMEDOUT;
      // Linux's icmp_err_convert and icmpv6_err_convert.
      case NET_UNREACHABLE -> Errno.ENETUNREACH;
      case HOST_UNREACHABLE -> Errno.EHOSTUNREACH;
      case PROTOCOL_UNREACHABLE -> Errno.ENOPROTOOPT;
      case SOURCE_ROUTE_FAILED -> Errno.EOPNOTSUPP;
      case HOST_DOWN -> Errno.EHOSTDOWN;
      case HOST_ISOLATED -> Errno.ENONET;
      case PROHIBITED -> Errno.EACCES;
      case PROTOCOL_ERROR -> Errno.EPROTO;
    };
  }
}
