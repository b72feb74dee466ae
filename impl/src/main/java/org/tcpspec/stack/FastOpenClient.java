package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import java.util.Optional;
import org.tcpspec.wire.FastOpenOption;
import org.tcpspec.wire.FastOpenOption.Cookie;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpOption;

/**
 * The client half of TCP Fast Open (RFC 7413 §4.2.1), as Linux's tcp_send_syn_data and
 * tcp_rcv_fastopen_synack do it: the first SYN carries data and the cached cookie when there is
 * one (or no cookie is needed), else a cookie request; the SYN-ACK's cookie and MSS go to the
 * cache, and data it does not acknowledge is sent again.
 */
final class FastOpenClient {
  /** Linux MAX_TCP_OPTION_SPACE: room kept free for options in a SYN with data. */
  private static final int MAX_OPTION_SPACE = 40;

  private FastOpenClient() {}

  /** tcp_fastopen_no_cookie for a client: tcp_fastopen's 0x4 or TCP_FASTOPEN_NO_COOKIE. */
  static boolean noCookie(StackConfig cfg, SocketOptions o) {
    return (cfg.tcpFastopen() & StackConfig.TFO_CLIENT_NO_COOKIE) != 0 || o.fastopenNoCookie;
  }

  /** tcp_fastopen_cookie_check: whether a SYN to {@code server} may carry data now. */
  static boolean mayCarryData(Stack stack, IpAddress server, SocketOptions o) {
    return noCookie(stack.config(), o)
        || stack.fastOpenCache().get(server).flatMap(FastOpenCache.Entry::cookie).isPresent();
  }

  /**
   * Sets the cookie option of the coming SYN and returns how many bytes it may carry (Linux
   * tcp_send_syn_data: the cached server MSS, or ours, less MAX_TCP_OPTION_SPACE); 0 with a
   * cookie request.
   */
  static int prepareSyn(Connection c) {
    Stack stack = c.stack();
    StackConfig cfg = stack.config();
    IpAddress server = c.tuple.remoteAddr();
    Optional<FastOpenCache.Entry> entry = stack.fastOpenCache().get(server);
    c.fastOpen.requested = true;
    if (!mayCarryData(stack, server, c.options)) {
      c.fastOpen.clientFail = FastOpenState.COOKIE_UNAVAILABLE;
      Cookie request = new Cookie(new byte[0], stack.fastOpenCache().requestExperimental(server));
      c.fastOpen.experimental = request.experimental();
      c.fastOpen.synCookie(request);
      c.fastOpen.optionSent = true;
      return 0;
    }
    Optional<Cookie> cookie = noCookie(cfg, c.options) ? Optional.empty() : entry.flatMap(FastOpenCache.Entry::cookie);
    c.fastOpen.synCookie(cookie.orElse(null));
    c.fastOpen.optionSent = cookie.isPresent();
    c.fastOpen.experimental = cookie.map(Cookie::experimental).orElse(false);
    int mss = Handshake.localMss(c);
    int cached = entry.map(FastOpenCache.Entry::mss).orElse(0);
    if (cached > 0) mss = Math.min(mss, cached);
    // tcp_send_syn_data takes this as mss_clamp and syncs mss_cache to it (Linux commit
    // ed0c99dc0f49): a Packet Too Big about the SYN is then weighed against it, not against the
    // 1220 tcp_v6_connect assumes of an IPv6 peer, which dropped every report (PathMtuDiscovery).
    c.tcb.mssClamp = mss;
    return Math.max(0, mss - MAX_OPTION_SPACE);
  }

  /**
   * tcp_rcv_fastopen_synack, after the SYN-ACK's ACK was processed: the cache learns its MSS and
   * cookie (an empty answer to a request tries the other option kind next time; a SYN sent again
   * and answered without cookie while data was in it counts as a SYN loss); data of our SYN left
   * unacknowledged goes again, and tcpi_fastopen_client_fail says why.
   */
  static void synAckArrived(Connection c, SegmentView synAck) {
    FastOpenState fo = c.fastOpen;
    // A cookie our SYN did not ask for (no option in it: the no-cookie mode) is ignored.
    Optional<Cookie> cookie = fo.optionSent
        ? FastOpenOption.find(synAck.options()).filter(k -> !k.request()) : Optional.empty();
    int mss = synAck.option(TcpOption.Mss.class).map(TcpOption.Mss::mss).orElse(0);
    boolean resent = c.sender.totalRto() > 0;
    boolean dataUnacked = fo.synData > 0 && lt(c.tcb.sndUna, plus(c.tcb.iss, 1 + fo.synData));
    boolean synLost = false;
    int tryExp = 0;
    // Without the option there is neither a SYN loss to count nor another option kind to try.
    if (fo.optionSent && resent) {
      synLost = cookie.isEmpty() && dataUnacked;
    } else if (fo.optionSent && cookie.isEmpty() && fo.synData == 0) {
      tryExp = fo.experimental ? 2 : 1;
    }
    c.stack().fastOpenCache().set(c.tuple.remoteAddr(), mss, cookie, synLost, tryExp);
    if (dataUnacked) {
      fo.clientFail = resent ? FastOpenState.SYN_RETRANSMITTED : FastOpenState.DATA_NOT_ACKED;
      c.sender.synDataNotAcked();
    } else if (fo.synData > 0) {
      fo.synDataAcked = true;
    }
  }
}
