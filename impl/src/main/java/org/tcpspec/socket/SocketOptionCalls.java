package org.tcpspec.socket;

import static org.tcpspec.abi.Symbol.TCP_MSS_DEFAULT;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.stack.ConnectionInfo;
import org.tcpspec.stack.FastOpenKey;
import org.tcpspec.stack.SocketOptions;
import org.tcpspec.stack.Stack;
import org.tcpspec.stack.StackConfig;

/**
 * setsockopt and getsockopt for a {@link SocketApi}: the int options with Linux's ranges and
 * errno values (sk_setsockopt, do_tcp_setsockopt, do_ip_setsockopt, do_ipv6_setsockopt and their
 * getsockopt sides), the options that take a struct (TCP_FASTOPEN_KEY, SO_RCVTIMEO, SO_LINGER) and
 * TCP_INFO. A value is written into the socket's {@link SocketOptions}, which its connection
 * shares, and acted on at once where Linux acts on it (TCP_NODELAY and an uncorking TCP_CORK push
 * what waits, TCP_QUICKACK acknowledges now, SO_KEEPALIVE and TCP_KEEPIDLE rearm the keep-alive
 * timer, SO_RCVBUF and SO_SNDBUF resize the buffers).
 */
final class SocketOptionCalls {
  // Linux: SOCK_MIN_RCVBUF/SNDBUF and the default of the sysctl net.core.wmem_max, 212992
  // (SO_RCVBUF's ceiling, net.core.rmem_max, is the stack's StackConfig#coreRmemMax).
  private static final int MIN_RCVBUF = 2304;
  private static final int MIN_SNDBUF = 4608;
  private static final int WMEM_MAX = 212992;
  private static final int ECN_MASK = SocketOptions.ECN_MASK;

  private final Stack stack;

  SocketOptionCalls(Stack stack) {
    this.stack = stack;
  }

  /** {@link SocketApi#setsockopt} on an open socket. */
  SysResult<Void> set(Sock s, Symbol opt, int value) {
    SocketOptions o = s.options;
    switch (opt) {
      case SO_REUSEADDR -> o.reuseAddr = value != 0;
      case SO_KEEPALIVE -> {
        boolean was = o.keepAlive;
        o.keepAlive = value != 0;
        if (s.conn != null && was != o.keepAlive) stack.keepaliveChanged(s.conn, false);
      }
      case TCP_NODELAY -> {
        o.noDelay = value != 0;
        if (o.noDelay && s.conn != null) stack.pushPending(s.conn, true);
      }
      case TCP_CORK -> {
        boolean was = o.cork;
        o.cork = value != 0;
        if (was && !o.cork && s.conn != null) stack.pushPending(s.conn, o.noDelay);
      }
      case SO_ZEROCOPY -> o.zerocopy = value != 0;
      case SO_MARK -> s.mark = value; // routing and netfilter's mark: nothing in TCP reads it
      case SO_OOBINLINE -> o.oobInline = value != 0;
      case TCP_INQ -> o.inq = value != 0;
      // Linux do_tcp_setsockopt: any int, kept as a u32 (0xffffffff is UINT_MAX); then
      // sk_write_space, which wakes writers the new mark leaves writeable.
      case TCP_NOTSENT_LOWAT -> {
        o.notsentLowat = value & 0xFFFF_FFFFL;
        if (s.conn != null) s.conn.notsentLowatChanged();
      }
      case SO_TIMESTAMPING -> {
        return TxTimestampingOption.set(s, value);
      }
      // Linux doubles the value to account for bookkeeping, within its floor and sysctl ceiling
      // (net.core.rmem_max).
      case SO_RCVBUF -> {
        o.rcvBuf = (int) Math.max(MIN_RCVBUF, Math.min(value, stack.config().coreRmemMax()) * 2L);
        o.rcvBufLocked = true;
      }
      case SO_SNDBUF -> {
        o.sndBuf = Math.max(MIN_SNDBUF, Math.min(value, WMEM_MAX) * 2);
        o.sndBufLocked = true;
      }
      case TCP_MAXSEG -> {
        // Linux: 0 resets; otherwise TCP_MIN_MSS (88) .. MAX_TCP_WINDOW (32767).
        if (value != 0 && (value < 88 || value > 32767)) return SysResult.error(Errno.EINVAL);
        o.maxSeg = value;
      }
      // Linux: 1..MAX_TCP_KEEPIDLE / MAX_TCP_KEEPINTVL (32767 s), 1..MAX_TCP_KEEPCNT (127).
      case TCP_KEEPIDLE -> {
        if (value < 1 || value > 32767) return SysResult.error(Errno.EINVAL);
        o.keepIdleNanos = value * 1_000_000_000L;
        if (s.conn != null) stack.keepaliveChanged(s.conn, true);
      }
      case TCP_KEEPINTVL -> {
        if (value < 1 || value > 32767) return SysResult.error(Errno.EINVAL);
        o.keepIntervalNanos = value * 1_000_000_000L;
      }
      case TCP_KEEPCNT -> {
        if (value < 1 || value > 127) return SysResult.error(Errno.EINVAL);
        o.keepProbes = value;
      }
      // Linux (tcp_sock_set_user_timeout): any value from 0, in ms.
      case TCP_USER_TIMEOUT -> {
        if (value < 0) return SysResult.error(Errno.EINVAL);
        o.userTimeoutMillis = value;
      }
      // Linux 6.15+ do_tcp_setsockopt: 1000..120000 ms (TCP_RTO_MAX_MIN_SEC..TCP_RTO_MAX_SEC), on a
      // socket in any state; the children of a listener inherit it.
      case TCP_RTO_MAX_MS -> {
        if (value < StackConfig.RTO_MAX_MS_LOWEST || value > StackConfig.RTO_MAX_MS_DEFAULT) {
          return SysResult.error(Errno.EINVAL);
        }
        o.rtoMaxMillis = value;
        if (s.conn != null) s.conn.rtoMaxChanged();
      }
      // Linux 6.15+ do_tcp_setsockopt: usecs_to_jiffies(value) from TCP_TIMEOUT_MIN (2 jiffies) to
      // TCP_RTO_MIN (HZ / 5), else EINVAL; on a socket in any state, inherited by a listener's children.
      case TCP_RTO_MIN_US -> {
        int jiffies = StackConfig.usecsToJiffies(value);
        int highest = StackConfig.usecsToJiffies(StackConfig.RTO_MIN_US_DEFAULT);
        if (jiffies < StackConfig.RTO_MIN_JIFFIES_LOWEST || jiffies > highest) return SysResult.error(Errno.EINVAL);
        o.rtoMinMillis = jiffies;
        if (s.conn != null) s.conn.rtoMinChanged();
      }
      case TCP_QUICKACK -> {
        o.pingpong = value == 0;
        if (value != 0 && s.conn != null) stack.quickAck(s.conn);
      }
      case SO_LINGER -> {
        return SysResult.error(Errno.EINVAL); // takes a struct: see setLinger.
      }
      // Linux do_tcp_setsockopt: any negative value is -1, a larger one TCP_FIN_TIMEOUT_MAX.
      case TCP_LINGER2 -> o.linger2Seconds = value < 0 ? -1 : Math.min(value, SocketOptions.LINGER2_MAX_SECONDS);
      // Linux tcp_sock_set_syncnt: 1..MAX_TCP_SYNCNT (127).
      case TCP_SYNCNT -> {
        if (value < 1 || value > 127) return SysResult.error(Errno.EINVAL);
        o.synCount = value;
      }
      // Linux do_tcp_setsockopt: the Fast Open queue of a closed or listening socket, at most
      // somaxconn (fastopen_queue_tune).
      case TCP_FASTOPEN -> {
        boolean closedOrListening = s.conn == null;
        if (value < 0 || !closedOrListening) return SysResult.error(Errno.EINVAL);
        o.fastopenQueue = Math.min(value, stack.config().somaxconn());
      }
      // Linux: 0 or 1, on a closed socket, and only with tcp_fastopen's client bit (else EOPNOTSUPP).
      case TCP_FASTOPEN_CONNECT -> {
        if (value < 0 || value > 1) return SysResult.error(Errno.EINVAL);
        if ((stack.config().tcpFastopen() & StackConfig.TFO_CLIENT_ENABLE) == 0) {
          return SysResult.error(Errno.EOPNOTSUPP);
        }
        if (s.conn != null || s.listener != null) return SysResult.error(Errno.EINVAL);
        o.fastopenConnect = value == 1;
      }
      case TCP_FASTOPEN_NO_COOKIE -> {
        if (value < 0 || value > 1 || s.conn != null) return SysResult.error(Errno.EINVAL);
        o.fastopenNoCookie = value == 1;
      }
      // RFC 9293 §3.9.1.9 MUST-48, SHLD-21: the Diffserv field, from the next segment on. Linux
      // __ip_sock_set_tos and do_ipv6_setsockopt: on a stream socket the ECN bits stay TCP's.
      case IP_TOS -> o.tos = (value & ~ECN_MASK & 0xFF) | (o.tos & ECN_MASK);
      case IPV6_TCLASS -> {
        if (value < -1 || value > 0xFF) return SysResult.error(Errno.EINVAL);
        o.tclass = (Math.max(value, 0) & ~ECN_MASK) | (o.tclass & ECN_MASK);
      }
      // §3.9.2 MUST-49. Linux do_ip_setsockopt: -1 (the default) or 1..255; IPv6: -1..255.
      case IP_TTL -> {
        if (value != -1 && (value < 1 || value > 255)) return SysResult.error(Errno.EINVAL);
        o.ttl = value;
      }
      case IPV6_UNICAST_HOPS -> {
        if (value < -1 || value > 255) return SysResult.error(Errno.EINVAL);
        o.hopLimit = value;
      }
      default -> {
        return SysResult.error(Errno.ENOPROTOOPT);
      }
    }
    applyBuffers(s);
    return SysResult.ok(0);
  }

  /** {@link SocketApi#setFastOpenKey} on an open socket. */
  SysResult<Void> setFastOpenKey(Sock s, byte[] key) {
    Optional<List<FastOpenKey>> keys = FastOpenKey.ofBytes(key);
    if (keys.isEmpty()) return SysResult.error(Errno.EINVAL);
    s.options.fastopenKeys = keys.get();
    return SysResult.ok(0);
  }

  /** {@link SocketApi#getFastOpenKey} on an open socket. */
  SysResult<byte[]> getFastOpenKey(Sock s, int optlen) {
    byte[] keys = FastOpenKey.toBytes(s.options.fastopenKeys);
    // min_t(unsigned int, len, key_len): a negative optlen is a large one.
    int len = optlen < 0 ? keys.length : Math.min(optlen, keys.length);
    return SysResult.ok(0, Arrays.copyOf(keys, len));
  }

  /** {@link SocketApi#setReceiveTimeout} on an open socket. */
  SysResult<Void> setReceiveTimeout(Sock s, long seconds, long micros) {
    if (micros < 0 || micros >= 1_000_000) return SysResult.error(Errno.EDOM);
    s.options.rcvTimeoutNanos = seconds < 0 ? 0 : seconds * 1_000_000_000L + micros * 1_000;
    return SysResult.ok(0);
  }

  /** {@link SocketApi#setLinger} on an open socket. */
  SysResult<Void> setLinger(Sock s, boolean on, int seconds) {
    s.options.lingerOn = on;
    s.options.lingerSeconds = Math.max(0, seconds);
    return SysResult.ok(0);
  }

  private static void applyBuffers(Sock s) {
    if (s.conn != null) {
      s.conn.tcb().receiveBuffer.resize(s.options.rcvBuf);
      s.conn.tcb().sendBuffer.resize(s.options.sndBuf);
    }
  }

  /** {@link SocketApi#getsockopt} on an open socket. */
  SysResult<Integer> get(Sock s, Symbol opt) {
    SocketOptions o = s.options;
    return switch (opt) {
      case SO_REUSEADDR -> option(o.reuseAddr ? 1 : 0);
      case SO_KEEPALIVE -> option(o.keepAlive ? 1 : 0);
      case TCP_NODELAY -> option(o.noDelay ? 1 : 0);
      case TCP_CORK -> option(o.cork ? 1 : 0);
      case SO_ZEROCOPY -> option(o.zerocopy ? 1 : 0);
      case SO_MARK -> option(s.mark);
      case SO_OOBINLINE -> option(o.oobInline ? 1 : 0);
      case TCP_INQ -> option(o.inq ? 1 : 0);
      case TCP_NOTSENT_LOWAT -> option((int) o.notsentLowat);
      case SO_TIMESTAMPING -> option(o.timestamping);
      case SO_RCVBUF -> option(o.rcvBuf);
      case SO_SNDBUF -> option(o.sndBuf);
      case TCP_MAXSEG -> option(s.conn != null && s.conn.established() ? s.conn.tcb().sndMss
          : (o.maxSeg != 0 ? o.maxSeg : TCP_MSS_DEFAULT.value()));
      // Linux sock_getsockopt: the pending error, else the soft one an ICMP message left (SHLD-25).
      case SO_ERROR -> option(s.conn == null ? takeDisconnectError(s) : s.conn.takeError().or(s.conn::takeSoftError)
          .map(e -> SocketApi.errno(e).number()).orElse(0));
      case SO_LINGER -> option(o.lingerOn ? o.lingerSeconds : 0);
      // Linux tcp_getsockopt: -1, or the seconds an orphan waits, tcp_fin_timeout's when it is 0.
      case TCP_LINGER2 -> option(o.linger2Seconds != 0 ? o.linger2Seconds
          : stack.config().finTimeoutNanos() / 1_000_000_000L);
      case TCP_KEEPIDLE -> option(o.keepIdleNanos / 1_000_000_000L);
      case TCP_KEEPINTVL -> option(o.keepIntervalNanos / 1_000_000_000L);
      case TCP_KEEPCNT -> option(o.keepProbes);
      case TCP_QUICKACK -> option(o.pingpong ? 0 : 1);
      case TCP_USER_TIMEOUT -> option(o.userTimeoutMillis);
      case TCP_RTO_MAX_MS -> option(o.rtoMaxMillis);
      // jiffies_to_usecs(icsk_rto_min): what was set, rounded up to whole jiffies.
      case TCP_RTO_MIN_US -> option(o.rtoMinMillis * 1000);
      case TCP_SYNCNT -> option(o.synCount > 0 ? o.synCount : stack.config().synRetries());
      case TCP_FASTOPEN -> option(o.fastopenQueue);
      case TCP_FASTOPEN_CONNECT -> option(o.fastopenConnect ? 1 : 0);
      case TCP_FASTOPEN_NO_COOKIE -> option(o.fastopenNoCookie ? 1 : 0);
      case IP_TOS -> option(o.tos);
      case IPV6_TCLASS -> option(o.tclass);
      case IP_TTL -> option(o.ipTtl(false));
      case IPV6_UNICAST_HOPS -> option(o.ipTtl(true));
      default -> SysResult.error(Errno.ENOPROTOOPT);
    };
  }

  /** SO_ERROR of a socket without a connection: what a disconnect left, read once. */
  private static int takeDisconnectError(Sock s) {
    Errno e = s.disconnectError;
    s.disconnectError = null;
    return e == null ? 0 : e.number();
  }

  private static SysResult<Integer> option(long value) {
    return SysResult.ok(0, Math.toIntExact(value));
  }

  /** {@link SocketApi#tcpInfo} of an open socket. */
  static Optional<TcpInfo> tcpInfo(Sock s) {
    if (s.listener != null) return Optional.of(ConnectionInfo.ofListener());
    if (s.conn == null) return Optional.of(ConnectionInfo.ofUnconnected());
    return Optional.of(ConnectionInfo.of(s.conn));
  }
}
