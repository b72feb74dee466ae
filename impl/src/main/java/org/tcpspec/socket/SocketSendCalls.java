package org.tcpspec.socket;

import static org.tcpspec.abi.Symbol.MSG_DONTWAIT;
import static org.tcpspec.abi.Symbol.MSG_EOR;
import static org.tcpspec.abi.Symbol.MSG_FASTOPEN;
import static org.tcpspec.abi.Symbol.MSG_MORE;
import static org.tcpspec.abi.Symbol.MSG_OOB;
import static org.tcpspec.abi.Symbol.MSG_ZEROCOPY;

import java.util.Arrays;
import java.util.Optional;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.fsm.State;
import org.tcpspec.stack.Connection;
import org.tcpspec.stack.ConnectionError;
import org.tcpspec.stack.Stack;
import org.tcpspec.stack.StackConfig;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.SeqNum;

/**
 * The calls that write: send() with its flags (MSG_EOR, MSG_MORE, MSG_OOB, MSG_ZEROCOPY; Linux
 * tcp_sendmsg_locked) and sendto() with MSG_FASTOPEN, which connects with a SYN that carries data
 * (RFC 7413 §4.2.1, Linux tcp_sendmsg_fastopen), also when a deferred TCP_FASTOPEN_CONNECT
 * connect() waits for the first write. {@link SocketApi} finds the {@link Sock}.
 */
final class SocketSendCalls {
  private final Stack stack;

  SocketSendCalls(Stack stack) {
    this.stack = stack;
  }

  /**
   * {@link SocketApi#sendFastOpen} on an open socket: non-blocking, the bytes the SYN carried, or
   * EINPROGRESS when it carried none (a cookie request); blocking, once the handshake completes,
   * the rest is written too and the call returns the total. EOPNOTSUPP without tcp_fastopen's
   * client bit.
   */
  SysResult<Void> sendFastOpen(Sock s, IpAddress addr, int port, byte[] data, int flags) {
    if ((stack.config().tcpFastopen() & StackConfig.TFO_CLIENT_ENABLE) == 0) return SysResult.error(Errno.EOPNOTSUPP);
    if (s.fastOpenRest != null) return fastOpenSendProgress(s, flags);
    // Linux: on a connected socket MSG_FASTOPEN is ignored and the data is sent as by send().
    if (s.conn != null && s.conn.established()) return send(s, data, 0, data.length, flags & ~MSG_FASTOPEN.value());
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
    s.fastOpenRest = Arrays.copyOfRange(data, carried, data.length);
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

  /**
   * {@link SocketApi#send(int, byte[], int, int, int)} on an open socket: {@code data[off, off +
   * len)}, taken from the caller's array as it is (no copy of the whole write first); MSG_EOR ends
   * a record (no segment crosses its end).
   */
  SysResult<Void> send(Sock s, byte[] data, int off, int len, int flags) {
    if (s.shutWr) return SysResult.error(Errno.EPIPE);
    // The first write after a deferred TCP_FASTOPEN_CONNECT connect() sends SYN and data.
    if (s.conn == null && s.deferredAddr != null) {
      return sendFastOpen(s, s.deferredAddr, s.deferredPort, Arrays.copyOfRange(data, off, off + len), flags);
    }
    if (s.fastOpenRest != null) return fastOpenSendProgress(s, flags);
    Connection c = s.conn;
    if (c == null) return SysResult.error(Errno.EPIPE);
    Optional<ConnectionError> err = c.takeError();
    if (err.isPresent()) return SysResult.error(SocketApi.errno(err.get()));
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
}
