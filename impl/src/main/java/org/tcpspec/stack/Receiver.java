package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.inWindow;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.fsm.State;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * The receiving half of a connection (gVisor's rcv.go): text into the receive buffer or the
 * reassembler (§3.10.7.4 seventh step), the FIN (eighth step), when an ACK is owed (delayed ACK,
 * quick ACKs, every second full-sized segment, RFC 1122 §4.2.3.2, RFC 5681 §4.2), the window we
 * advertise and when reading reopens it (§3.8.6.2.2, {@link ReceiveWindow}), the SACK blocks our
 * segments carry (RFC 2018 §4) with a DSACK first when a duplicate arrived ({@link SackReport}), and
 * TS.Recent (RFC 7323 §4.3). Whether the receive memory takes the text is {@link
 * ReceiveMemoryAdmission}'s (tcp_try_rmem_schedule). The sender puts what this decides on the wire.
 *
 * <p>Not final so that TcbTraceMutantTest can put a receiver with a planted bug into a connection
 * and show that trace validation rejects it.
 */
class Receiver {
  /** Linux: TCP_DELACK_MIN, 40 ms; RFC 9293 §3.8.6.3 allows at most 0.5 s (Linux max 200 ms). */
  static final long DELAYED_ACK_NANOS = 40_000_000L;
  /** Linux TCP_DELACK_MAX: HZ / 5. */
  private static final long DELACK_MAX_NANOS = 200_000_000L;
  /** Linux: TCP_MAX_QUICKACKS, ACK every segment at first so the peer's slow start is not slowed. */
  private static final int QUICK_ACKS = 16;

  private final Connection c;
  private final Tcb tcb;
  /** An ACK must go out with the next output (pure if no data segment carries it). */
  boolean ackOwed;
  /**
   * {@link #ackOwed} was set by the quick-ack rule alone (Linux's tcp_in_quickack_mode), which a FIN
   * in the same segment overrides: tcp_fin enters pingpong mode before __tcp_ack_snd_check asks.
   */
  private boolean quickAckOnly;
  /**
   * In-order text has been taken outside a SYN (Linux's icsk_ack.ato is set: tcp_event_data_recv
   * starts the delayed-ACK engine; text in a SYN, tcp_fastopen_add_skb, does not). Before that a
   * delayed ACK has a timeout of 0 and goes at once.
   */
  private boolean delayedAckStarted;
  private boolean peerFin;
  int quickAcks = QUICK_ACKS;
  private long bytesSinceAck;
  /** The largest segment received so far (Linux icsk_ack.rcv_mss), for the every-second-segment rule. */
  private int rcvMss = Tcb.DEFAULT_MSS;
  /** The window offered, as Linux selects it from receive memory (rcv_wnd, rcv_ssthresh, window_clamp). */
  final ReceiveWindow window;
  /** The SACK and DSACK blocks our segments carry. */
  private final SackReport sack;
  /** Whether the receive memory takes a segment's text (tcp_try_rmem_schedule). */
  private final ReceiveMemoryAdmission memoryAdmission;
  /** When the last data arrived, or the peer's SYN (Linux icsk_ack.lrcvtime, tcpi_last_data_recv). */
  private long lastDataNanos;
  /** Data octets taken in order (tcpi_bytes_received). */
  private long bytesReceived;
  /** Text was dropped for want of memory: the next ACK offers a zero window (ICSK_ACK_NOMEM). */
  boolean noMemory;
  Receiver(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
    this.window = new ReceiveWindow(c);
    this.sack = new SackReport(c);
    this.memoryAdmission = new ReceiveMemoryAdmission(c, this);
  }

  /** The peer's FIN arrived: after the readable bytes, reads return end of stream. */
  boolean peerFinished() {
    return peerFin;
  }

  /**
   * Linux tcp_rcv_synsent_state_process with a write waiting for the handshake (sk_write_pending):
   * "Save one ACK. Data will be ready after several ticks": the SYN-ACK's ACK waits for that data,
   * or for the delayed-ACK timer reset to TCP_DELACK_MAX (inet_csk_reset_xmit_timer, ICSK_TIME_DACK).
   */
  void ackSavedForPendingWrite() {
    tcb.timers.arm(TimerKind.DELAYED_ACK, c.clock.nowNanos() + DELACK_MAX_NANOS);
  }

  /** An ACK is owed and goes out with the next output. */
  boolean ackOwed() {
    return ackOwed;
  }

  /** Owe an ACK now (SEND_ACK, a challenge ACK, an answer to an unacceptable segment). */
  void owe() {
    ackOwed = true;
  }

  /**
   * Linux tcp_ecn_accept_cwr, which tcp_ack runs for every ACK in [SND.UNA, SND.NXT]: the peer's
   * CWR ends our ECE (RFC 3168 §6.1.3), on a pure ACK too (Linux departs from §6.1.2 there, for
   * peers that send it so), and a segment with text or a FIN that carries it is acknowledged at
   * once, since the peer may have cut its cwnd down to one segment (ICSK_ACK_NOW).
   */
  void cwrArrived(SegmentView seg) {
    if (!tcb.ecnOk || !seg.has(TcpFlags.CWR)) return;
    tcb.ecnDemandCwr = false;
    if (seg.segLen() > 0) ackOwed = true;
  }

  /** The peer's SYN was recorded: Linux starts the clock of tcpi_last_data_recv there. */
  void synReceived() {
    lastDataNanos = c.clock.nowNanos();
    window.synReceived();
  }

  long lastDataNanos() {
    return lastDataNanos;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  /** The receiver's estimate of the peer's MSS (tcpi_rcv_mss). */
  int rcvMss() {
    return rcvMss;
  }

  /**
   * RECEIVE_TEXT, §3.10.7.4 seventh step: take in-window text, decide when to ACK it; a FIN ahead
   * of RCV.NXT is held with the out-of-order text. {@code finTaken}: the row takes a FIN with this
   * segment (its own, or a held one its text reaches), so its text is charged by force.
   */
  void text(SegmentView seg, boolean finTaken) {
    if (finTaken && tcb.sackOk && tcb.receiveBuffer.hasOutOfOrder()
        && (c.state() == State.FIN_WAIT_1 || c.state() == State.FIN_WAIT_2)) {
      sack.keepForFinAck();
    }
    int len = seg.payloadLength();
    int dataSeq = plus(seg.seq(), seg.has(TcpFlags.SYN) ? 1 : 0);
    // The peer's SYN-ACK after crossed SYNs, taken in SYN-RECEIVED (Classifier): Linux's
    // tcp_data_queue finds its SYN a retransmission, so a DSACK for it (RFC 2883) and an ACK at once.
    if (seg.has(TcpFlags.SYN) && c.state() == State.SYN_RECEIVED && lt(seg.seq(), tcb.rcvNxt)) {
      sack.noteDuplicate(seg.seq(), dataSeq);
      ackOwed = true;
    }
    if (len == 0) {
      if (seg.has(TcpFlags.FIN)) holdFin(dataSeq);
      // tcp_data_queue asks tcp_try_rmem_schedule for a bare FIN in order too: with the receive
      // memory above the buffer its ACK goes at once and offers nothing (ICSK_ACK_NOMEM,
      // ICSK_ACK_NOW), and the FIN is taken all the same (Linux 6.10+ drops only text there).
      if (finTaken && !memoryAdmission.canIngest(tcb.receiveBuffer.nextOffset())) {
        noMemory = true;
        ackOwed = true;
      }
      return;
    }
    long start = tcb.receiveBuffer.nextOffset() + distance(tcb.rcvNxt, dataSeq);
    boolean hadHole = tcb.receiveBuffer.hasOutOfOrder();
    boolean inOrder = le(dataSeq, tcb.rcvNxt);
    // A retransmission that also carries new text: its old front is reported as a DSACK.
    int oldFront = inOrder ? distance(dataSeq, tcb.rcvNxt) : 0;
    // tcp_sequence (Linux 6.17+): text past the right edge offered is dropped whole, with an ACK
    // at once (tcp_send_dupack), unless nothing is waiting to be read, when it is taken whole. The
    // edge is the one offered last, also when tcp_shrink_window took part of the window back
    // (Linux 6.18 drops what the peer sent into the part taken back: tcp_rcv_wnd_shrink_allowed.pkt
    // fails there on this kernel).
    // A FIN the table took with this text came with text tcp_sequence takes (the classifier's
    // finInOrder asked the same edge): it is taken whole, also past the edge.
    int edge = plus(tcb.rcvNxt, window.receiveWindow());
    boolean beyond = lt(edge, plus(dataSeq, len));
    if (beyond && !finTaken && (lt(edge, dataSeq) || tcb.receiveBuffer.readable() > 0)) {
      c.stack().mib().increment(LinuxMib.Counter.BEYOND_WINDOW);
      ackOwed = true;
      return;
    }
    if (!memoryAdmission.charged(seg, start, len, inOrder, finTaken)) return;
    sack.noteDuplicate(dataSeq, plus(dataSeq, len));
    int truesize = ReceiveWindow.tunTruesize(seg.ipTotalLength());
    long inOrderBefore = tcb.receiveBuffer.nextOffset();
    int oooBefore = tcb.receiveBuffer.held() - tcb.receiveBuffer.readable();
    long advanced = tcb.receiveBuffer.accept(start, seg, 0, len, beyond);
    window.charge(truesize, inOrderBefore, oooBefore);
    tcb.rcvNxt = plus(tcb.rcvNxt, advanced);
    // After RCV.NXT moved: a FIN right after text taken in order is the row's RECEIVE_FIN, not
    // one to hold (and acknowledge at once) as out of order.
    if (seg.has(TcpFlags.FIN)) holdFin(plus(dataSeq, len));
    bytesReceived += advanced;
    lastDataNanos = c.clock.nowNanos();
    measureRcvMss(seg, len, truesize);
    if (advanced > 0) c.autotuning.textReceived(seg, len, rcvMss);
    if (advanced > 0 && !seg.has(TcpFlags.SYN)) delayedAckStarted = true;
    if (!inOrder || hadHole || advanced < len - oldFront) {
      // Out of order, filling a hole, or cut short: ACK at once (RFC 5681 §4.2). New text behind
      // an old front follows the usual rules, as tcp_data_queue's partial-packet case does.
      // Linux grows the window for out-of-order text of a SACK flow too (tcp_data_queue_ofo).
      if (!inOrder && tcb.sackOk) growWindow(len, truesize, true);
      if (!inOrder) c.autotuning.outOfOrderQueued();
      ackOwed = true;
      return;
    }
    bytesSinceAck += advanced;
    if (len >= 128) growWindow(len, truesize, false);
    if (fullSegmentsSinceAck()) {
      ackOwed = true;
    } else if (quickAcks > 0 && !c.options.pingpong) {
      quickAcks--;
      quickAckOnly = !ackOwed;
      ackOwed = true;
    } else {
      tcb.timers.armIfIdle(TimerKind.DELAYED_ACK, c.clock.nowNanos() + DELAYED_ACK_NANOS);
    }
  }

  /**
   * A FIN at {@code finSeq} that is still ahead of RCV.NXT once the text before it was taken: held
   * if it lies in the window (Linux tcp_data_queue_ofo), with a DSACK when it was held already, and
   * acknowledged at once with the SACK block that covers it (RFC 5681 §4.2). A FIN at RCV.NXT is
   * the row's RECEIVE_FIN.
   */
  private void holdFin(int finSeq) {
    if (!lt(tcb.rcvNxt, finSeq) || !inWindow(finSeq, tcb.rcvNxt, tcb.rcvWnd())) return;
    long offset = tcb.receiveBuffer.nextOffset() + distance(tcb.rcvNxt, finSeq);
    if (tcb.receiveBuffer.finHeldAt(offset)) sack.noteDuplicate(finSeq, plus(finSeq, 1));
    tcb.receiveBuffer.holdFin(offset);
    ackOwed = true;
  }

  /**
   * tcp_adjust_rcv_ssthresh under memory pressure: offer at most four segments beyond what was
   * offered already.
   */
  void clampWindow() {
    window.clampToPressure(advMss());
  }

  /**
   * tcp_grow_window ({@link ReceiveWindow#grow}): rcv_ssthresh grows by two segments per segment,
   * and by twice the length of a longer one ({@code max(incr, 2 * skb->len)}): a coalesced segment
   * (GRO, a TUN super-packet) grows it as the run of segments it stands for would. When it grew,
   * Linux asks for a quick ACK (icsk_ack.quick |= 1).
   */
  private void growWindow(int len, int truesize, boolean outOfOrder) {
    boolean grew = window.grow(len, truesize, outOfOrder, advMss(), rcvMss, c.stack().memory().underPressure());
    if (grew) quickAcks |= 1;
  }

  /**
   * tcp_measure_rcv_mss: the peer's segment size is the packet's GSO size, or its length; when one
   * at least the estimate so far differs from it, the packet's payload-to-truesize ratio becomes the
   * scaling ratio (and window_clamp follows, as does autotuning's first measure). The estimate is
   * at most our MSS.
   */
  private void measureRcvMss(SegmentView seg, int len, int truesize) {
    int gso = seg.gsoSize();
    int segSize = gso > 0 && len > gso ? gso : len;
    if (segSize < rcvMss) return;
    if (segSize != rcvMss) {
      int clamp = window.measured(len, truesize);
      if (clamp >= 0) c.autotuning.clampSpace(clamp);
    }
    rcvMss = Math.min(segSize, advMss());
  }

  /** Linux tp->advmss ({@link org.tcpspec.tcb.Tcb#advMss}); before we offered one, the device's MSS. */
  int advMss() {
    return tcb.advMss > 0 ? tcb.advMss : c.stack().localMss(c.tuple.remoteAddr());
  }

  /** tcp_sack_reset after out-of-order text was pruned: no DSACK is reported for it. */
  void sackReset() {
    sack.reset();
  }

  /** SEND_OUT_OF_WINDOW_ACK for {@code seg}: see {@link SackReport#unacceptable}. */
  void unacceptable(SegmentView seg) {
    sack.unacceptable(seg);
  }

  /**
   * RECEIVE_FIN, §3.10.7.4 eighth step: the FIN takes one sequence number and is acknowledged. It
   * is the segment's own, or one held out of order that the segment's text has made the next thing
   * in order. Nothing after it can be read: Linux's tcp_fin drops the out-of-order queue and the
   * SACK state, a pending DSACK included (skb_rbtree_purge, tcp_sack_reset), after the ACK it sends
   * itself in FIN-WAIT-1 and FIN-WAIT-2 (tcp_send_ack). In ESTABLISHED and SYN-RECEIVED, tcp_fin
   * enters pingpong mode (the application is expected to answer, its data carrying the ACK), so
   * __tcp_ack_snd_check delays that ACK unless a reason other than quick-ack mode asks for it now:
   * more than a full segment taken since the last ACK with the window it would offer no smaller
   * ({@link #fullSegmentsSinceAck}), a hole filled, a duplicate; or no text has been taken yet (the
   * delayed-ACK timeout is then 0).
   */
  void fin(SegmentView seg) {
    int finSeq = plus(seg.seq(), seg.payloadLength() + (seg.has(TcpFlags.SYN) ? 1 : 0));
    boolean next = seg.has(TcpFlags.FIN) ? finSeq == tcb.rcvNxt
        : tcb.receiveBuffer.finHeldAt(tcb.receiveBuffer.nextOffset());
    if (next) {
      tcb.rcvNxt = plus(tcb.rcvNxt, 1);
      tcb.receiveBuffer.skipControl();
    }
    if (tcb.receiveBuffer.hasOutOfOrder()) tcb.receiveBuffer.dropOutOfOrder();
    State state = c.state();
    boolean sendsOwnAck = state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2;
    if (!sendsOwnAck) sack.reset();
    peerFin = true;
    if (state == State.ESTABLISHED || state == State.SYN_RECEIVED) {
      c.options.pingpong = true;
      // Before any text, tcp_send_delayed_ack's timeout is ato = 0: the ACK goes at once.
      boolean ackNow = ackOwed && !quickAckOnly || fullSegmentsSinceAck() || !delayedAckStarted;
      if (!ackNow) {
        if (quickAckOnly) quickAcks++;
        quickAckOnly = false;
        ackOwed = false;
        tcb.timers.armIfIdle(TimerKind.DELAYED_ACK, c.clock.nowNanos() + DELAYED_ACK_NANOS);
        return;
      }
    }
    ackOwed = true;
  }

  /**
   * __tcp_ack_snd_check's first reason to ACK now: more than a full segment since the last ACK and
   * the window it would offer now at least the one offered, or nothing left to read (RFC 9293
   * §3.8.6.3 SHLD-19's every second full-sized segment, as Linux asks it). Selecting the window
   * ends quick-ACK mode when free memory is below half the full space.
   */
  private boolean fullSegmentsSinceAck() {
    return bytesSinceAck > rcvMss && (tcb.receiveBuffer.readable() < 1 || selectWindow() >= window.rcvWnd());
  }

  /** The delayed ACK timer fired. Linux (tcp_delack_timer_handler): that ends pingpong mode. */
  void delayedAckExpired() {
    ackOwed = true;
    c.options.pingpong = false;
  }

  /**
   * The application consumed bytes: owe an ACK when that opened the window enough to announce
   * (RFC 9293 §3.8.6.2.2 receiver SWS avoidance, as Linux's __tcp_cleanup_rbuf asks it: what is
   * left of the window offered is at most half of window_clamp and the window selected now is at
   * least twice that; none after the peer's FIN), or when an ACK for more than a full segment is
   * still waiting for the delayed-ACK timer. Returns whether an ACK is now owed.
   */
  boolean consumed() {
    // __tcp_cleanup_rbuf: an ACK still scheduled for more than a full segment ("once-per-two-segments
    // ACK was not sent by tcp_input.c", the window having shrunk meanwhile) goes when the
    // application reads.
    if (tcb.timers.armed(TimerKind.DELAYED_ACK) && bytesSinceAck > rcvMss) {
      ackOwed = true;
      return true;
    }
    if (peerFin) return false;
    int left = window.leftOffered();
    // Linux's __tcp_cleanup_rbuf: when what is left of the window offered is at most half of
    // window_clamp, an ACK goes if __tcp_select_window would offer at least twice that.
    if (2L * left > window.windowClamp()) return false;
    int offer = selectWindow();
    boolean doubled = offer != 0 && offer >= 2L * left;
    if (doubled) ackOwed = true;
    return doubled;
  }

  /** TCP_QUICKACK 1 (see {@link Stack#quickAck}): a delayed ACK is owed now if nothing is unread. */
  boolean quickAck() {
    boolean due = tcb.timers.armed(TimerKind.DELAYED_ACK) && tcb.receiveBuffer.readable() == 0;
    if (due) ackOwed = true;
    return due;
  }

  /** The SYN-ACK a request record sent offered {@code field} (unscaled, RFC 7323 §2.2). */
  void synWindowAdvertised(int field) {
    // tcp_openreq_init_rwin's rcv_wnd is tcp_select_initial_window's, before the 16-bit clip.
    int mss = advMss() - (tcb.tsOk ? Handshake.TSTAMP_ALIGNED : 0);
    int rcvWnd = Handshake.initialWindow(c.options.rcvBuf, mss);
    window.initialWindow(field < 0xFFFF ? field : Math.max(field, rcvWnd));
  }

  /**
   * The window field of a segment sent now, noting the right edge it offers. RFC 7323 §2.2: the
   * window of a SYN is never scaled.
   */
  int windowField(boolean syn) {
    if (noMemory && !syn) {
      // Linux's tcp_select_window: the ACK for text dropped for want of memory offers nothing.
      noMemory = false;
      window.offeredNothing();
      return 0;
    }
    if (syn) {
      // Our SYN (tcp_connect_init): tcp_select_initial_window's rcv_wnd, at most 16 bits unscaled.
      int rcvWnd = Handshake.initialWindow(c.options.rcvBuf, advMss());
      window.initialWindow(rcvWnd);
      return Math.min(rcvWnd, 0xFFFF);
    }
    return window.offer(selectWindow(), tcb.rcvWscale, c.stack().config().shrinkWindow());
  }

  /**
   * __tcp_select_window ({@link ReceiveWindow#select}): free memory below half of the full space
   * ends quick-ACK mode (icsk_ack.quick = 0), and under memory pressure clamps rcv_ssthresh.
   */
  private int selectWindow() {
    int w = window.select(rcvMss, tcb.rcvWscale, c.stack().config().shrinkWindow(), c.stack().memory().underPressure(),
        advMss());
    if (window.belowHalf()) quickAcks = 0;
    return w;
  }

  /** A segment carrying our current ACK goes out: nothing is owed any more. */
  void ackSent() {
    ackOwed = false;
    quickAckOnly = false;
    bytesSinceAck = 0;
    tcb.timers.cancel(TimerKind.DELAYED_ACK);
  }

  /** The SACK blocks of our next segment: see {@link SackReport#write}. */
  void sackBlocks(OutboundSegment o) {
    sack.write(o);
  }

  /** The bytes the SACK option of our next segment takes: see {@link SackReport#optionBytes}. */
  int sackOptionBytes() {
    return sack.optionBytes();
  }
}
