package org.tcpspec.stack;

import org.tcpspec.fsm.State;
import org.tcpspec.tcb.RttEstimator;

/**
 * The {@link Sender}'s side of the retransmission timer slot: what its expiry does (a reorder
 * timeout, a loss probe, or the RTO of RFC 6298 §5.4–§5.6 with Karn), the zero-window variant of
 * the RTO, and when the connection gives up, as Linux bounds it: the retry count, the give-up
 * clock (retrans_stamp) and TCP_USER_TIMEOUT (RFC 5482). One per connection.
 */
final class SendTimeouts extends SenderPart {
  /**
   * Retransmissions by the RTO since the last progress (Linux icsk_retransmits). Written here only;
   * the {@link Sender} reads it, as {@link #totalRto}.
   */
  int retries;
  /**
   * Linux retrans_stamp, the clock of the give-up budgets, while stamped: for a SYN its first
   * sending (tcp_connect), for data the first retransmission since the last progress.
   */
  private boolean retransStamped;
  private long retransStampNanos;
  /** RTOs fired (tcpi_total_rto). */
  int totalRto;

  SendTimeouts(Connection c, Sender snd, CaStateMachine ca) {
    super(c, snd, ca);
  }

  /** A timeout proved spurious: the retransmissions so far do not count toward giving up. */
  void retriesCleared() {
    retries = 0;
  }

  /** An ACK acknowledged new data: the retry count and the give-up clock start over (Linux tcp_ack). */
  void progress() {
    retries = 0;
    retransStamped = false;
  }

  private long now() {
    return snd.now();
  }

  /**
   * The retransmission timer slot expired: a reorder timeout or a loss probe (RFC 8985), or the
   * RTO (RFC 6298 §5.4–§5.6). Returns true when the connection must give up (the state's TIMEOUT).
   */
  boolean retransmitTimerExpired() {
    switch (ca.pendingTimer()) {
      case REORDER -> {
        ca.reorderTimerExpired();
        return false;
      }
      case LOSS_PROBE -> {
        ca.lossProbeTimerExpired();
        return false;
      }
      case RETRANSMISSION -> {
        // The RTO, below.
      }
    }
    return rtoExpired();
  }

  /** The RTO fired (Linux tcp_retransmit_timer). Returns true when the connection must give up. */
  boolean rtoExpired() {
    if (tcb.inFlight() == 0) return false;
    // Linux tcp_rtx_probe0_timed_out measures from the head's sending when nothing was resent yet.
    long sinceFirstSent = retransStamped ? -1 : now() - snd.sendTimes.headSentNanos(now());
    if (!retransStamped) {
      retransStamped = true;
      retransStampNanos = snd.ourSynAcked ? ca.firstRetransmissionNanos(now()) : snd.sendTimes.headSentNanos(now());
    }
    if (tcb.sndWnd == 0 && snd.ourSynAcked && !c.orphaned) {
      return zeroWindowRetransmitTimerExpired(sinceFirstSent >= 0 ? sinceFirstSent : now() - retransStampNanos);
    }
    if (writeTimedOut()) return true;
    // Linux (tcp_retransmit_timer): the first tcp_syn_linear_timeouts SYN retransmissions keep
    // the RTO; RFC 6298 §5.5 backs off from the first.
    boolean linear = c.state() == State.SYN_SENT && retries + 1 <= c.stack().config().synLinearTimeouts();
    totalRto++;
    if (snd.ourSynAcked) {
      ca.enterLoss(retries);
      retries++;
      ca.retransmitHead();
    } else {
      retries++;
      snd.sendSyn(c.state() != State.SYN_SENT);
      snd.acks.stopTiming(); // Karn: an ACK of a retransmitted SYN is no sample.
    }
    if (!linear) tcb.rtt.backOff();
    ca.armTimer(XmitTimer.RETRANSMISSION, clampedToUserTimeout(tcb.rtt.rtoNanos()));
    return false;
  }

  /**
   * RFC 6069 (TCP-LD) as Linux's tcp_ld_RTO_revert: an ICMP net or host unreachable (ICMPv6 no
   * route) quoting SND.UNA while the RTO is backed off says the retransmissions were lost to a
   * broken path, not to congestion, so one backoff is undone ({@link RttEstimator#revertOneBackoff},
   * at most the connection's maximum RTO, tcp_rto_max) and the timer counts the reverted RTO from
   * the head's last transmission. Returns true when that time has already passed: the caller
   * fires the RTO now ({@link #rtoExpired}), as Linux calls tcp_retransmit_timer.
   */
  boolean revertBackoff(int quotedSeq) {
    if (quotedSeq != tcb.sndUna || retries == 0 || tcb.rtt.backoff() == 0 || ca.queue.size() == 0) return false;
    tcb.rtt.revertOneBackoff();
    long remaining = tcb.rtt.rtoNanos() - (now() - ca.queue.xmitNanos(0));
    if (remaining <= 0) return true;
    ca.armTimer(XmitTimer.RETRANSMISSION, remaining);
    return false;
  }

  /**
   * Linux tcp_retransmit_timer when the peer shrank its window to zero with data in flight: the
   * retransmissions become window probes and do not time the connection out while the peer
   * answers; it gives up (tcp_rtx_probe0_timed_out) once nothing arrived for twice the connection's
   * maximum RTO (tcp_rto_max), or the user timeout, and the retransmissions made no progress for as
   * long; with
   * TCP_USER_TIMEOUT, also once they made none for longer than it.
   */
  private boolean zeroWindowRetransmitTimerExpired(long sinceRetransmit) {
    long timeout = 2 * tcb.rtt.maxRtoNanos();
    long user = c.options.userTimeoutNanos();
    if (user > 0) {
      if (sinceRetransmit > user) return true;
      timeout = Math.min(timeout, user);
    }
    if (now() - snd.acks.lastAckNanos > timeout && sinceRetransmit > timeout) return true;
    ca.enterLoss(retries);
    ca.retransmitHead();
    tcb.rtt.backOff();
    ca.armTimer(XmitTimer.RETRANSMISSION, clampedToUserTimeout(tcb.rtt.rtoNanos()));
    return false;
  }

  /**
   * Linux tcp_clamp_rto_to_user_timeout: with TCP_USER_TIMEOUT the RTO fires no later than the
   * user timeout after the retransmissions began, so the give-up comes on time.
   */
  private long clampedToUserTimeout(long rtoNanos) {
    long user = c.options.userTimeoutNanos();
    if (user == 0 || !retransStamped) return rtoNanos;
    long remaining = user - (now() - retransStampNanos);
    return remaining <= 0 ? 1 : Math.min(rtoNanos, remaining);
  }

  /**
   * RFC 9293 §3.8.3 R2 as Linux bounds it (tcp_write_timeout): true when the retransmissions so far
   * used up the state's budget. SYN-SENT: tcp_syn_retries retransmissions, or the time they take
   * from a 1 s base. A Fast Open child in SYN-RECEIVED (the only passive connection that is more
   * than a request): TCP_SYNCNT, else tcp_synack_retries + 1 SYN-ACKs (Linux
   * tcp_fastopen_synack_timer gives it one retry more than a request). Otherwise the time tcp_retries2 retransmissions take from a 200 ms base,
   * measured from the first transmission of the segment retransmitted; once close() orphaned the
   * connection, tcp_orphan_retries instead (0 means 8 while the RTO is below the connection's
   * maximum, tcp_rto_max).
   */
  private boolean writeTimedOut() {
    StackConfig cfg = c.stack().config();
    return switch (c.state()) {
      case SYN_RECEIVED -> c.parent != null
          ? retries >= (c.options.synCount > 0 ? c.options.synCount : cfg.synackRetries() + 1)
          : synTimedOut(cfg);
      case SYN_SENT -> synTimedOut(cfg);
      case CLOSED, LISTEN, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> {
        int until = c.orphaned
            ? orphanRetries(cfg, tcb.rtt.rtoNanos() < tcb.rtt.maxRtoNanos()) : cfg.retries2();
        yield retransmissionsTimedOut(until, RttEstimator.MIN_RTO_NANOS);
      }
    };
  }

  /** SYN-SENT counts the linear retransmissions on top (Linux max_retransmits); the time does not. */
  private boolean synTimedOut(StackConfig cfg) {
    // Linux tcp_write_timeout: the socket's TCP_SYNCNT, else tcp_syn_retries.
    int synRetries = c.options.synCount > 0 ? c.options.synCount : cfg.synRetries();
    int count = synRetries + (c.state() == State.SYN_SENT ? cfg.synLinearTimeouts() : 0);
    return retries >= count || retransmissionsTimedOut(synRetries, RttEstimator.INITIAL_RTO_NANOS);
  }

  /**
   * Linux retransmits_timed_out(): never before the first retransmission; then after the time the
   * budget's retransmissions take under the connection's maximum RTO (tcp_model_timeout), or
   * TCP_USER_TIMEOUT when set (RFC 5482), which the maximum does not shorten.
   */
  private boolean retransmissionsTimedOut(int boundary, long rtoBaseNanos) {
    if (retries == 0) return false;
    long user = c.options.userTimeoutNanos();
    long budget = user > 0 ? user : tcb.rtt.retryBudgetNanos(boundary, rtoBaseNanos);
    return now() - retransStampNanos >= budget;
  }

  /** Linux tcp_orphan_retries(): 0 means 8 while the connection still looks alive. */
  static int orphanRetries(StackConfig cfg, boolean alive) {
    return cfg.orphanRetries() == 0 && alive ? 8 : cfg.orphanRetries();
  }
}
