package org.tcpspec.socket;

import static org.tcpspec.abi.Symbol.POLLNVAL;
import static org.tcpspec.abi.Symbol.SHUT_RD;
import static org.tcpspec.abi.Symbol.SHUT_RDWR;
import static org.tcpspec.abi.Symbol.SHUT_WR;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
import org.tcpspec.stack.TxTimestamps;

/**
 * Berkeley sockets over one {@link Stack}, with Linux's errno values and option semantics. Calls
 * never wait. A call that cannot complete now returns -1 EAGAIN, on a blocking socket too: that is
 * how Linux's inner functions answer when the socket's timeout is 0 (tcp_recvmsg, inet_csk_accept,
 * sk_stream_wait_memory), and here the caller does what sk_wait_event does for a blocking socket:
 * it retries the call after feeding segments or advancing time. A non-blocking socket gets the
 * EAGAIN (EINPROGRESS, then EALREADY, for connect) as its result, as on Linux; a blocking socket
 * never gets EAGAIN for any other reason.
 *
 * <p>This class holds the file descriptors ({@link Sock}, epoll instances), finds the socket of
 * each call (EBADF for none) and makes and ends sockets (socket, accept, shutdown, close); bind,
 * listen, connect and its AF_UNSPEC disconnect are {@link SocketConnectCalls}', send and the Fast
 * Open send {@link SocketSendCalls}', read, recv and the error queue {@link SocketReceiveCalls}',
 * setsockopt, getsockopt and TCP_INFO {@link SocketOptionCalls}', poll()'s readiness {@link
 * TcpPoll}'s.
 */
public final class SocketApi {
  private final Stack stack;
  private final SocketOptionCalls optionCalls;
  private final SocketConnectCalls connectCalls;
  private final SocketSendCalls sendCalls;
  private final SocketReceiveCalls receiveCalls;
  private final TcpPoll tcpPoll;
  private final Map<Integer, Sock> fds = new HashMap<>();
  /** epoll instances, numbered with the sockets. */
  private final Map<Integer, Epoll> epolls = new HashMap<>();
  private int nextFd = 3;

  public SocketApi(Stack stack) {
    this.stack = stack;
    this.optionCalls = new SocketOptionCalls(stack);
    this.connectCalls = new SocketConnectCalls(stack, fds);
    this.sendCalls = new SocketSendCalls(stack);
    this.receiveCalls = new SocketReceiveCalls(stack);
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
   * that carries what it may of {@code data} (see {@link SocketSendCalls#sendFastOpen}).
   */
  public SysResult<Void> sendFastOpen(int fd, IpAddress addr, int port, byte[] data, int flags) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : sendCalls.sendFastOpen(s, addr, port, data, flags);
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
    return s == null ? SysResult.error(Errno.EBADF) : sendCalls.send(s, data, off, len, flags);
  }

  /**
   * recv(): read() unless {@code flags} has MSG_OOB, which reads the out-of-band octet instead
   * (see {@link SocketReceiveCalls#recv}).
   */
  public SysResult<byte[]> recv(int fd, int count, int flags) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : receiveCalls.recv(s, count, flags);
  }

  /** read(): data first (the bytes read are the result's out), then a pending error once, then 0 at end of stream. */
  public SysResult<byte[]> read(int fd, int count) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : receiveCalls.read(s, count);
  }

  /**
   * read() into {@code dst[off, off + len)}: the count read is the result's value, 0 at end of
   * stream; a pending error once; EAGAIN when nothing is readable yet.
   */
  public SysResult<Void> read(int fd, byte[] dst, int off, int len) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : receiveCalls.read(s, dst, off, len);
  }

  /** recvmsg(MSG_ERRQUEUE) of a MSG_ZEROCOPY completion (see {@link SocketReceiveCalls#readZerocopyNotification}). */
  public SysResult<int[]> readZerocopyNotification(int fd) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : receiveCalls.readZerocopyNotification(s);
  }

  /** recvmsg(MSG_ERRQUEUE) of a transmit timestamp (see {@link SocketReceiveCalls#readTxTimestamp}). */
  public SysResult<TxTimestamps.Stamp> readTxTimestamp(int fd) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : receiveCalls.readTxTimestamp(s);
  }

  /** ioctl(2) with an int out ({@link TcpIoctl}): SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, SIOCATMARK. */
  public SysResult<Integer> ioctl(int fd, long request) {
    Sock s = fds.get(fd);
    return s == null ? SysResult.error(Errno.EBADF) : TcpIoctl.ioctl(s, request);
  }

  /** TCP_INQ's hint after a read (see {@link SocketReceiveCalls#inqHint}); empty for an unknown fd. */
  public Optional<Integer> inqHint(int fd) {
    Sock s = fds.get(fd);
    return s == null ? Optional.empty() : receiveCalls.inqHint(s);
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

  /** getsockopt(TCP_INFO): struct tcp_info of a listener or connection; empty for a bare socket. */
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
