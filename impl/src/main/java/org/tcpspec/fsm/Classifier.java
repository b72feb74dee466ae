package org.tcpspec.fsm;

import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.inWindow;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * Maps a concrete segment and the TCB to the one {@link Event} the table is keyed on, checking in
 * the order of RFC 9293 §3.10.7: sequence number (with PAWS, RFC 7323 §5.3), RST (RFC 5961 §3.2),
 * SYN (RFC 5961 §4.2), ACK (RFC 5961 §5.2), then text and FIN. A pure function: it reads, never writes.
 */
public final class Classifier {
  private Classifier() {}

  public static Event classify(State state, SegmentView seg, TcbView tcb) {
    return switch (state) {
      case CLOSED -> seg.has(TcpFlags.RST) ? Event.RCV_RST : Event.RCV_SEGMENT;
      case LISTEN -> listen(seg);
      case SYN_SENT -> synSent(seg, tcb);
      case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT ->
          synchronizedState(state, seg, tcb);
    };
  }

  /**
   * §3.10.7.2: RST, then ACK, then SYN; anything else is dropped. Linux (tcp_rcv_state_process,
   * TCP_LISTEN) drops a SYN that also carries FIN, where the RFC would answer it: that is the
   * listener's "other" segment, no state changes. A SYN with text and a Fast Open cookie is RCV_SYN
   * here too: only the listener, which holds the cookie key, can make it RCV_SYN_FAST_OPEN (RFC
   * 7413 §4.2.2).
   */
  private static Event listen(SegmentView seg) {
    if (seg.has(TcpFlags.RST)) return Event.RCV_RST;
    if (seg.has(TcpFlags.ACK)) return Event.RCV_ACK;
    if (seg.has(TcpFlags.SYN) && !seg.has(TcpFlags.FIN)) return Event.RCV_SYN;
    return Event.RCV_OTHER;
  }

  /**
   * §3.10.7.3: first the ACK (acceptable iff ISS < SEG.ACK =< SND.NXT), then RST, then SYN. A
   * SYN-ACK's text starts at IRS + 1, the RCV.NXT it sets, so its FIN is always in order: the
   * fourth check continues at §3.10.7.4's sixth step, and the eighth takes the FIN. Linux
   * (tcp_rcv_synsent_state_process) also treats an ACK whose TSecr echoes none of our SYNs as
   * unacceptable, before it looks at RST (PAWSACTIVEREJECTED, the same reset_and_undo).
   */
  private static Event synSent(SegmentView seg, TcbView tcb) {
    boolean ack = seg.has(TcpFlags.ACK);
    if (ack && (le(seg.ack(), tcb.iss()) || gt(seg.ack(), tcb.sndNxt()) || tcb.synSentTsEcrRejected(seg))) {
      return Event.RCV_BAD_ACK;
    }
    if (seg.has(TcpFlags.RST)) return ack ? Event.RCV_RST : Event.RCV_RST_NO_ACK;
    if (seg.has(TcpFlags.SYN) && ack) return seg.has(TcpFlags.FIN) ? Event.RCV_SYN_ACK_FIN : Event.RCV_SYN_ACK;
    if (seg.has(TcpFlags.SYN)) return Event.RCV_SYN;
    return Event.RCV_OTHER;
  }

  private static Event synchronizedState(State state, SegmentView seg, TcbView tcb) {
    if (state == State.FIN_WAIT_2 && tcb.finWait2TimeWait()) return finWait2TimeWait(seg, tcb);
    int rcvNxt = tcb.rcvNxt();
    long rcvWnd = acceptanceWindow(tcb);
    // Linux tcp_timewait_state_process: in TIME-WAIT a RST is held to PAWS (tcp_paws_reject) until
    // TS.Recent is TCP_PAWS_MSL old; one that fails it, wherever it lies, is dropped in silence
    // (PAWSTimewait), as a RST outside the window is.
    if (state == State.TIME_WAIT && seg.has(TcpFlags.RST) && tcb.timewaitPawsRejects(seg)) {
      return Event.RCV_RST_OUT_OF_WINDOW;
    }
    // RFC 5961 §3.2: only a RST exactly at RCV.NXT resets; one elsewhere in the window is
    // challenged; one outside it is dropped (it also fails the §3.10.7.4 sequence check).
    if (seg.has(TcpFlags.RST)) {
      if (seg.seq() == rcvNxt) return Event.RCV_RST_EXACT;
      return inWindow(seg.seq(), rcvNxt, rcvWnd) ? Event.RCV_RST_IN_WINDOW : Event.RCV_RST_OUT_OF_WINDOW;
    }
    // §3.6.1 MAY-2, RFC 6191, Linux (tcp_timewait_state_process, TCP_TW_SYN): in TIME-WAIT a SYN
    // without ACK beyond RCV.NXT, or with a newer timestamp, not rejected by PAWS, may reopen the
    // connection; checked before the sequence test, as Linux does. Linux (tcp_v4_rcv) reopens only
    // when a listener takes the SYN, and otherwise answers it as any SYN: a challenge ACK.
    if (state == State.TIME_WAIT && seg.has(TcpFlags.SYN) && !seg.has(TcpFlags.ACK) && !tcb.pawsRejects(seg)
        && (gt(seg.seq(), rcvNxt) || tcb.timestampNewer(seg))) {
      return tcb.reopenable() ? Event.RCV_NEW_SYN : Event.RCV_SYN;
    }
    boolean peerClosed = switch (state) {
      case CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> true;
      case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> false;
    };
    // A retransmission of the FIN we already took (its end is RCV.NXT) would fail the sequence
    // check; §3.10.7.4 eighth step still wants it ACKed and, in TIME-WAIT, 2MSL restarted.
    boolean retransmittedFin = peerClosed && seg.has(TcpFlags.FIN) && !seg.has(TcpFlags.SYN)
        && plus(seg.seq(), seg.segLen()) == rcvNxt && seg.has(TcpFlags.ACK) && le(seg.ack(), tcb.sndNxt());
    if (retransmittedFin) {
      // It may also carry the ACK of our FIN: that is the arrow out of CLOSING and LAST-ACK.
      boolean ackOfFin = tcb.finSent() && seg.ack() == tcb.sndNxt() && tcb.sndUna() != tcb.sndNxt();
      return ackOfFin && (state == State.CLOSING || state == State.LAST_ACK) ? Event.RCV_ACK_OF_FIN : Event.RCV_FIN;
    }
    // Linux (tcp_check_req, "pure retransmitted SYN") tells the peer's SYN again (SEG.SEQ = IRS) from
    // other segments in SYN-RECEIVED, before the sequence check: a passive connection answers it
    // with the SYN-ACK again. A bare SYN again fails the sequence check anyway; one whose text was
    // not taken (no valid Fast Open cookie, RFC 7413 §4.2.2) overlaps the window, and is the SYN
    // again all the same, not a new SYN that would send the connection back to LISTEN.
    boolean synAgain = state == State.SYN_RECEIVED && seg.has(TcpFlags.SYN) && !seg.has(TcpFlags.ACK)
        && seg.seq() == tcb.irs();
    if (synAgain) return Event.RCV_RETRANSMITTED_SYN;
    if (synAckAfterCrossedSyns(state, seg, tcb)) return Event.RCV_ACK;
    boolean inWindow = acceptable(seg.seq(), seg.segLen(), rcvNxt, rcvWnd) || zeroWindowBareFin(seg, rcvNxt, rcvWnd);
    // Linux tcp_validate_incoming tests PAWS before the sequence number, and drops an old pure
    // ACK that fails it in silence (TcbView#pawsOldAck): no ACK, nothing read, as a segment
    // without ACK is dropped.
    if (tcb.pawsOldAck(seg)) return Event.RCV_NO_ACK;
    if (!inWindow || tcb.pawsRejects(seg)) return Event.RCV_UNACCEPTABLE;
    if (seg.has(TcpFlags.SYN)) return Event.RCV_SYN;
    if (!seg.has(TcpFlags.ACK)) return Event.RCV_NO_ACK;

    int ack = seg.ack();
    if (state == State.SYN_RECEIVED) {
      if (!(lt(tcb.sndUna(), ack) && le(ack, tcb.sndNxt()))) return Event.RCV_BAD_ACK;
      return finTaken(seg, rcvNxt, rcvWnd, tcb) ? Event.RCV_FIN : Event.RCV_ACK;
    }
    // RFC 5961 §5.2 (RFC 9293 MAY-12): an ACK is acceptable only in [SND.UNA - MAX.SND.WND,
    // SND.NXT]; one older is discarded with a challenge ACK (blind data injection). Linux's order
    // (tcp_ack): an ACK before SND.UNA is old, and too old, before it can be ahead.
    if (lt(ack, tcb.sndUna())) {
      if (lt(ack, tcb.sndUna() - (int) tcb.maxSndWnd())) return Event.RCV_ACK_TOO_OLD;
    } else if (gt(ack, tcb.sndNxt())) {
      return Event.RCV_ACK_AHEAD;
    }
    if (dataAfterClose(state, seg, tcb)) return Event.RCV_DATA_AFTER_CLOSE;
    boolean fin = finTaken(seg, rcvNxt, rcvWnd, tcb);
    boolean ackOfFin = tcb.finSent() && ack == tcb.sndNxt();
    // Linux tcp_rcv_state_process, TCP_FIN_WAIT1, after tcp_ack: an orphan with a negative
    // TCP_LINGER2 whose FIN is now acknowledged is dropped (tcp_done) before its text or FIN is
    // looked at, and the segment is answered with <SEQ=SEG.ACK><CTL=RST>, the reaction to text
    // after close (the same return to tcp_v4_do_rcv's reset, the same TCPAbortOnData).
    if (state == State.FIN_WAIT_1 && ackOfFin && tcb.finWait2Refused()) return Event.RCV_DATA_AFTER_CLOSE;
    // A FIN ahead of RCV.NXT is held like text, where text is still taken (Linux tcp_data_queue
    // hands it to tcp_data_queue_ofo, which SACKs it; the ACK goes at once).
    boolean textTaken = state == State.ESTABLISHED || state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2;
    boolean data = seg.payloadLength() > 0 || (textTaken && seg.has(TcpFlags.FIN) && !fin);
    boolean newAck = gt(ack, tcb.sndUna());
    Event plain = data ? Event.RCV_DATA : newAck ? Event.RCV_ACK : Event.RCV_DUP_ACK;
    return switch (state) {
      case ESTABLISHED, FIN_WAIT_2 -> fin ? Event.RCV_FIN : plain;
      case FIN_WAIT_1 -> fin
          ? (ackOfFin ? Event.RCV_FIN_ACK_OF_FIN : Event.RCV_FIN)
          : (ackOfFin ? Event.RCV_ACK_OF_FIN : plain);
      case CLOSING, LAST_ACK -> ackOfFin ? Event.RCV_ACK_OF_FIN : plain;
      // After the peer's FIN a FIN is only the retransmission handled above: text and FIN are
      // ignored (§3.10.7.4 seventh and eighth steps).
      case CLOSE_WAIT, TIME_WAIT -> plain;
      case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED -> throw new IllegalStateException("not synchronized: " + state);
    };
  }

  /**
   * An orphaned FIN-WAIT-2 connection that Linux holds as a timewait socket of substate FIN_WAIT2
   * ({@link TcbView#finWait2TimeWait}): tcp_timewait_state_process's checks, in its order, each
   * named by the row whose reaction is Linux's. PAWS without tolerance, a RST included ({@link
   * TcbView#timewaitPawsRejects}), and tcp_in_window fail a segment: an ACK (rate-limited, without
   * SACK), for a RST too. Any RST in the window kills the connection in silence, as a RST at
   * RCV.NXT does (no RFC 5961 challenge ACK). A SYN at or after RCV.NXT, text, and a FIN that is
   * not the next number are answered with a RST and kill it (TCP_TW_RST, as text after close
   * does). The ACK field is never read: what brings no new sequence space is dropped in silence,
   * a duplicate ACK as such, and one whose ACK is too old or ahead as a segment without ACK (no
   * challenge ACK, no ACK processing). A FIN exactly at RCV.NXT leads to TIME-WAIT.
   */
  private static Event finWait2TimeWait(SegmentView seg, TcbView tcb) {
    int rcvNxt = tcb.rcvNxt();
    int endSeq = plus(seg.seq(), seg.segLen());
    int windowEnd = tcb.offeredEdge();
    if (tcb.timewaitPawsRejects(seg) || !timewaitInWindow(seg.seq(), endSeq, rcvNxt, windowEnd)) {
      return Event.RCV_UNACCEPTABLE;
    }
    if (seg.has(TcpFlags.RST)) return Event.RCV_RST_EXACT;
    if (seg.has(TcpFlags.SYN) && ge(seg.seq(), rcvNxt)) return Event.RCV_DATA_AFTER_CLOSE;
    if (!seg.has(TcpFlags.ACK) || le(endSeq, rcvNxt) || seg.segLen() == 0) {
      if (!seg.has(TcpFlags.ACK)) return Event.RCV_NO_ACK;
      boolean ackInRange = le(seg.ack(), tcb.sndNxt()) && ge(seg.ack(), tcb.sndUna() - (int) tcb.maxSndWnd());
      return ackInRange ? Event.RCV_DUP_ACK : Event.RCV_NO_ACK;
    }
    boolean finAtRcvNxt = seg.has(TcpFlags.FIN) && endSeq == plus(rcvNxt, 1);
    return finAtRcvNxt ? Event.RCV_FIN : Event.RCV_DATA_AFTER_CLOSE;
  }

  /**
   * Linux tcp_in_window (tcp_minisocks.c), the timewait socket's sequence test: the segment starts
   * at RCV.NXT, or reaches past it and starts before the window's end, or is empty at that end.
   */
  static boolean timewaitInWindow(int seq, int endSeq, int rcvNxt, int windowEnd) {
    if (seq == rcvNxt) return true;
    if (gt(endSeq, rcvNxt) && lt(seq, windowEnd)) return true;
    return seq == windowEnd && seq == endSeq;
  }

  /**
   * §3.6.1 SHLD-3 (RFC 1122 §4.2.2.13): in FIN-WAIT-1 and FIN-WAIT-2, once the user's CLOSE ended
   * its reading too, sequence space beyond RCV.NXT other than a FIN at its end can never be read.
   * Linux's test (tcp_rcv_state_process, step 7, RCV_SHUTDOWN): a segment that occupies sequence
   * space whose end, less its FIN, lies after RCV.NXT; so an out-of-order FIN counts as well, a
   * retransmission of text already taken does not. Asked after the ACK checks, as Linux's tcp_ack
   * comes first.
   */
  private static boolean dataAfterClose(State state, SegmentView seg, TcbView tcb) {
    if (state != State.FIN_WAIT_1 && state != State.FIN_WAIT_2) return false;
    if (!tcb.receiveShut() || seg.segLen() == 0) return false;
    return gt(plus(seg.seq(), seg.segLen() - (seg.has(TcpFlags.FIN) ? 1 : 0)), tcb.rcvNxt());
  }

  /**
   * RCV.WND for §3.10.7.4's acceptability test: 0 exactly when nothing is left of the window last
   * offered, as Linux decides a zero window (tcp_receive_window, rcv_wup + rcv_wnd - rcv_nxt, which
   * tcp_sequence and tcp_data_queue test); else the receive buffer's room, or what is left of the
   * window offered when that is more. The buffer's room alone differs from the window offered once
   * the application read after a zero window was offered and the window it would offer now is too
   * small to announce (__tcp_select_window's less than one MSS): Linux still finds text at RCV.NXT
   * past its window, drops it before tcp_ack looks at its ACK field and answers with a duplicate
   * ACK; the buffer's room would have made it acceptable and its ACK processed.
   */
  static long acceptanceWindow(TcbView tcb) {
    long offered = Integer.toUnsignedLong(tcb.offeredEdge() - tcb.rcvNxt());
    return offered == 0 ? 0 : Math.max(offered, tcb.rcvWnd());
  }

  /**
   * The four cases of the acceptability test, RFC 9293 §3.10.7.4 (table "Segment Length / Receive
   * Window / Test").
   */
  public static boolean acceptable(int seq, int segLen, int rcvNxt, long rcvWnd) {
    if (segLen == 0) {
      return rcvWnd == 0 ? seq == rcvNxt : inWindow(seq, rcvNxt, rcvWnd);
    }
    if (rcvWnd == 0) return false;
    return inWindow(seq, rcvNxt, rcvWnd) || inWindow(plus(seq, segLen - 1L), rcvNxt, rcvWnd);
  }

  /**
   * §3.5 Figure 8 line 6, and Linux's tcp_validate_incoming (step 4 passes it for a socket of its
   * own): after crossed SYNs an active opener in SYN-RECEIVED takes the peer's SYN-ACK, its SYN
   * just below RCV.NXT with no text or FIN and its ACK our SND.NXT, as the ACK that establishes,
   * though §3.10.7.4's acceptability test finds the SYN old (which would leave the connection
   * waiting for a retransmission). The model's TcpSystem has the same exception
   * (SynAckAfterCrossedSyns); the receiver answers the old SYN with a DSACK, as tcp_data_queue.
   */
  static boolean synAckAfterCrossedSyns(State state, SegmentView seg, TcbView tcb) {
    return state == State.SYN_RECEIVED && tcb.activeOpener() && seg.has(TcpFlags.SYN) && seg.has(TcpFlags.ACK)
        && seg.segLen() == 1 && plus(seg.seq(), 1) == tcb.rcvNxt() && seg.ack() == tcb.sndNxt()
        && !tcb.pawsRejects(seg);
  }

  /**
   * Linux (tcp_sequence lets a FIN lie one beyond the window; tcp_data_queue, since 6.10, takes a
   * bare FIN at RCV.NXT while the window is zero): "Some stacks are known to send bare FIN packets
   * in a loop even if we send RWIN 0 in our ACK". §3.10.7.4's test finds such a FIN unacceptable
   * (SEG.LEN 1, RCV.WND 0) and answers it with an ACK that leaves it unacknowledged, which such a
   * peer answers with the FIN again; taking it costs no receive memory.
   */
  static boolean zeroWindowBareFin(SegmentView seg, int rcvNxt, long rcvWnd) {
    return rcvWnd == 0 && seg.seq() == rcvNxt && seg.payloadLength() == 0 && seg.has(TcpFlags.FIN)
        && !seg.has(TcpFlags.SYN);
  }

  /**
   * Whether a FIN takes effect with this segment (§3.10.7.4 eighth step): its own FIN in order
   * ({@link #finInOrder}), or a FIN that came out of order and is held, which this segment's new
   * in-order text, with the text held after it, reaches (Linux tcp_ofo_queue, then tcp_fin).
   */
  static boolean finTaken(SegmentView seg, int rcvNxt, long rcvWnd, TcbView tcb) {
    if (finInOrder(seg, rcvNxt, rcvWnd, tcb)) return true;
    if (seg.has(TcpFlags.FIN) || seg.payloadLength() == 0 || gt(seg.seq(), rcvNxt)) return false;
    int textEnd = plus(seg.seq(), seg.payloadLength() + (seg.has(TcpFlags.SYN) ? 1 : 0));
    return gt(textEnd, rcvNxt) && tcb.heldFinReachedBy(textEnd);
  }

  /**
   * Whether the segment's FIN is the next thing in sequence space once its text is taken: the text
   * starts at or before RCV.NXT and reaches it, and Linux takes the segment whole. tcp_sequence
   * lets the FIN lie one beyond the window offered (it holds end_seq less the FIN to the edge), and
   * takes a segment that starts in the window and ends past it only while nothing waits to be read
   * (Linux 6.17+); what it takes, tcp_data_queue queues whole, FIN included, unless the window is
   * zero, where only a bare FIN is taken. One that arrives out of order is held with the
   * out-of-order text (Linux tcp_data_queue_ofo) and taken by {@link #finTaken}.
   */
  static boolean finInOrder(SegmentView seg, int rcvNxt, long rcvWnd, TcbView tcb) {
    if (!seg.has(TcpFlags.FIN)) return false;
    int finSeq = plus(seg.seq(), seg.payloadLength() + (seg.has(TcpFlags.SYN) ? 1 : 0));
    if (gt(seg.seq(), rcvNxt) || lt(finSeq, rcvNxt)) return false;
    int edge = tcb.offeredEdge();
    if (rcvWnd == 0 || edge == rcvNxt) return finSeq == rcvNxt;
    return le(finSeq, edge) || (le(seg.seq(), edge) && tcb.receiveQueueEmpty());
  }
}
