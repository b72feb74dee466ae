package org.tcpspec.stack;

import java.util.List;
import java.util.Optional;
import org.tcpspec.wire.FastOpenOption;
import org.tcpspec.wire.FastOpenOption.Cookie;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * The server half of TCP Fast Open (RFC 7413 §4.2), as Linux's tcp_try_fastopen decides it for a
 * SYN the listener would answer from its SYN queue: whether the SYN makes a Fast Open child (a
 * full connection in SYN-RECEIVED, its SYN's data accepted: ListenRcvSynFastOpen) or a plain
 * request (ListenRcvSyn, any data dropped), and which cookie, if any, the SYN-ACK carries.
 */
final class FastOpenServer {
  /** What a SYN gets: a child or not, and the cookie our SYN-ACK offers (none when empty). */
  record Decision(boolean child, Optional<Cookie> synAckCookie) {
    static final Decision PLAIN = new Decision(false, Optional.empty());
    static final Decision CHILD = new Decision(true, Optional.empty());
  }

  /** The key when tcp_fastopen_key was never set (Linux tcp_fastopen_init_key_once draws one). */
  private final FastOpenKey drawnKey;
  /** Linux's TcpExtTCPFastOpenCookieReqd, TCPFastOpenPassive, TCPFastOpenPassiveFail, TCPFastOpenListenOverflow. */
  long cookieRequests;
  long passive;
  long passiveFails;
  long listenOverflows;

  FastOpenServer(long secret) {
    this.drawnKey = new FastOpenKey(secret, Long.rotateLeft(secret, 29) ^ 0x5bd1e9955bd1e995L);
  }

  /**
   * tcp_try_fastopen: with the server bit of tcp_fastopen and room in the listener's Fast Open
   * queue, a SYN with data or a Fast Open option makes a child when it needs no cookie
   * (TFO_SERVER_COOKIE_NOT_REQD or TCP_FASTOPEN_NO_COOKIE) or carries the cookie of our primary or
   * backup key (then the SYN-ACK offers the primary's); a cookie request, or a wrong cookie, gets
   * the valid cookie in a plain SYN-ACK, in the option kind the client used.
   */
  Decision decide(Listener l, SegmentView syn, StackConfig cfg) {
    Optional<Cookie> foc = FastOpenOption.find(syn.options());
    if (foc.isPresent() && foc.get().request()) cookieRequests++;
    // Linux: end_seq != seq + 1, so a SYN with FIN counts as a SYN with data.
    boolean synData = syn.payloadLength() > 0 || syn.has(TcpFlags.FIN);
    if ((cfg.tcpFastopen() & StackConfig.TFO_SERVER_ENABLE) == 0 || !(synData || foc.isPresent())
        || !queueHasRoom(l)) {
      return Decision.PLAIN;
    }
    if ((cfg.tcpFastopen() & StackConfig.TFO_SERVER_COOKIE_NOT_REQD) != 0 || l.listening.options.fastopenNoCookie) {
      passive++;
      return Decision.CHILD;
    }
    if (foc.isEmpty()) return Decision.PLAIN;
    List<FastOpenKey> keys = keys(l, cfg);
    Cookie valid = new Cookie(keys.get(0).cookie(syn.srcIp(), syn.dstIp()), foc.get().experimental());
    if (foc.get().request()) return new Decision(false, Optional.of(valid));
    if (foc.get().sameValue(valid.value())) {
      passive++;
      return Decision.CHILD;
    }
    if (keys.size() > 1 && foc.get().sameValue(keys.get(1).cookie(syn.srcIp(), syn.dstIp()))) {
      passive++;
      return new Decision(true, Optional.of(valid));
    }
    passiveFails++;
    return new Decision(false, Optional.of(valid));
  }

  /** The listener's own keys (TCP_FASTOPEN_KEY), else tcp_fastopen_key's, else the drawn one. */
  private List<FastOpenKey> keys(Listener l, StackConfig cfg) {
    if (!l.listening.options.fastopenKeys.isEmpty()) return l.listening.options.fastopenKeys;
    if (!cfg.fastopenKeys().isEmpty()) return cfg.fastopenKeys();
    return List.of(drawnKey);
  }

  /** tcp_fastopen_queue_check: a queue of some length, and fewer children pending than it. */
  private boolean queueHasRoom(Listener l) {
    int max = l.listening.options.fastopenQueue;
    if (max == 0) return false;
    if (l.fastOpenPending() >= max) {
      listenOverflows++;
      return false;
    }
    return true;
  }
}
