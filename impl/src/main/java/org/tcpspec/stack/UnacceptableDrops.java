package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.fsm.State;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * The Linux counter a segment that failed RFC 9293's sequence test (§3.10.7.4) moves, when Linux
 * drops it too. Linux tests in two places: tcp_validate_incoming's tcp_sequence drops what reaches
 * past the window offered (rcv_nxt + tcp_receive_window) as TcpExtBeyondWindow (text starting past
 * it, or ending past it while the receive queue holds bytes), and what tcp_sequence lets through,
 * tcp_data_queue drops when the window is zero and the text starts at or before RCV.NXT as
 * TcpExtTCPZeroWindowDrop. Only counts: what is answered and how stays with the table's row.
 */
final class UnacceptableDrops {
  private UnacceptableDrops() {}

  /** Counts {@code seg}, which {@code c}'s classifier found unacceptable (RCV_UNACCEPTABLE). */
  static void count(Connection c, SegmentView seg) {
    // tcp_timewait_state_process (TIME-WAIT, and an orphan's FIN-WAIT-2) counts none of these; a
    // RST goes to tcp_reset_check and a SYN to the challenge ACK before tcp_validate_incoming
    // counts; PAWS rejects come first with counters of their own.
    if (c.state() == State.TIME_WAIT || c.finWait2TimeWait || seg.has(TcpFlags.RST) || seg.has(TcpFlags.SYN)) return;
    if (c.tcb.pawsRejects(seg, ConnectionView.pawsAsFullSocket(c))) return;
    ReceiveWindow window = c.receiver.window;
    int rcvNxt = c.tcb.rcvNxt;
    int rcvWup = window.advertisedEdge() - window.rcvWnd();
    int seq = seg.seq();
    int endSeq = plus(seq, seg.segLen());
    // tcp_sequence: older than rcv_wup is an old duplicate (SKB_DROP_REASON_TCP_OLD_SEQUENCE).
    if (lt(endSeq, rcvWup)) return;
    int receiveWindow = window.receiveWindow();
    int seqLimit = plus(rcvNxt, receiveWindow);
    int fin = seg.has(TcpFlags.FIN) ? 1 : 0;
    boolean endBeyond = gt(endSeq, seqLimit) && gt(endSeq - fin, seqLimit);
    if (endBeyond && (gt(seq, seqLimit) || c.tcb.receiveBuffer.readable() > 0)) {
      c.stack().mib().increment(LinuxMib.Counter.BEYOND_WINDOW);
      return;
    }
    // tcp_data_queue, where text is still taken: at RCV.NXT, or a partial packet across it.
    boolean textTaken = c.state() == State.ESTABLISHED || c.state() == State.FIN_WAIT_1
        || c.state() == State.FIN_WAIT_2;
    boolean atOrAcrossRcvNxt = seq == rcvNxt ? seg.payloadLength() > 0 : lt(seq, rcvNxt) && gt(endSeq, rcvNxt);
    if (textTaken && receiveWindow == 0 && atOrAcrossRcvNxt) {
      c.stack().mib().increment(LinuxMib.Counter.TCP_ZERO_WINDOW_DROP);
    }
  }
}
