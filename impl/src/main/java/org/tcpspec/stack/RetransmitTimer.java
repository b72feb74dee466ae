package org.tcpspec.stack;

import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;

/**
 * The one retransmission timer slot of a connection, shared as Linux's icsk_retransmit_timer is
 * shared, with {@link XmitTimer} for icsk_pending: what it is armed for (the RTO of RFC 6298,
 * RACK's reorder timeout or a tail loss probe) and when, as Linux's tcp_rearm_rto and
 * tcp_set_xmit_timer choose. What happens when it fires is {@link CaStateMachine}'s and the
 * {@link Sender}'s. One per connection.
 */
final class RetransmitTimer extends CaPart {
  private XmitTimer pending = XmitTimer.RETRANSMISSION;

  RetransmitTimer(CaStateMachine ca, Tcb tcb) {
    super(ca, tcb);
  }

  XmitTimer pending() {
    return pending;
  }

  /** Arms the shared retransmission timer for {@code kind}, {@code delayNanos} from now. */
  void arm(XmitTimer kind, long delayNanos) {
    pending = kind;
    tcb.timers.arm(TimerKind.RETRANSMIT, ca.nowNanos() + Math.max(0, delayNanos));
  }

  void armReorder(long delayNanos) {
    arm(XmitTimer.REORDER, delayNanos);
    sample.setXmitTimer = false;
  }

  /** A probe went out: the RTO is rearmed from now, not from the head's send time. */
  void clearPending() {
    pending = XmitTimer.RETRANSMISSION;
  }

  /** How long until the RTO of the head expires (Linux tcp_rto_delta_us). */
  long rtoDeltaNanos() {
    if (queue.size() == 0) return ca.rtoNanos();
    return queue.xmitNanos(0) + ca.rtoNanos() - ca.nowNanos();
  }

  /** Linux tcp_rearm_rto: the RTO, counted from the head's send time when a probe or reorder wait held it. */
  void rearmRto() {
    if (tcb.inFlight() == 0) {
      tcb.timers.cancel(TimerKind.RETRANSMIT);
      pending = XmitTimer.RETRANSMISSION;
      return;
    }
    long rto = ca.rtoNanos();
    if (pending == XmitTimer.REORDER || pending == XmitTimer.LOSS_PROBE) rto = Math.max(1, rtoDeltaNanos());
    arm(XmitTimer.RETRANSMISSION, rto);
  }

  /** Linux tcp_set_xmit_timer: a loss probe where one may go, else the RTO. */
  void setXmitTimer() {
    if (!ca.probe.schedule(true)) rearmRto();
  }
}
