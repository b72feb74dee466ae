package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;

import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;

/**
 * TS.Recent, the peer's timestamp we echo and hold its segments to (RFC 7323 §4.3): which arrivals
 * may move it, and how. PAWS itself, the test against TS.Recent, is the TCB's ({@link
 * Tcb#pawsRejects}); the classifier asks it before any of this runs.
 */
final class TsRecent {
  private TsRecent() {}

  /**
   * Moves TS.Recent for the arrival {@code e} of {@code seg}, before its effects run (so SND.UNA is
   * still tcp_ack's prior_snd_una), when {@link #updates} lets it: RFC 7323 §4.3 (2), "If
   * SEG.TSval >= TS.Recent and SEG.SEQ <= Last.ACK.sent then SEG.TSval is copied to TS.Recent",
   * and any TSval while TS.Recent is 0 (Linux tcp_paws_check in tcp_replace_ts_recent, {@link
   * Tcb#tsValPasses}). Last.ACK.sent is Linux's rcv_wup, the RCV.NXT our last segment told the peer
   * (tcp_replace_ts_recent), not RCV.NXT: while an ACK is delayed, text that continues the text
   * not yet acknowledged does not move it. Linux's TIME-WAIT socket compares with its RCV.NXT
   * (tcp_timewait_state_process).
   */
  static void arrived(Connection c, SegmentView seg, Event e) {
    Tcb tcb = c.tcb;
    // Linux's FIN-WAIT-2 timewait socket stores a TSval only from the FIN that makes it a true
    // TIME-WAIT one, which passed its PAWS (tcp_timewait_state_process).
    if (c.finWait2TimeWait) {
      if (e == Event.RCV_FIN && tcb.tsOk && seg.hasTimestamp()) {
        tcb.tsRecent = seg.tsVal();
        tcb.tsRecentStampNanos = c.clock.nowNanos();
      }
      return;
    }
    if (!updates(c.state(), e, seg, tcb.sndUna)) return;
    int lastAckSent = c.state() == State.TIME_WAIT ? tcb.rcvNxt : c.receiver.window.rcvWup();
    if (tcb.tsOk && seg.hasTimestamp() && le(seg.seq(), lastAckSent)
        && Tcb.tsValPasses(seg.tsVal(), tcb.tsRecent)) {
      tcb.tsRecent = seg.tsVal();
      tcb.tsRecentStampNanos = c.clock.nowNanos();
    }
  }

  /**
   * Whether the arrival {@code e} in state {@code s} may move TS.Recent. Linux takes a TSval only
   * in tcp_ack, once the ACK passed its checks ("ts_recent update must be made after we are sure
   * that the packet is in window", tcp_replace_ts_recent): not from a segment outside the window,
   * a RST, a SYN or a segment without ACK (tcp_validate_incoming and tcp_rcv_established discard
   * them first), nor from one whose ACK is too old or ahead of SND.NXT (RFC 5961 §5.2, tcp_ack
   * returns before it), nor from one whose ACK is below {@code sndUna} but not too old, which
   * tcp_ack sends to old_ack before the update while its text is still taken. So a blind segment
   * with a far TSval cannot make the peer's genuine segments fail PAWS. Linux's TIME-WAIT socket
   * runs no tcp_ack and takes the TSval of any acceptable segment (tcp_timewait_state_process).
   * SPEC-GAP: Linux's header prediction (tcp_rcv_established's fast path) stores the TSval of a
   * predicted segment at RCV.NXT = rcv_wup without asking tcp_ack, so there an old ACK with the
   * window the peer offered before moves TS.Recent; we follow the slow path only.
   */
  private static boolean updates(State s, Event e, SegmentView seg, int sndUna) {
    if (s == State.TIME_WAIT) return e != Event.RCV_UNACCEPTABLE;
    if (!s.isSynchronized()) return false;
    boolean taken = switch (e) {
      case RCV_ACK, RCV_DUP_ACK, RCV_DATA, RCV_FIN, RCV_ACK_OF_FIN, RCV_FIN_ACK_OF_FIN, RCV_DATA_AFTER_CLOSE -> true;
      default -> false;
    };
    return taken && !lt(seg.ack(), sndUna);
  }
}
