package org.tcpspec.stack;

/**
 * RACK loss detection (RFC 8985 §6) as Linux's tcp_recovery.c runs it: a segment is lost when a
 * segment sent after it was delivered and it has waited RACK.rtt plus a reordering window since
 * it was (re)sent, so a lost retransmission is found as a lost original is. The reordering window
 * is zero until reordering was seen (while recovering, or once DupThresh segments are SACKed),
 * else min_rtt / 4 per step, at most SRTT; each DSACK-proved spurious round adds a step, kept for
 * 16 recoveries (tcp_rack_update_reo_wnd). A segment not yet due arms the reorder timer.
 */
final class RackRecovery implements LossRecovery {
  /** Linux TCP_RACK_RECOVERY_THRESH: recoveries a widened window persists for. */
  private static final int RECOVERY_THRESH = 16;
  /** Linux TCP_TIMEOUT_MIN_US, added to the reorder timer. */
  static final long TIMEOUT_MIN_NANOS = 2_000_000L;

  private final CaStateMachine ca;
  private final RetransmitQueue queue;
  /** RACK.xmit_ts, RACK.end_seq and RACK.rtt of the most recently sent delivered segment. */
  private long xmitNanos;
  private int endSeq;
  private long rttNanos;
  private boolean haveReference;
  /** New delivery since the last detection (Linux rack.advanced). */
  private boolean advanced;
  private int reoWndSteps = 1;
  private int reoWndPersist;
  private boolean dsackSeen;
  private long lastAdjustNanos;

  RackRecovery(CaStateMachine ca) {
    this.ca = ca;
    this.queue = ca.queue;
  }

  @Override
  public void onDelivered(AckSample ack) {
    if (!ack.rackAdvanced) return;
    advanced = true;
    rttNanos = ack.rackRttNanos;
    if (!haveReference || AckSample.sentAfter(ack.rackXmitNanos, xmitNanos, ack.rackEnd, endSeq)) {
      haveReference = true;
      xmitNanos = ack.rackXmitNanos;
      endSeq = ack.rackEnd;
    }
    updateReorderingWindow(ack);
  }

  /**
   * Linux tcp_rack_update_reo_wnd: a DSACK after reordering widens the window by a step, at most
   * once per round trip (a DSACK for a segment sent before the last widening is disregarded).
   */
  private void updateReorderingWindow(AckSample ack) {
    if ((ca.config().tcpRecovery() & StackConfig.RACK_STATIC_REO_WND) != 0) return;
    if (ack.rackXmitNanos < lastAdjustNanos) dsackSeen = false;
    if (dsackSeen) {
      reoWndSteps = Math.min(0xFF, reoWndSteps + 1);
      dsackSeen = false;
      lastAdjustNanos = ack.nowNanos;
      reoWndPersist = RECOVERY_THRESH;
    } else if (reoWndPersist == 0) {
      reoWndSteps = 1;
    }
  }

  @Override
  public void dsackSeen() {
    dsackSeen = true;
  }

  @Override
  public void recoveryEnded(boolean undone) {
    if (undone) reoWndPersist = Math.min(RECOVERY_THRESH, reoWndPersist + 1);
    else if (reoWndPersist > 0) reoWndPersist--;
  }

  /** RFC 8985 §6.2 step 4, Linux tcp_rack_reo_wnd. */
  long reorderingWindowNanos() {
    if (!ca.tags.reorderingSeen()) {
      if (ca.state().ordinal() >= CaState.RECOVERY.ordinal()) return 0;
      boolean dupThresh = (ca.config().tcpRecovery() & StackConfig.RACK_NO_DUPTHRESH) == 0;
      if (queue.sackedOut >= ca.reordering() && dupThresh) return 0;
    }
    // Without a minimum yet (Linux's ~0U), the bound is SRTT.
    long quarter = ca.minRttNanos() >> 2;
    long steps = quarter > Long.MAX_VALUE / reoWndSteps ? Long.MAX_VALUE : quarter * reoWndSteps;
    return Math.min(steps, ca.srttNanos());
  }

  /** RACK.rtt + reordering window - time since sent: how long segment {@code i} may still wait. */
  private long remaining(int i, long reoWnd, long now) {
    return rttNanos + reoWnd - (now - queue.xmitNanos(i));
  }

  /** Linux tcp_rack_skb_timeout with no reordering window: still within RACK.rtt of being sent. */
  boolean sentWithinRtt(int i, long now) {
    return haveReference && remaining(i, 0, now) > 0;
  }

  @Override
  public void detectLoss(AckSample ack) {
    if (!advanced) return;
    advanced = false;
    long wait = markExpired(ack);
    if (wait > 0) ca.timer.armReorder(wait + TIMEOUT_MIN_NANOS);
  }

  @Override
  public void reorderTimerExpired(AckSample sample) {
    markExpired(sample);
  }

  /**
   * RFC 8985 §6.2 step 5 (Linux tcp_rack_detect_loss): walks the segments sent before the
   * reference, oldest first, marking lost those whose time is up; returns the longest wait of the
   * others (0 when none waits). Segments never retransmitted were sent in sequence order, so the
   * walk stops at the first of them sent after the reference; retransmissions, sent later than
   * any of them, are checked wherever they lie.
   */
  private long markExpired(AckSample sample) {
    if (!haveReference) return 0;
    long now = sample.nowNanos;
    long reoWnd = reorderingWindowNanos();
    long wait = 0;
    for (int i = 0; i < queue.size(); i++) {
      int f = queue.flags(i);
      if ((f & RetransmitQueue.SACKED) != 0) continue;
      if ((f & RetransmitQueue.LOST) != 0 && (f & RetransmitQueue.RETRANS) == 0) continue;
      if (!AckSample.sentAfter(xmitNanos, queue.xmitNanos(i), endSeq, queue.end(i))) {
        if ((f & RetransmitQueue.EVER_RETRANS) == 0) break;
        continue;
      }
      long left = remaining(i, reoWnd, now);
      if (left <= 0) ca.markLost(i, sample);
      else wait = Math.max(wait, left);
    }
    return wait;
  }
}
