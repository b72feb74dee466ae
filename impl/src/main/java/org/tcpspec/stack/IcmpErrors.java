package org.tcpspec.stack;

import java.util.Optional;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.Outcome;
import org.tcpspec.fsm.State;
import org.tcpspec.wire.SeqNum;

/**
 * The ICMP errors about one connection (RFC 9293 §3.9.2.2, MUST-54), as Linux's tcp_v4_err and
 * tcp_v6_err take them, and the soft error they leave for the application (Linux sk_err_soft).
 */
final class IcmpErrors {
  private final Connection c;
  /** The last soft error an ICMP message reported (Linux sk_err_soft), until SO_ERROR takes it. */
  private ConnectionError soft;
  /** The hard error of the ICMP message being processed, for SIGNAL_ICMP_ERROR. */
  private ConnectionError hard;

  IcmpErrors(Connection c) {
    this.c = c;
  }

  /**
   * An ICMP error quoting {@code quotedSeq}: taken only when it lies in [SND.UNA, SND.NXT], so that
   * an off-path attacker must guess it as for a RST (RFC 5927 §4.1; Linux counts the others as
   * OutOfWindowIcmps); then a hard error ends a connection attempt (SynSentRcvIcmpHardError,
   * SHLD-26), a Packet Too Big lowers the path MTU ({@link PathMtuDiscovery}), and every other
   * error is kept for the application (SHLD-25, MUST-47): SO_ERROR reports it, and a retransmission
   * timer that gives up reports it instead of ETIMEDOUT; a net or host unreachable also undoes one
   * backoff of the RTO (RFC 6069, {@link Connection#revertBackoff}).
   */
  void arrived(int quotedSeq, IcmpInput input) {
    if (c.deleted || c.state() == State.LISTEN) return;
    if (SeqNum.lt(quotedSeq, c.tcb.sndUna) || SeqNum.gt(quotedSeq, c.tcb.sndNxt)) {
      // tcp_v4_err and tcp_v6_err leave a TIME-WAIT or closed socket before this check.
      boolean counted = c.state() != State.TIME_WAIT && c.state() != State.CLOSED;
      if (counted) c.stack().mib().increment(LinuxMib.Counter.OUT_OF_WINDOW_ICMPS);
      return;
    }
    switch (input) {
      case IcmpInput.Ignore i -> { }
      // Only what no longer fits goes: tcp_v4_err sends no new data (no output pass).
      case IcmpInput.PathMtu p -> PathMtuDiscovery.mtuReduced(c, p.mtu());
      case IcmpInput.Hard h when c.state() == State.SYN_SENT -> {
        hard = h.error();
        Outcome o = c.engine.fire(Event.RCV_ICMP_HARD_ERROR, c);
        if (o instanceof Outcome.Reacted r) c.stack().unreachable(c, Event.RCV_ICMP_HARD_ERROR, r.reaction());
      }
      // SPEC-GAP: SHLD-26 asks to abort a synchronized connection too; Linux only reports the
      // error (sk_err_soft, or sk_err with IP_RECVERR), and so do we.
      case IcmpInput.Hard h -> soft = h.error();
      case IcmpInput.Soft s -> {
        soft = s.error();
        // tcp_v4_err and tcp_v6_err: not for a Fast Open child before its SYN-ACK is acknowledged
        // (fastopen_rsk), nor in SYN-SENT or SYN-RECEIVED, which tcp_v4_err ends right after and
        // tcp_v6_err does not revert in.
        boolean revert = s.routeLost() && c.sender.ourSynAcked
            && c.state().isSynchronized() && c.state() != State.SYN_RECEIVED;
        if (revert) c.revertBackoff(quotedSeq);
      }
    }
  }

  /** The hard error that ends the connection attempt (SIGNAL_ICMP_ERROR). */
  ConnectionError hard() {
    return hard;
  }

  /** What a retransmission timer that gives up reports: the soft error, else {@code otherwise}. */
  ConnectionError softOr(ConnectionError otherwise) {
    return soft != null ? soft : otherwise;
  }

  /** Linux tcp_ack: "We passed data and got it acked, remove any soft error log." */
  void acked() {
    soft = null;
  }

  /** Clears and returns the soft error (SO_ERROR when no hard error is pending). */
  Optional<ConnectionError> takeSoft() {
    Optional<ConnectionError> e = Optional.ofNullable(soft);
    soft = null;
    return e;
  }
}
