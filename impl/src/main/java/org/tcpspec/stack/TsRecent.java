package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.le;

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
   * Whether the arrival {@code e} in state {@code s} may move TS.Recent. Linux takes a TSval only
   * in tcp_ack, once the ACK passed its checks ("ts_recent update must be made after we are sure
   * that the packet is in window", tcp_replace_ts_recent): not from a segment outside the window,
   * a RST, a SYN or a segment without ACK (tcp_validate_incoming and tcp_rcv_established discard
   * them first), nor from one whose ACK is too old or ahead of SND.NXT (RFC 5961 §5.2, tcp_ack
   * returns before it). So a blind segment with a far TSval cannot make the peer's genuine
   * segments fail PAWS. Linux's TIME-WAIT socket runs no tcp_ack and takes the TSval of any
   * acceptable segment (tcp_timewait_state_process).
   */
  static boolean updates(State s, Event e) {
    if (s == State.TIME_WAIT) return e != Event.RCV_UNACCEPTABLE;
    if (!s.isSynchronized()) return false;
    return switch (e) {
      case RCV_ACK, RCV_DUP_ACK, RCV_DATA, RCV_FIN, RCV_ACK_OF_FIN, RCV_FIN_ACK_OF_FIN, RCV_DATA_AFTER_CLOSE -> true;
      default -> false;
    };
  }

  /** RFC 7323 §4.3: TS.Recent follows the newest timestamp of segments at or before RCV.NXT. */
  static void update(Tcb tcb, SegmentView seg) {
    if (tcb.tsOk && seg.hasTimestamp() && le(seg.seq(), tcb.rcvNxt) && ge(seg.tsVal(), tcb.tsRecent)) {
      tcb.tsRecent = seg.tsVal();
    }
  }
}
