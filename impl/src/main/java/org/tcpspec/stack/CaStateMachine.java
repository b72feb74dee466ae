package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.gt;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.cc.SenderState;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.SegmentView;

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
 * <p>Here: the state, what the parts read, and the {@link Sender}'s entry points. The parts, one
 * per concern, made once per connection (nothing is allocated per ACK): {@link AckResponse} (an
 * ACK taken in, tcp_fastretrans_alert), {@link RecoveryStates} (Recovery and CWR entered, Disorder
 * and Open again), {@link SackTagging}, {@link Undo}, {@link RtoLoss} (Loss and F-RTO), {@link
 * NonCongestionLoss} (Fast Open's SYN data, a lowered path MTU), {@link Retransmissions}, {@link
 * RetransmitTimer}, {@link CwndControl} (reductions, growth, TSO sizing), {@link Prr}, {@link
 * TailLossProbe}.
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
  final RecoveryStates states;
  final AckResponse acks;
  final NonCongestionLoss nonCongestion;
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
    this.states = new RecoveryStates(this, tcb);
    this.acks = new AckResponse(this, tcb);
    this.nonCongestion = new NonCongestionLoss(this, tcb);
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
        states.enterRecovery(false);
        cc.cwnd(prr.cwnd(1, sample.newlyLost, false, cc.ssthresh(), queue.packetsInFlight(), cc.cwnd()));
      }
      retransmissions.retransmitLost();
    }
    if (timer.pending() != XmitTimer.RETRANSMISSION || !tcb.timers.armed(TimerKind.RETRANSMIT)) timer.rearmRto();
  }

  void lossProbeTimerExpired() {
    probe.send();
  }

  // ---------------------------------------------------------------- loss and ACKs: the parts' entry points

  /** Linux tcp_enter_loss on an RTO, before the head is resent (see {@link RtoLoss#enterLoss}). */
  void enterLoss(int retries) {
    loss.enterLoss(retries);
  }

  /** Linux tcp_rcv_fastopen_synack: our SYN's data was not acknowledged (see {@link NonCongestionLoss#synDataLost}). */
  void synDataLost(int end, long sentNanos) {
    nonCongestion.synDataLost(end, sentNanos);
  }

  /** Linux tcp_non_congestion_loss_retransmit (see {@link NonCongestionLoss#retransmit}). */
  void nonCongestionLossRetransmit() {
    nonCongestion.retransmit();
  }

  /** Linux tcp_simple_retransmit: the MSS fell to {@code mss} (see {@link NonCongestionLoss#simpleRetransmit}). */
  void simpleRetransmit(int mss) {
    nonCongestion.simpleRetransmit(mss);
  }

  /** Linux tcp_ack after SND.UNA and the window were updated (see {@link AckResponse#onAck}). */
  void onAck(SegmentView seg, int priorSndUna, boolean windowUpdate) {
    acks.onAck(seg, priorSndUna, windowUpdate);
  }

  /** An ACK below SND.UNA that carries SACK blocks (see {@link AckResponse#onOldAck}). */
  void onOldAck(SegmentView seg) {
    acks.onOldAck(seg);
  }

  /** Starts the {@link AckSample} of an ACK, or of a timer's loss marking, at {@code priorSndUna}. */
  void beginSample(int priorSndUna) {
    sample.begin(nowNanos(), minRttNanos, highSeq, queue.highestSacked(priorSndUna), undo.undoArmed, undo.undoMarker);
  }

  /** Counts what the ACK of {@code s} delivered (tcpi_delivered), and with ECE (tcpi_delivered_ce). */
  void countDelivered(AckSample s) {
    deliveredTotal += s.delivered;
    if (s.ece) deliveredCe += s.delivered;
  }

  // ---------------------------------------------------------------- the state

  void state(CaState next) {
    if (next == CaState.LOSS && state != CaState.LOSS) cc.onLossState();
    state = next;
  }

  boolean inCwndReduction() {
    return state == CaState.CWR || state == CaState.RECOVERY;
  }

  boolean anyRetransmissionOut() {
    return queue.retransOut > 0 || (probe.outstanding() && probe.retransmitted());
  }

  /** Marks segment {@code i} lost, counting it for PRR when it was not lost already. */
  void markLost(int i, AckSample s) {
    boolean was = (queue.flags(i) & RetransmitQueue.LOST) != 0;
    queue.markLost(i, s);
    if (!was && (queue.flags(i) & RetransmitQueue.LOST) != 0) s.newlyLost++;
  }
}
