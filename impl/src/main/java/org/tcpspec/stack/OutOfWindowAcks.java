package org.tcpspec.stack;

import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * The per-connection rate limit of the ACKs that answer unacceptable segments and of challenge
 * ACKs (Linux tcp_oow_rate_limited, with tcp_invalid_ratelimit). Made once per connection; a
 * new incarnation (REOPEN) and the FIN_WAIT2 timewait socket start it afresh ({@link #forget}).
 */
final class OutOfWindowAcks {
  private final Connection c;
  private boolean oowAckSent;
  private long lastOowAckNanos;

  OutOfWindowAcks(Connection c) {
    this.c = c;
  }

  /** No answer went out yet (Linux: a new socket's, or a timewait socket's, last_oow_ack_time 0). */
  void forget() {
    oowAckSent = false;
  }

  /**
   * Linux (tcp_oow_rate_limited): the answer to an unacceptable segment is rate-limited unless it
   * occupies sequence space (text or a FIN) and carries no SYN ("data packets without SYNs are not
   * likely part of an ACK loop").
   */
  boolean outOfWindowAnswerAllowed(SegmentView seg) {
    return (seg.segLen() > 0 && !seg.has(TcpFlags.SYN)) || !oowRateLimited();
  }

  /**
   * True when an out-of-window or challenge ACK went out less than tcp_invalid_ratelimit (500 ms)
   * ago; otherwise notes this one (Linux __tcp_oow_rate_limited, per connection).
   */
  boolean oowRateLimited() {
    long now = c.clock.nowNanos();
    if (oowAckSent && now - lastOowAckNanos < c.stack().config().invalidRatelimitNanos()) return true;
    oowAckSent = true;
    lastOowAckNanos = now;
    return false;
  }
}
