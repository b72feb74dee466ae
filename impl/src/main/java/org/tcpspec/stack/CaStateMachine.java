package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.lt;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.cc.SenderState;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * The sender's response to loss, as Linux runs it (tcp_ack, tcp_fastretrans_alert, tcp_enter_loss,
 * tcp_xmit_retransmit_queue): the congestion states of {@link CaState}, entered and left on ACKs
 * and timeouts; which segments are lost is {@link LossRecovery}'s to say (RACK by default), and
 * what goes out again is exactly those. In recovery cwnd follows PRR (RFC 6937); a recovery or
 * timeout proved spurious by DSACKs (RFC 2883, RFC 3708) or timestamps (Eifel, RFC 3522) is
 * undone; F-RTO (RFC 5682) tells a spurious timeout by the ACKs after it; tail loss probes (RFC
 * 8985 §7) stand in for the RTO while the state is Open. An ECN echo (RFC 3168 §6.1.2) reduces
 * cwnd once per window in the CWR state, and every reduction queues a CWR for the next new data.
 * Everything is counted in segments, as Linux counts packets; cwnd outside these belongs to the
 * {@link CongestionControl}.
 *
 * <p>Here: the state transitions and the {@link Sender}'s entry points. The parts, one per concern,
 * made once per connection (nothing is allocated per ACK): {@link SackTagging}, {@link Undo},
 * {@link RtoLoss} (Loss and F-RTO), {@link Retransmissions}, {@link RetransmitTimer}, {@link
 * CwndControl} (reductions, growth, TSO sizing), {@link Prr}, {@link TailLossProbe}.
 */
final class CaStateMachine implements SenderState {
  /** What tcp_xmit_recovery is asked to send after an ACK (Linux REXMIT_*). */
  enum Resend { NONE, LOST, NEW }

  private final Connection c;
  private final Sender sender;
  private final Tcb tcb;
  final RetransmitQueue queue;
  final AckSample sample = new AckSample();
  final Prr prr = new Prr();
  final TailLossProbe probe = new TailLossProbe(this);
  final RetransmitTimer timer;
  final Undo undo;
  final SackTagging tags;
  final Retransmissions retransmissions;
  final CwndControl cwnd;
  final RtoLoss loss;
  private CongestionControl cc;
  private LossRecovery recovery;
  private boolean sack;
  private CaState state = CaState.OPEN;
  /** Linux high_seq: SND.NXT when the current reduction or timeout began (RFC 6582 recover). */
  int highSeq;
  private long minRttNanos = Long.MAX_VALUE;
  // Counters of tcp_info.
  private long deliveredTotal;
  /** Segments delivered by ACKs with ECE (tcpi_delivered_ce; Linux tcp_count_delivered). */
  private long deliveredCe;
  /** When a data segment last went out (Linux lsndtime). */
  private long lastSendNanos;

  CaStateMachine(Connection c, Sender sender, Tcb tcb, SegmentRingPool rings) {
    this.c = c;
    this.sender = sender;
    this.tcb = tcb;
    this.queue = new RetransmitQueue(rings);
    this.cc = CongestionControls.create(config(), this);
    this.recovery = new NewRenoRecovery(this);
    this.timer = new RetransmitTimer(this, tcb);
    this.undo = new Undo(this, sender, tcb, c.clock);
    this.tags = new SackTagging(this, tcb);
    this.retransmissions = new Retransmissions(this, sender, tcb, timer, undo);
    this.cwnd = new CwndControl(this, tcb);
    this.loss = new RtoLoss(this, tcb);
  }

  /**
   * The handshake settled SACK: loss is detected by RACK (tcp_recovery bit 1), RFC 6675's count
   * (tcp_recovery 0) or, without SACK, NewReno's duplicate ACKs.
   */
  void negotiated(boolean sack) {
    this.sack = sack;
    cc = CongestionControls.create(config(), this);
    if (!sack) recovery = new NewRenoRecovery(this);
    else if ((config().tcpRecovery() & StackConfig.RACK_LOSS_DETECTION) != 0) recovery = new RackRecovery(this);
    else recovery = new SackRecovery(this);
  }

  // ---------------------------------------------------------------- what the parts read

  StackConfig config() {
    return c.stack().config();
  }

  CongestionControl congestionControl() {
    return cc;
  }

  LossRecovery recovery() {
    return recovery;
  }

  CaState state() {
    return state;
  }

  boolean sack() {
    return sack;
  }

  int reordering() {
    return tags.reordering;
  }

  /** The smallest RTT measured (Linux tcp_min_rtt; {@link Long#MAX_VALUE} before any). */
  long minRttNanos() {
    return minRttNanos;
  }

  void rttSample(long nanos) {
    minRttNanos = Math.min(minRttNanos, nanos);
  }

  /** Linux tcp_tso_autosize: see {@link CwndControl#tsoSegs}. */
  int tsoSegs(int mss) {
    return cwnd.tsoSegs(mss);
  }

  @Override
  public long srttNanos() {
    return tcb.rtt.srttNanos();
  }

  long rtoNanos() {
    return tcb.rtt.rtoNanos();
  }

  /** The connection's minimum RTO (Linux tcp_rto_min_us(sk)). */
  long minRtoNanos() {
    return tcb.rtt.minRtoNanos();
  }

  @Override
  public int sndUna() {
    return tcb.sndUna;
  }

  @Override
  public int sndNxt() {
    return tcb.sndNxt;
  }

  @Override
  public long nowNanos() {
    return c.clock.nowNanos();
  }

  @Override
  public int mss() {
    return tcb.sndMss;
  }

  @Override
  public long lastSendNanos() {
    return lastSendNanos;
  }

  /** A data segment went out at {@code nanos} (Linux lsndtime). */
  void lastSend(long nanos) {
    lastSendNanos = nanos;
  }

  XmitTimer pendingTimer() {
    return timer.pending();
  }

  long delivered() {
    return deliveredTotal;
  }

  long deliveredCe() {
    return deliveredCe;
  }

  /**
   * Our SYN (or SYN-ACK) was acknowledged: Linux counts it as one packet delivered (tcp_ack's
   * tcp_clean_rtx_queue); a SYN's data acknowledged with it adds nothing (tcp_rcv_fastopen_synack
   * takes the second count back).
   */
  void synDelivered() {
    deliveredTotal++;
  }

  /** When this episode's first retransmission went (Linux retrans_stamp), or {@code otherwise}. */
  long firstRetransmissionNanos(long otherwise) {
    return undo.firstRetransmissionNanos(otherwise);
  }

  /** Segments congestion control lets out now: cwnd less the segments in flight. */
  int sendRoom() {
    return cc.cwnd() - queue.packetsInFlight();
  }

  boolean hasNewDataToSend() {
    return sender.unsentBytes() > 0 && gt(sender.windowEnd(), tcb.sndNxt);
  }

  // ---------------------------------------------------------------- sending

  /**
   * A new segment [start, end) went out (Linux tcp_event_new_data_sent), with PSH when {@code
   * pushed}, beginning one of Linux's skbs when {@code startsSkb}, at {@code nowNanos} (the send
   * pass's clock reading, Linux's tp->tcp_mstamp: reading the clock per segment cost the TUN
   * sender a tenth of its processor time): the RTO starts if nothing was in flight or a loss
   * probe was pending, and CUBIC hears of a start after idle.
   */
  void sentNew(int start, int end, boolean pushed, boolean startsSkb, long nowNanos) {
    int prior = queue.size();
    if (queue.packetsInFlight() == 0) cc.onTransmitStart(nowNanos);
    lastSendNanos = nowNanos;
    queue.sent(start, end, nowNanos, pushed, startsSkb);
    if (inCwndReduction()) prr.sent(1);
    if (prior == 0 || timer.pending() == XmitTimer.LOSS_PROBE) timer.rearmRto();
  }

  /**
   * The output loop ended having sent {@code sent} new segments; {@code limited}: it stopped at
   * cwnd (Linux tcp_write_xmit's end: tcp_cwnd_validate, then a loss probe scheduled).
   */
  void outputDone(int sent, boolean limited) {
    boolean cwndBound = limited || queue.packetsInFlight() >= cc.cwnd();
    if (sent > 0 || cwndBound) cwnd.validateCwnd(cwndBound);
    if (sent > 0) probe.schedule(false);
  }

  /** May new data go now by cwnd (Linux tcp_cwnd_test): see {@link CwndControl#cwndAllows}. */
  boolean cwndAllows() {
    return cwnd.cwndAllows();
  }

  /** The head again after an RTO (RFC 6298 §5.4), counted as Linux's tcp_retransmit_skb. */
  void retransmitHead() {
    retransmissions.retransmitHead();
  }

  /** A tail loss probe of new data, if the window allows one segment (cwnd does not count). */
  boolean sendNewSegmentAsProbe() {
    return hasNewDataToSend() && sender.sendOneSegment();
  }

  // ---------------------------------------------------------------- timers

  /** Arms the shared retransmission timer for {@code kind}, {@code delayNanos} from now. */
  void armTimer(XmitTimer kind, long delayNanos) {
    // tcp_reset_xmit_timer: inet_csk_reset_xmit_timer's max_when is the connection's tcp_rto_max.
    timer.arm(kind, Math.min(delayNanos, tcb.rtt.maxRtoNanos()));
  }

  /** Linux tcp_rack_reo_timeout: segments waited out the reordering window. */
  void reorderTimerExpired() {
    beginSample(tcb.sndUna);
    int inFlight = queue.packetsInFlight();
    recovery.reorderTimerExpired(sample);
    if (inFlight != queue.packetsInFlight()) {
      if (state != CaState.RECOVERY) {
        enterRecovery(false);
        cc.cwnd(prr.cwnd(1, sample.newlyLost, false, cc.ssthresh(), queue.packetsInFlight(), cc.cwnd()));
      }
      retransmissions.retransmitLost();
    }
    if (timer.pending() != XmitTimer.RETRANSMISSION || !tcb.timers.armed(TimerKind.RETRANSMIT)) timer.rearmRto();
  }

  void lossProbeTimerExpired() {
    probe.send();
  }

  /**
   * Linux tcp_rcv_fastopen_synack: [SND.UNA, {@code end}) of our SYN's data, sent with the SYN at
   * {@code sentNanos} as an skb of its own with PSH (tcp_send_syn_data), was not acknowledged by
   * the SYN-ACK: it joins the queue marked lost (tcp_mark_skb_lost). The caller resends it with
   * {@link #nonCongestionLossRetransmit}.
   */
  void synDataLost(int end, long sentNanos) {
    queue.sent(tcb.sndUna, end, sentNanos, true, true);
    beginSample(tcb.sndUna);
    markLost(queue.size() - 1, sample);
  }

  /**
   * Linux tcp_non_congestion_loss_retransmit: segments lost for a reason other than congestion (a
   * Fast Open SYN's data the server did not take, segments longer than a lowered path MTU) go again as cwnd allows, cwnd unreduced; the
   * Loss state (ssthresh the current one, nothing to undo) tracks when they are all acknowledged.
   */
  void nonCongestionLossRetransmit() {
    if (state != CaState.LOSS) {
      highSeq = tcb.sndNxt;
      cc.ssthresh(cwnd.currentSsthresh());
      undo.priorSsthresh = 0;
      undo.undoArmed = false;
      state(CaState.LOSS);
    }
    retransmissions.retransmitLost();
  }

  /** Linux tcp_enter_loss on an RTO, before the head is resent (see {@link RtoLoss#enterLoss}). */
  void enterLoss(int retries) {
    loss.enterLoss(retries);
  }

  /**
   * Linux tcp_simple_retransmit (path MTU discovery lowered the MSS to {@code mss}): every segment
   * longer than it is marked lost; if one is, Loss begins unless it is on already, keeping cwnd and
   * the current ssthresh and arming no undo (tcp_non_congestion_loss_retransmit: the data in flight
   * did not grow, its unit shrank), and the lost segments go again at once, cut to the MSS.
   */
  void simpleRetransmit(int mss) {
    for (int i = 0; i < queue.size(); i++) {
      int from = lt(queue.start(i), tcb.sndUna) ? tcb.sndUna : queue.start(i);
      boolean carriesFin = tcb.finSent && queue.end(i) == tcb.sndNxt;
      if (distance(from, queue.end(i)) - (carriesFin ? 1 : 0) > mss) queue.markLost(i, null);
    }
    if (queue.lostOut == 0) return;
    if (!sack) {
      // Linux tcp_limit_reno_sacked: duplicate ACKs never count for more segments than are not lost.
      int holes = Math.min(Math.max(queue.lostOut, 1), queue.size());
      if (queue.sackedOut + holes > queue.size()) queue.sackedOut = queue.size() - holes;
    }
    nonCongestionLossRetransmit();
  }

  // ---------------------------------------------------------------- ACKs

  void beginSample(int priorSndUna) {
    sample.begin(nowNanos(), minRttNanos, highSeq, queue.highestSacked(priorSndUna), undo.undoArmed, undo.undoMarker);
  }

  /**
   * Linux tcp_ack after SND.UNA and the window were updated: the ACK's SACK blocks and cumulative
   * acknowledgment taken into the queue, then the state machine, cwnd, and what goes out again.
   * {@code priorSndUna} is SND.UNA before the ACK; {@code windowUpdate} that it changed the window.
   */
  void onAck(SegmentView seg, int priorSndUna, boolean windowUpdate) {
    beginSample(priorSndUna);
    if (tcb.tsOk && seg.hasTimestamp() && seg.tsEcr() != 0) {
      sample.hasTsEcr = true;
      sample.tsEcr = seg.tsEcr();
    }
    sample.sndUnaAdvanced = gt(tcb.sndUna, priorSndUna);
    sample.windowUpdate = windowUpdate;
    sample.carriedData = seg.segLen() > 0;
    // Linux tcp_ecn_rcv_ecn_echo: ECE on an ECN connection, not on a SYN; an ACK that found
    // nothing in flight takes tcp_ack's no_queue path, which makes no congestion response.
    sample.ece = tcb.ecnOk && seg.has(TcpFlags.ECE) && !seg.has(TcpFlags.SYN) && queue.size() > 0;
    int priorRenoSacked = queue.sackedOut;
    if (sack) tags.takeSacks(seg, priorSndUna);
    queue.ackedTo(tcb.sndUna, sample);
    if (sample.dataAcked) {
      sample.setXmitTimer = true;
      if (!sack) {
        tags.removeRenoSacks(sample.ackedSegments, priorRenoSacked);
        // Linux tcp_clean_rtx_queue: without SACK an ACK that covers a retransmission cannot show
        // that an original got through, so it proves no timeout spurious (F-RTO).
        if (sample.retransDataAcked) sample.origSackAcked = false;
      }
    }
    if (sample.freshRttNanos >= 0) minRttNanos = Math.min(minRttNanos, sample.freshRttNanos);
    if (sample.reordered) tags.checkSackReordering(sample.reorderLow);
    recovery.onDelivered(sample);
    if (probe.outstanding()) probe.onAck(seg.ack(), sample);
    Resend resend = Resend.NONE;
    boolean notDuplicate = sample.carriedData || sample.windowUpdate || sample.dataAcked;
    boolean alert = sample.dataSacked || sample.dsack || sample.ece;
    if (!notDuplicate || alert || state != CaState.OPEN) {
      int dupAcks = sample.sndUnaAdvanced || notDuplicate || sample.dsack ? 0 : 1;
      resend = alert(priorSndUna, dupAcks);
    }
    if (sample.setXmitTimer) timer.setXmitTimer();
    deliveredTotal += sample.delivered;
    if (sample.ece) deliveredCe += sample.delivered;
    cwnd.controlCwnd();
    if (sample.ackedSegments > 0) cc.onAcked(sample.ackedSegments, sample.freshRttNanos, nowNanos());
    retransmissions.resend(resend);
  }

  /** An ACK below SND.UNA that carries SACK blocks (Linux's old_ack path): DSACKs may undo. */
  void onOldAck(SegmentView seg) {
    if (!sack) return;
    beginSample(tcb.sndUna);
    tags.takeSacks(seg, tcb.sndUna);
    recovery.onDelivered(sample);
    if (!sample.dataSacked && !sample.dsack) return;
    Resend resend = alert(tcb.sndUna, 0);
    deliveredTotal += sample.delivered;
    retransmissions.resend(resend);
  }

  // ---------------------------------------------------------------- the state machine

  /** Linux tcp_fastretrans_alert. */
  private Resend alert(int priorSndUna, int dupAcks) {
    if (queue.size() == 0 && queue.sackedOut > 0) queue.sackedOut = 0;
    // A. An ECN echo proves the congestion: no undo of the reduction it causes.
    if (sample.ece) undo.priorSsthresh = 0;
    // D. Leave a state once high_seq is acknowledged.
    if (state == CaState.OPEN) {
      undo.retransStamped = false;
    } else if (ge(tcb.sndUna, highSeq)) {
      if (state == CaState.CWR) {
        if (tcb.sndUna != highSeq) {
          cwnd.endCwndReduction();
          state(CaState.OPEN);
        }
      } else if (state == CaState.RECOVERY) {
        if (!sack) queue.sackedOut = 0;
        if (undo.tryUndoRecovery()) return Resend.NONE;
        cwnd.endCwndReduction();
      }
    }
    // E. Process the state.
    boolean fastRetransmit = false;
    switch (state) {
      case RECOVERY -> {
        if (!sample.sndUnaAdvanced) {
          if (!sack) tags.addRenoSacks(dupAcks);
        } else if (undo.tryUndoPartial()) {
          return Resend.NONE;
        }
        if (undo.tryUndoDsack()) tryToOpen(sample.ece);
        recovery.detectLoss(sample);
        if (state != CaState.RECOVERY) {
          if (!timeToRecover()) return Resend.NONE;
          enterRecovery(sample.ece);
          fastRetransmit = true;
        }
      }
      case LOSS -> {
        Resend r = loss.processLoss(dupAcks);
        recovery.detectLoss(sample);
        if (state != CaState.OPEN && !sample.lostRetrans) return r;
        // The timeout was undone, or a retransmission was lost again: as in Open.
        fastRetransmit = openOrDisorder(dupAcks);
        if (!fastRetransmit && state != CaState.RECOVERY) return Resend.NONE;
      }
      case OPEN, DISORDER, CWR -> {
        fastRetransmit = openOrDisorder(dupAcks);
        if (!fastRetransmit) return Resend.NONE;
      }
    }
    recovery.afterDecision(sample, fastRetransmit);
    return Resend.LOST;
  }

  /** The default branch of tcp_fastretrans_alert: true when recovery starts now. */
  private boolean openOrDisorder(int dupAcks) {
    if (!sack) {
      if (sample.sndUnaAdvanced) queue.sackedOut = 0;
      tags.addRenoSacks(dupAcks);
    }
    if (state.ordinal() <= CaState.DISORDER.ordinal()) undo.tryUndoDsack();
    recovery.detectLoss(sample);
    if (!timeToRecover()) {
      tryToOpen(sample.ece);
      return false;
    }
    enterRecovery(sample.ece);
    return true;
  }

  /** Linux tcp_time_to_recover: a segment is marked lost; or, without RACK, DupThresh reached. */
  private boolean timeToRecover() {
    if (queue.lostOut > 0) return true;
    boolean rack = (config().tcpRecovery() & StackConfig.RACK_LOSS_DETECTION) != 0;
    return !rack && queue.sackedOut + 1 > tags.reordering;
  }

  /**
   * Linux tcp_try_to_open: out of a recovery, but not out of CWR, which ends on its own; an ACK
   * with ECE ({@code ece}) enters CWR first.
   */
  void tryToOpen(boolean ece) {
    if (!anyRetransmissionOut()) undo.retransStamped = false;
    if (ece) enterCwr();
    if (state == CaState.CWR) return;
    tryKeepOpen();
  }

  /**
   * Linux tcp_enter_cwr, the response to an ECN echo (RFC 3168 §6.1.2): the congestion is proven,
   * so nothing undoes the reduction; from Open or Disorder, ssthresh from the congestion control,
   * PRR down to it and a CWR queued ({@link CwndControl#initCwndReduction}), in the CWR state
   * until an ACK above high_seq, so at most once per window of data.
   */
  private void enterCwr() {
    undo.priorSsthresh = 0;
    if (state.ordinal() < CaState.CWR.ordinal()) {
      undo.undoArmed = false;
      cwnd.initCwndReduction();
      state(CaState.CWR);
    }
  }

  /** Linux tcp_ecn_queue_cwr: the window was reduced; on an ECN connection the next new data carries CWR. */
  void queueCwr() {
    if (tcb.ecnOk) tcb.ecnQueueCwr = true;
  }

  /** Linux tcp_ecn_withdraw_cwr: an undo gave ssthresh back, so no CWR is owed. */
  void withdrawCwr() {
    tcb.ecnQueueCwr = false;
  }

  /** Linux tcp_try_keep_open: Disorder while SACKed or lost segments or retransmissions remain, else Open. */
  private void tryKeepOpen() {
    CaState next = queue.sackedOut + queue.lostOut > 0 || anyRetransmissionOut() ? CaState.DISORDER : CaState.OPEN;
    if (state != next) {
      state(next);
      highSeq = tcb.sndNxt;
    }
  }

  boolean anyRetransmissionOut() {
    return queue.retransOut > 0 || (probe.outstanding() && probe.retransmitted());
  }

  /**
   * Linux tcp_enter_recovery and tcp_init_cwnd_reduction: RFC 6675 §5 step 4.2, PRR's start; no
   * undo of ssthresh when the ACK that starts it echoes congestion ({@code ece}). From CWR the
   * reduction under way goes on.
   */
  private void enterRecovery(boolean ece) {
    undo.priorSsthresh = 0;
    undo.initUndo();
    if (!inCwndReduction()) {
      if (!ece) undo.priorSsthresh = cwnd.currentSsthresh();
      cwnd.initCwndReduction();
    }
    state(CaState.RECOVERY);
  }

  boolean inCwndReduction() {
    return state == CaState.CWR || state == CaState.RECOVERY;
  }

  /**
   * The tail loss probe repaired a loss: Linux tcp_process_tlp_ack's CWR, begun and ended at once,
   * then tcp_try_keep_open (not tcp_try_to_open, which would leave the state in CWR and keep
   * retrans_stamp). From CWR the next state always differs, so SND.NXT becomes the new high_seq.
   */
  void lossRepairedByProbe() {
    cwnd.initCwndReduction();
    state(CaState.CWR);
    cwnd.endCwndReduction();
    tryKeepOpen();
  }

  void state(CaState next) {
    if (next == CaState.LOSS && state != CaState.LOSS) cc.onLossState();
    state = next;
  }

  /** Marks segment {@code i} lost, counting it for PRR when it was not lost already. */
  void markLost(int i, AckSample s) {
    boolean was = (queue.flags(i) & RetransmitQueue.LOST) != 0;
    queue.markLost(i, s);
    if (!was && (queue.flags(i) & RetransmitQueue.LOST) != 0) s.newlyLost++;
  }
}
