package org.tcpspec.socket;

import static org.tcpspec.abi.Symbol.MSG_OOB;
import static org.tcpspec.abi.Symbol.MSG_PEEK;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.fsm.State;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.ConnectionError;
import org.tcpspec.stack.Stack;
import org.tcpspec.stack.TxTimestamps;

/**
 * The calls that read: read() and recv() (with MSG_OOB the urgent octet, Linux tcp_recv_urg),
 * recvmsg(MSG_ERRQUEUE) of MSG_ZEROCOPY completions and SO_TIMESTAMPING transmit timestamps (Linux
 * sock_recv_errqueue), and TCP_INQ's hint after a read (tcp_inq_hint). {@link SocketApi} finds
 * the {@link Sock}.
 */
final class SocketReceiveCalls {
  private final Stack stack;

  SocketReceiveCalls(Stack stack) {
    this.stack = stack;
  }

  /**
   * {@link SocketApi#recv} on an open socket: read() unless {@code flags} has MSG_OOB, which reads
   * the out-of-band octet instead (RFC 9293 §3.8.5 MUST-33, Linux tcp_recv_urg without
   * SO_OOBINLINE): EINVAL when no urgent data is pending or its octet was read, the octet (once,
   * unless MSG_PEEK), else 0 after the peer's FIN or EAGAIN, never blocking.
   */
  SysResult<byte[]> recv(Sock s, int count, int flags) {
    if ((flags & MSG_OOB.value()) == 0) return read(s, count);
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

  /** {@link SocketApi#read(int, int)} on an open socket: data first, then a pending error once, then 0 at end of stream. */
  SysResult<byte[]> read(Sock s, int count) {
    // Linux: a deferred Fast Open connect left the socket in SYN-SENT, where tcp_recvmsg has
    // nothing yet (EAGAIN), not a closed socket's ENOTCONN.
    if (s.conn == null && s.deferredAddr != null) return SysResult.error(Errno.EAGAIN);
    Connection c = s.conn;
    if (c == null) return SysResult.error(Errno.ENOTCONN);
    byte[] buf = new byte[Math.min(count, Math.max(0, c.tcb().receiveBuffer.readable()))];
    SysResult<Void> r = read(s, c, buf, 0, buf.length, count);
    if (!r.succeeded()) return SysResult.error(r.errno());
    return SysResult.ok(r.value(), r.value() == buf.length ? buf : Arrays.copyOf(buf, (int) r.value()));
  }

  /** {@link SocketApi#read(int, byte[], int, int)} on an open socket: into {@code dst[off, off + len)}. */
  SysResult<Void> read(Sock s, byte[] dst, int off, int len) {
    Connection c = s.conn;
    if (c == null) return SysResult.error(Errno.ENOTCONN);
    return read(s, c, dst, off, len, len);
  }

  /** Reads up to {@code len} bytes into {@code dst}; {@code requested} is what the caller asked for (0: nothing). */
  private SysResult<Void> read(Sock s, Connection c, byte[] dst, int off, int len, int requested) {
    int n = stack.read(c, dst, off, len);
    if (n > 0 || requested == 0) return SysResult.ok(n);
    Optional<ConnectionError> err = c.takeError();
    if (err.isPresent()) return SysResult.error(SocketApi.errno(err.get()));
    if (s.shutRd || c.peerFinished() || c.state() == State.CLOSED) return SysResult.ok(0);
    return SysResult.error(Errno.EAGAIN);
  }

  /**
   * recvmsg(MSG_ERRQUEUE) of a MSG_ZEROCOPY completion: the range of send ids done, {lo, hi}, or
   * EAGAIN when none waits (Linux sock_recv_errqueue).
   */
  SysResult<int[]> readZerocopyNotification(Sock s) {
    if (s.conn == null) return SysResult.error(Errno.EAGAIN);
    ZerocopyNotifications.Range r = s.zerocopyDone.take(s.conn.tcb().sndUna);
    return r == null ? SysResult.error(Errno.EAGAIN) : SysResult.ok(0, new int[] {r.lo(), r.hi()});
  }

  /**
   * recvmsg(MSG_ERRQUEUE) of an SO_TIMESTAMPING transmit timestamp: the oldest, taken off the
   * queue, or EAGAIN when none waits (Linux sock_recv_errqueue). Read before the zerocopy
   * completions, which are counted when read (see {@link ZerocopyNotifications}).
   */
  SysResult<TxTimestamps.Stamp> readTxTimestamp(Sock s) {
    if (s.conn == null) return SysResult.error(Errno.EAGAIN);
    return s.conn.txTimestamps().take().map(t -> SysResult.ok(0, t)).orElse(SysResult.error(Errno.EAGAIN));
  }

  /**
   * TCP_INQ's hint after a read, when the option is on: the bytes still to read, 1 at the end of
   * the stream with none left (Linux tcp_inq_hint); empty when the option is off.
   */
  Optional<Integer> inqHint(Sock s) {
    if (!s.options.inq || s.conn == null) return Optional.empty();
    int left = Math.max(0, s.conn.tcb().receiveBuffer.readable());
    return Optional.of(left == 0 && s.conn.peerFinished() ? 1 : left);
  }
}
