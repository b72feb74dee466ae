package org.tcpspec.stack;

import org.tcpspec.fsm.State;
import org.tcpspec.tcb.RttEstimator;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;

/**
 * The probes a connection sends when nothing else goes: zero-window probes (§3.8.6.1, RFC 1122
 * §4.2.2.17) while the peer's window is closed, and keep-alive probes (RFC 1122 §4.2.3.6) while
 * the connection is idle. Both in Linux's form, <SEQ=SND.UNA-1><CTL=ACK> without data
 * (tcp_xmit_probe_skb), and both give up as Linux does, counted by one counter as Linux counts
 * them: keep-alive probes go only while nothing waits (tcp_keepalive_timer) and only an ACK
 * clears the count, so keep-alive probes left unanswered count toward the zero-window probes of
 * data written next (tcpi_probes, and tcp_retries2 reached sooner).
 */
final class Probes {
  private final Connection c;
  private final Tcb tcb;
  /** Zero-window probes sent, for the backoff; cleared when the window opens. */
  private int persistProbes;
  /**
   * Probes, zero-window and keep-alive alike, that no ACK has answered: Linux icsk_probes_out,
   * counted by tcp_send_probe0 and tcp_keepalive_timer, cleared by tcp_ack (an ACK neither old nor
   * ahead) and by tcp_probe_timer and tcp_send_probe0 once data is in flight or nothing waits.
   */
  private int probesOut;
  /** When the first zero-window probe of this closed window went (Linux icsk_probes_tstamp). */
  private boolean probing;
  private long probingSinceNanos;

  Probes(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
  }

  /** Unanswered probes, zero-window or keep-alive (tcpi_probes). */
  int probesOut() {
    return probesOut;
  }

  private long now() {
    return c.clock.nowNanos();
  }

  // ---------------------------------------------------------------- zero-window probes

  /**
   * The peer opened its window while data was in flight: probing of an earlier closed window stops
   * and its backoff starts over. (With nothing in flight, {@link #ackProbe} decides.)
   */
  void windowOpened() {
    probingEnds();
  }

  /** Probing of a closed window ends: its timer, its backoff and its TCP_USER_TIMEOUT clock. */
  private void probingEnds() {
    tcb.timers.cancel(TimerKind.PERSIST);
    persistProbes = 0;
    probing = false;
  }

  /**
   * An acceptable ACK arrived with nothing in flight (Linux tcp_ack's no_queue path, tcp_ack_probe):
   * if the first segment waiting fits the peer's window, probing stops and its backoff and its
   * TCP_USER_TIMEOUT clock start over; if not (a window still closed, or opened too little for it),
   * the probe timer starts again from now with the backoff reached, and the clock runs on. Linux
   * asks whether its first queued skb fits, which may hold more than the MSS we take for it here.
   */
  void ackProbe() {
    int unsent = c.sender.unsentBytes();
    if (unsent == 0) return;
    if (Math.min(unsent, c.sender.currentMss()) <= tcb.sndWnd) {
      probingEnds();
    } else {
      tcb.timers.arm(TimerKind.PERSIST, now() + clampedToUserTimeout(backedOff(tcb.rtt.rtoNanos(), persistProbes)));
    }
  }

  /**
   * Linux (tcp_ack): any ACK that is neither old nor ahead shows the peer alive, so zero-window
   * probing goes on as long as the peer answers (RFC 1122 §4.2.2.17), and keep-alive probing
   * starts its count over.
   */
  void peerAnswered() {
    probesOut = 0;
  }

  /** Data waits for a closed window with nothing in flight: probe after the backed-off RTO. */
  void armPersistIfNeeded() {
    if (tcb.sndWnd == 0 && tcb.inFlight() == 0 && !tcb.timers.armed(TimerKind.PERSIST)) {
      tcb.timers.arm(TimerKind.PERSIST, now() + clampedToUserTimeout(backedOff(tcb.rtt.rtoNanos(), persistProbes)));
    }
  }

  /**
   * Data waits with nothing in flight and the window open (a cork, MSG_MORE): Linux
   * tcp_check_probe_timer arms the probe timer at tcp_probe0_base, the RTO but at least 200 ms,
   * unless a retransmission or probe timer is pending.
   */
  void armHeldDataProbe() {
    if (tcb.timers.armed(TimerKind.PERSIST) || tcb.timers.armed(TimerKind.RETRANSMIT)) return;
    tcb.timers.arm(TimerKind.PERSIST, now() + Math.max(tcb.rtt.rtoNanos(), RttEstimator.MIN_RTO_NANOS));
  }

  /**
   * Linux tcp_clamp_probe0_to_user_timeout: with TCP_USER_TIMEOUT, the next probe comes no later
   * than the user timeout (at least 2 ms from now), so the give-up is on time.
   */
  private long clampedToUserTimeout(long delayNanos) {
    long user = c.options.userTimeoutNanos();
    if (user == 0 || !probing) return delayNanos;
    long remaining = Math.max(user - Math.max(0, now() - probingSinceNanos), RackRecovery.TIMEOUT_MIN_NANOS);
    return Math.min(remaining, delayNanos);
  }

  /**
   * §3.8.6.1 probe. Returns true when probing gives up (Linux tcp_probe_timer): tcp_retries2 probes
   * in a row went unanswered, or for an orphan tcp_orphan_retries of them, or its backoff reached
   * the connection's maximum (tcp_rto_max); or, with TCP_USER_TIMEOUT (RFC 5482), the window stayed closed that long since
   * the first probe, answered or not.
   */
  boolean persistTimerExpired() {
    if (!c.sender.maySendData()) return false;
    if (tcb.sndWnd > 0) {
      // Linux tcp_probe_timer with the window open: with data waiting and nothing in flight it
      // gives up as with the window closed (the TCP_USER_TIMEOUT clock of a window that opened too
      // little for the waiting segment runs on, see ackProbe; keep-alive probes counted before the
      // write count), else tcp_send_probe0 sends what waits (tcp_write_wakeup); with data in
      // flight or nothing waiting the count, the backoff and the clock start over.
      if (tcb.inFlight() == 0 && c.sender.unsentBytes() > 0) {
        if (userTimedOut() || probesExhausted()) return true;
        c.sender.sendHeldData();
      }
      probesOut = 0;
      persistProbes = 0;
      probing = false;
      return false;
    }
    if (userTimedOut() || probesExhausted()) return true;
    c.sender.sendProbe();
    persistProbes++;
    probesOut++;
    armPersistIfNeeded();
    return false;
  }

  /**
   * Linux tcp_probe_timer's TCP_USER_TIMEOUT test (RFC 5482): the first expiry starts the clock
   * (icsk_probes_tstamp), a later one gives up once the user timeout has passed since.
   */
  private boolean userTimedOut() {
    if (!probing) {
      probing = true;
      probingSinceNanos = now();
      return false;
    }
    long user = c.options.userTimeoutNanos();
    return user > 0 && now() - probingSinceNanos >= user;
  }

  /**
   * Linux tcp_probe_timer's limit: tcp_retries2 unanswered probes, for an orphan tcp_orphan_retries
   * of them, or its backoff at the maximum.
   */
  private boolean probesExhausted() {
    StackConfig cfg = c.stack().config();
    int maxProbes = cfg.retries2();
    if (c.orphaned) {
      boolean alive = backedOff(tcb.rtt.rtoNanos(), persistProbes) < tcb.rtt.maxRtoNanos();
      maxProbes = SendTimeouts.orphanRetries(cfg, alive);
      if (!alive && persistProbes >= maxProbes) return true;
    }
    return probesOut >= maxProbes;
  }

  /** Linux tcp_probe0_when: the RTO doubled {@code n} times, at most the connection's maximum RTO. */
  private long backedOff(long base, int n) {
    long max = tcb.rtt.maxRtoNanos();
    long v = base;
    for (int i = 0; i < n && v < max; i++) v *= 2;
    return Math.min(v, max);
  }

  // ---------------------------------------------------------------- keep-alive

  /**
   * The connection was established: the keep-alive timer starts (if enabled), as Linux's
   * tcp_finish_connect and tcp_create_openreq_child start it. Arrivals do not push it back: as
   * Linux's tcp_keepalive_timer, {@link #keepaliveTimerExpired} measures the idle time itself when
   * the timer fires and waits for the rest of it.
   */
  void keepaliveStart() {
    if (c.options.keepAlive && keepaliveState()) {
      tcb.timers.arm(TimerKind.KEEPALIVE, now() + c.options.keepIdleNanos);
    }
  }

  /**
   * When the peer last showed itself alive, Linux's keepalive_time_elapsed: the later of the last
   * acceptable ACK (rcv_tstamp, set by tcp_ack for an ACK neither old nor ahead) and the last data
   * received (icsk_ack.lrcvtime). A segment that is neither, one out of the window above all, does
   * not count.
   */
  private long lastReceiveNanos() {
    return Math.max(c.sender.lastAckNanos(), c.receiver.lastDataNanos());
  }

  /**
   * Whether keep-alive runs in this state: from ESTABLISHED on, but not in TIME-WAIT, where Linux
   * has handed the connection to a timewait socket and left the full socket in CLOSE, where
   * tcp_set_keepalive arms nothing and tcp_keepalive_timer does nothing; nor in an orphaned
   * FIN-WAIT-2, where Linux's keep-alive timer is the tcp_fin_timeout timer (tcp_keepalive_timer's
   * SOCK_DEAD path; with the default 60 s tcp_rcv_state_process has made a timewait socket of it).
   */
  private boolean keepaliveState() {
    State s = c.state();
    if (c.orphaned && s == State.FIN_WAIT_2) return false;
    return c.established() && s != State.CLOSED && s != State.TIME_WAIT;
  }

  /** See {@link Stack#keepaliveChanged}. */
  void keepaliveOptionsChanged(boolean fromLastReceive) {
    if (!c.options.keepAlive) {
      tcb.timers.cancel(TimerKind.KEEPALIVE);
    } else if (keepaliveState()) {
      long from = fromLastReceive ? lastReceiveNanos() : now();
      tcb.timers.arm(TimerKind.KEEPALIVE, Math.max(now(), from + c.options.keepIdleNanos));
    }
  }

  /**
   * RFC 1122 §4.2.3.6 probe; true when keep-alive gives up, as Linux's tcp_keepalive_timer: once
   * the connection has been idle for TCP_KEEPIDLE since the last segment received
   * (keepalive_time_elapsed), it gives up when TCP_KEEPCNT probes are out, or, with
   * TCP_USER_TIMEOUT (RFC 5482) set, instead when that idle time has reached the user timeout and
   * at least one probe is out (TCP_KEEPCNT is then not counted). Giving up sends a RST
   * (tcp_send_active_reset) before the connection fails with ETIMEDOUT (tcp_write_err).
   */
  boolean keepaliveTimerExpired() {
    if (!c.options.keepAlive) return false;
    if (dataOutstanding()) {
      // RFC 9293 §3.8.4 MUST-26: a keep-alive only when no sent data is outstanding. Linux
      // tcp_keepalive_timer ("It is alive without keepalive"): with packets out or a write queue
      // not empty it sends nothing and looks again a full TCP_KEEPIDLE later.
      tcb.timers.arm(TimerKind.KEEPALIVE, now() + c.options.keepIdleNanos);
      return false;
    }
    long lastReceive = lastReceiveNanos();
    long elapsed = now() - lastReceive;
    if (elapsed < c.options.keepIdleNanos) {
      // Linux: the idle time is counted from the last receive, rearmed for the rest of it.
      tcb.timers.arm(TimerKind.KEEPALIVE, lastReceive + c.options.keepIdleNanos);
      return false;
    }
    long userTimeout = c.options.userTimeoutNanos();
    boolean giveUp = userTimeout != 0
        ? elapsed >= userTimeout && probesOut > 0
        : probesOut >= c.options.keepProbes;
    if (giveUp) {
      c.sender.sendAbortRst();
      return true;
    }
    // Linux counts the probe only when tcp_write_wakeup did not fail (returns <= 0); it fails only
    // for a local shortage (the qdisc dropped the probe, NET_XMIT_DROP from tcp_transmit_skb) and
    // then tries again after TCP_RESOURCE_PROBE_INTERVAL without counting. Our probe goes to the
    // TUN device, which has no such drop to observe, so every probe counts.
    probesOut++;
    c.sender.sendProbe();
    tcb.timers.arm(TimerKind.KEEPALIVE, now() + c.options.keepIntervalNanos);
    return false;
  }

  /**
   * Linux tp->packets_out || !tcp_write_queue_empty(sk): something sent and not acknowledged (SYN
   * and FIN included), or written and not sent yet (a FIN waiting included).
   */
  private boolean dataOutstanding() {
    return tcb.inFlight() > 0 || tcb.sendBuffer.size() > 0 || (tcb.finQueued && !tcb.finSent);
  }
}
