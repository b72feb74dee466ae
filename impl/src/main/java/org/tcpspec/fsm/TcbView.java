package org.tcpspec.fsm;

import org.tcpspec.wire.SegmentView;

/**
 * What the classifier reads of a connection: the TCB variables under their RFC 9293 §3.3.1 names,
 * and the few facts beyond the TCB that decide an arrival's kind. Implemented by the stack's
 * connection; the fsm package never writes through it.
 */
public interface TcbView {
  int iss();

  /** IRS, the peer's initial sequence number (its SYN's SEG.SEQ). */
  int irs();

  int sndUna();

  int sndNxt();

  int rcvNxt();

  /**
   * RCV.WND in bytes (already unscaled) as the receive buffer's room; the classifier's
   * acceptability test holds it to {@link #offeredEdge} (Classifier.acceptanceWindow).
   */
  long rcvWnd();

  /**
   * The right edge of the window last offered: RCV.NXT plus what is left of it (Linux rcv_nxt +
   * tcp_receive_window, which tcp_sequence holds a segment's end to). A view that offers RCV.WND
   * as it reads it says RCV.NXT + RCV.WND.
   */
  default int offeredEdge() {
    return rcvNxt() + (int) rcvWnd();
  }

  /**
   * Whether no in-order text waits to be read (Linux's empty sk_receive_queue): then tcp_sequence
   * takes a segment that starts in the window but ends past it. A view that does not know says no.
   */
  default boolean receiveQueueEmpty() {
    return false;
  }

  /**
   * MAX.SND.WND of RFC 5961 §5.2, the largest window the peer offered, as Linux bounds it
   * (tcp_ack: min(max_window, bytes_acked)): never more than the peer has acknowledged, so that
   * an ACK for bytes never sent is not acceptable either. 0 before anything was acknowledged.
   */
  long maxSndWnd();

  /** Whether our FIN has been sent, so that SND.NXT - 1 is its sequence number. */
  boolean finSent();

  /** RFC 7323 §5.3 PAWS: whether the segment's timestamp is older than TS.Recent. */
  boolean pawsRejects(SegmentView seg);

  /**
   * Whether the segment is a pure ACK below RCV.NXT that fails PAWS, which Linux drops in silence
   * where other PAWS failures get a duplicate ACK (tcp_validate_incoming's
   * SKB_DROP_REASON_TCP_RFC7323_PAWS_ACK). A view that does not know says no.
   */
  default boolean pawsOldAck(SegmentView seg) {
    return false;
  }

  /**
   * Linux tcp_rcv_synsent_state_process (LINUX_MIB_PAWSACTIVEREJECTED): in SYN-SENT a segment with
   * ACK whose TSecr is not 0 and lies outside [the TSval of our first SYN, now] echoes no SYN of
   * ours; it is answered as an unacceptable ACK (reset_and_undo: <SEQ=SEG.ACK><CTL=RST>, the
   * connection stays). A view without timestamps says no.
   */
  default boolean synSentTsEcrRejected(SegmentView seg) {
    return false;
  }

  /**
   * Whether timestamps are on and the segment's TSval is newer than TS.Recent (RFC 6191 §2); a
   * view without timestamps says no.
   */
  default boolean timestampNewer(SegmentView seg) {
    return false;
  }

  /**
   * Whether the application's receive side is shut: close() was called, or shutdown() of the
   * reading direction (Linux's RCV_SHUTDOWN). A "half-duplex" close (RFC 9293 §3.6.1 MAY-1): text
   * that arrives after it can never be read. A view of a connection nobody has closed says no.
   */
  default boolean receiveShut() {
    return false;
  }

  /**
   * Whether a FIN that arrived out of order is held (Linux tcp_data_queue_ofo) where the in-order
   * sequence space ends once the text up to {@code end} (at or after RCV.NXT) is taken together
   * with the text held out of order: that text makes the FIN the next thing in order, and the FIN
   * takes effect with it (tcp_ofo_queue calls tcp_fin). A view that holds nothing out of order
   * says no.
   */
  default boolean heldFinReachedBy(int end) {
    return false;
  }

  /**
   * Whether this connection is an application's own socket that connected (Linux's sk->sk_socket
   * in SYN-RECEIVED after crossed SYNs), not one that came from LISTEN. A view that does not know
   * says no.
   */
  default boolean activeOpener() {
    return false;
  }

  /**
   * Whether this FIN-WAIT-2 connection is orphaned and Linux would hold it as a timewait socket of
   * substate FIN_WAIT2 (tcp_time_wait from tcp_close or tcp_rcv_state_process, once tcp_fin_timeout
   * leaves at most TCP_TIMEWAIT_LEN to wait): segments are then answered as
   * tcp_timewait_state_process answers them ({@link Classifier}). A view that does not know says no.
   */
  default boolean finWait2TimeWait() {
    return false;
  }

  /**
   * Whether this connection is orphaned with a negative TCP_LINGER2, so it may not wait in
   * FIN-WAIT-2: Linux's tcp_rcv_state_process drops it once its FIN is acknowledged in FIN-WAIT-1
   * and answers that segment with a RST ({@link Classifier}). A view that does not know says no.
   */
  default boolean finWait2Refused() {
    return false;
  }

  /**
   * PAWS as that timewait socket tests it (tcp_paws_reject): a window of 0, and a RST held to it
   * too until TS.Recent is 60 s old. Asked only when {@link #finWait2TimeWait}, and of a RST in
   * TIME-WAIT (a segment of any other kind there is tested by {@link #pawsRejects}, which Linux's
   * TIME-WAIT socket also tests with tcp_paws_reject).
   */
  default boolean timewaitPawsRejects(SegmentView seg) {
    return pawsRejects(seg);
  }

  /**
   * Whether a new incarnation may take this TIME-WAIT connection's place (§3.6.1 MAY-2): a
   * listener on the port has room for it and no socket still refers to this connection. Asked
   * only for a SYN that qualifies.
   */
  boolean reopenable();
}
