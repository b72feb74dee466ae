package org.tcpspec.socket;

import static org.tcpspec.abi.Symbol.SIOCATMARK;
import static org.tcpspec.abi.Symbol.SIOCINQ;
import static org.tcpspec.abi.Symbol.SIOCOUTQ;
import static org.tcpspec.abi.Symbol.SIOCOUTQNSD;

import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.stack.QueueLengths;

/**
 * ioctl(2) on a TCP socket, Linux's tcp_ioctl: SIOCINQ (FIONREAD), SIOCOUTQ and SIOCOUTQNSD are
 * EINVAL on a listener and count a connection's queues ({@link QueueLengths}); SIOCATMARK says
 * whether the next byte to read is the urgent mark. A socket without a connection has empty
 * queues (Linux's fresh sock: all sequence numbers 0). Any other request is ENOTTY here (Linux
 * passes socket requests on to the device layer, which this stack does not have).
 */
final class TcpIoctl {
  private TcpIoctl() {}

  /** The int the request writes, as the result's out. */
  static SysResult<Integer> ioctl(Sock s, long request) {
    if (request == SIOCATMARK.value()) return answer(s.conn != null && QueueLengths.atUrgentMark(s.conn) ? 1 : 0);
    boolean queue = request == SIOCINQ.value() || request == SIOCOUTQ.value() || request == SIOCOUTQNSD.value();
    if (!queue) return SysResult.error(Errno.ENOTTY);
    if (s.listener != null) return SysResult.error(Errno.EINVAL);
    if (s.conn == null) return answer(0);
    if (request == SIOCINQ.value()) return answer(QueueLengths.unread(s.conn));
    if (request == SIOCOUTQ.value()) return answer(QueueLengths.unacknowledged(s.conn));
    return answer(QueueLengths.unsent(s.conn));
  }

  private static SysResult<Integer> answer(int value) {
    return SysResult.ok(0, value);
  }
}
