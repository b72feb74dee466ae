package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

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
 * 8985 §7) stand in for the RTO while the state is Open. Everything is counted in segments, as
 * Linux counts packets; cwnd outside these belongs to the {@link CongestionControl}.
 */
final class CaStateMachine implements SenderState {
  /** What tcp_xmit_recovery is asked to send after an ACK (Linux REXMIT_*). */
  private enum Resend { NONE, LOST, NEW }

  private final Connection c;
  private final Sender sender;
  private final Tcb tcb;
  final RetransmitQueue queue = new RetransmitQueue();
  private final AckSample sample = new AckSample();
  private final Prr prr = new Prr();
  private final TailLossProbe probe = new TailLossProbe(this);
  private CongestionControl cc;
  private LossRecovery recovery;
  private boolean sack;
  private CaState state = CaState.OPEN;
  private XmitTimer pending = XmitTimer.RETRANSMISSION;
  /** Linux high_seq: SND.NXT when the current reduction or timeout began (RFC 6582 recover). */
  private int highSeq;
  /** Linux undo_marker (valid while undoArmed): SND.UNA when the episode began. */
  private boolean undoArmed;
  private int undoMarker;
  /** Linux undo_retrans: retransmissions of the episode not yet proved needless by a DSACK; -1 none. */
  private int undoRetrans;
  private int priorSsthresh;
  private int priorCwnd;
  /** Linux retrans_stamp, in our timestamp clock: the first retransmission of the episode. */
  private boolean retransStamped;
  private int retransStamp;
  private long retransStampNanos;
  /** F-RTO (RFC 5682) is judging the current timeout. */
  private boolean frto;
  /** Linux tp->reordering: the reordering degree in segments (DupThresh), tcp_reordering at first. */
  private int reordering;
  /** Linux reord_seen: reordering was observed. */
  private int reorderingSeen;
  private long minRttNanos = Long.MAX_VALUE;
  /** Linux's tcp_tso_autosize inputs: sk_gso_max_size, the pacing ratios, sk_pacing_shift, tcp_tso_rtt_log, tcp_min_tso_segs. */
  private static final long GSO_MAX_SIZE = 65_536;
  private static final int PACING_SS_RATIO = 200;
  private static final int PACING_CA_RATIO = 120;
  private static final int PACING_SHIFT = 10;
  private static final int TSO_RTT_LOG = 9;
  private static final int MIN_TSO_SEGS = 2;
  /** Linux is_cwnd_limited, max_packets_out, cwnd_usage_seq (tcp_cwnd_validate). */
  private boolean cwndLimited;
  private int maxPacketsOut;
  private int cwndUsageSeq;
  private boolean cwndUsageSet;
  // Counters of tcp_info.
  private long totalRetransmissions;
  private long deliveredTotal;
  private long dsackDuplicates;
  /** When a data segment last went out (Linux lsndtime). */
  private long lastSendNanos;

  CaStateMachine(Connection c, Sender sender, Tcb tcb) {
    this.c = c;
    this.sender = sender;
    this.tcb = tcb;
    this.cc = CongestionControls.create(config(), this);
    this.recovery = new NewRenoRecovery(this);
    this.reordering = config().tcpReordering();
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

  CaState state() {
    return state;
  }

  boolean sack() {
    return sack;
  }

  int reordering() {
    return reordering;
  }

  boolean reorderingSeen() {
    return reorderingSeen > 0;
  }

  /** The smallest RTT measured (Linux tcp_min_rtt; {@link Long#MAX_VALUE} before any). */
  long minRttNanos() {
    return minRttNanos;
  }

  void rttSample(long nanos) {
    minRttNanos = Math.min(minRttNanos, nanos);
  }

  /**
   * Linux tcp_tso_autosize with min_tso_segs 2: how many segments one TSO burst carries, about a
   * millisecond at the pacing rate (tcp_update_pacing_rate: mss * max(cwnd, packets_out) / SRTT,
   * times tcp_pacing_ss_ratio 200 % while cwnd is below half of ssthresh, tcp_pacing_ca_ratio 120 %
   * after), plus the allowance of a short min_rtt (sk_gso_max_size >> (min_rtt_us >> 9)), at most
   * 64 KB. Before any RTT sample the rate is unlimited.
   */
  int tsoSegs(int mss) {
    long srtt = tcb.rtt.srttNanos();
    long bytes = GSO_MAX_SIZE;
    if (srtt > 0) {
      int ratio = cc.cwnd() < cc.ssthresh() / 2 ? PACING_SS_RATIO : PACING_CA_RATIO;
      long rate = (long) mss * Math.max(cc.cwnd(), queue.size()) * ratio / 100 * 1_000_000_000L / srtt;
      bytes = rate >> PACING_SHIFT;
      long rShift = minRttNanos == Long.MAX_VALUE ? Long.MAX_VALUE : minRttNanos / 1000 >> TSO_RTT_LOG;
      if (rShift < Integer.SIZE) bytes += GSO_MAX_SIZE >> rShift;
      bytes = Math.min(bytes, GSO_MAX_SIZE);
    }
    return (int) Math.max(bytes / Math.max(1, mss), MIN_TSO_SEGS);
  }

  @Override
  public long srttNanos() {
    return tcb.rtt.srttNanos();
  }

  long rtoNanos() {
    return tcb.rtt.rtoNanos();
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
    return now();
  }

  @Override
  public int mss() {
    return tcb.sndMss;
  }

  @Override
  public long lastSendNanos() {
    return lastSendNanos;
  }

  int highSeq() {
    return highSeq;
  }

  XmitTimer pendingTimer() {
    return pending;
  }

  long totalRetransmissions() {
    return totalRetransmissions;
  }

  long delivered() {
    return deliveredTotal;
  }

  /**
   * Our SYN (or SYN-ACK) was acknowledged: Linux counts it as one packet delivered (tcp_ack's
   * tcp_clean_rtx_queue); a SYN's data acknowledged with it adds nothing (tcp_rcv_fastopen_synack
   * takes the second count back).
   */
  void synDelivered() {
    deliveredTotal++;
  }

  long dsackDuplicates() {
    return dsackDuplicates;
  }

  /** How often reordering was seen (tcpi_reord_seen). */
  int reorderingSeenCount() {
    return reorderingSeen;
  }

  /** When this episode's first retransmission went (Linux retrans_stamp), or {@code otherwise}. */
  long firstRetransmissionNanos(long otherwise) {
    return retransStamped ? retransStampNanos : otherwise;
  }

  /** Segments congestion control lets out now: cwnd less the segments in flight. */
  int sendRoom() {
    return cc.cwnd() - queue.packetsInFlight();
  }

  boolean hasNewDataToSend() {
    return sender.unsentBytes() > 0 && gt(sender.windowEnd(), tcb.sndNxt);
  }

  private long now() {
    return c.clock.nowNanos();
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
    if (prior == 0 || pending == XmitTimer.LOSS_PROBE) rearmRto();
  }

  /**
   * The output loop ended having sent {@code sent} new segments; {@code limited}: it stopped at
   * cwnd (Linux tcp_write_xmit's end: tcp_cwnd_validate, then a loss probe scheduled).
   */
  void outputDone(int sent, boolean limited) {
    boolean cwndBound = limited || queue.packetsInFlight() >= cc.cwnd();
    if (sent > 0 || cwndBound) validateCwnd(cwndBound);
    if (sent > 0) probe.schedule(false);
  }

  /** Linux tcp_cwnd_validate: whether the last window used all of cwnd. */
  private void validateCwnd(boolean limited) {
    if (!cwndUsageSet || !lt(tcb.sndUna, cwndUsageSeq) || limited || (!cwndLimited && queue.size() > maxPacketsOut)) {
      cwndLimited = limited;
      maxPacketsOut = queue.size();
      cwndUsageSeq = tcb.sndNxt;
      cwndUsageSet = true;
    }
  }

  /** Linux tcp_is_cwnd_limited: cwnd may grow (in slow start, up to twice what was used). */
  private boolean isCwndLimited() {
    if (cwndLimited) return true;
    return cc.inSlowStart() && cc.cwnd() < 2 * maxPacketsOut;
  }

  /** May new data go now by cwnd: fewer segments in flight than cwnd (Linux tcp_cwnd_test). */
  boolean cwndAllows() {
    return queue.packetsInFlight() < cc.cwnd();
  }

  /** Retransmits segment {@code i} as tcp_retransmit_skb does, with its accounting. */
  private void retransmit(int i) {
    fitToCurrentMss(i);
    sender.retransmit(queue.start(i), queue.end(i), (queue.flags(i) & RetransmitQueue.PUSHED) != 0);
    lastSendNanos = now();
    queue.retransmitted(i, now(), true);
    if (!retransStamped) {
      retransStamped = true;
      retransStamp = (int) c.clock.nowMillis();
      retransStampNanos = now();
    }
    if (undoRetrans < 0) undoRetrans = 0;
    undoRetrans++;
    totalRetransmissions++;
  }

  /**
   * A segment sent when our segments carried fewer SACK blocks may no longer fit: Linux
   * (__tcp_retransmit_skb, tcp_send_loss_probe) cuts it to the current MSS with tcp_fragment, and
   * the rest stays queued as a segment of its own, with the same marks.
   */
  private void fitToCurrentMss(int i) {
    int from = lt(queue.start(i), tcb.sndUna) ? tcb.sndUna : queue.start(i);
    int end = queue.end(i);
    boolean carriesFin = tcb.finSent && end == tcb.sndNxt;
    int mss = sender.currentMss();
    if (distance(from, end) - (carriesFin ? 1 : 0) > mss) queue.split(i, plus(from, mss));
  }

  /** The head again after an RTO (RFC 6298 §5.4), counted as Linux's tcp_retransmit_skb. */
  void retransmitHead() {
    if (queue.size() > 0) retransmit(0);
  }

  /** Linux tcp_xmit_retransmit_queue: every segment marked lost and not resent, while cwnd allows. */
  private void retransmitLost() {
    if (queue.size() == 0) return;
    boolean rearm = false;
    for (int i = 0; i < queue.size(); i++) {
      if (cc.cwnd() - queue.packetsInFlight() <= 0) break;
      if (queue.retransOut >= queue.lostOut) break;
      int f = queue.flags(i);
      if ((f & RetransmitQueue.LOST) == 0) continue;
      if ((f & (RetransmitQueue.SACKED | RetransmitQueue.RETRANS)) != 0) continue;
      retransmit(i);
      if (inCwndReduction()) prr.sent(1);
      if (i == 0 && pending != XmitTimer.REORDER) rearm = true;
    }
    if (rearm) armTimer(XmitTimer.RETRANSMISSION, rtoNanos());
  }

  /** A tail loss probe of new data, if the window allows one segment (cwnd does not count). */
  boolean sendNewSegmentAsProbe() {
    return hasNewDataToSend() && sender.sendOneSegment();
  }

  /**
   * A tail loss probe repeating the tail of the last skb (Linux tcp_send_loss_probe): an skb of
   * pcount segments when it went is cut with tcp_fragment after (pcount - 1) segments of the
   * current MSS, and what is after the cut goes again (__tcp_retransmit_skb: no loss accounting).
   * When the SACK option has shrunk the MSS since, that is more than the last segment as sent: a
   * 1460-byte skb of 1448 + 12 goes as 1436 and a 24-byte probe. An skb no longer than (pcount -
   * 1) segments goes whole, cut to the current MSS as any retransmission.
   */
  void retransmitTailAsProbe() {
    int first = queue.lastSkbFirst();
    int last = queue.size() - 1;
    int start = lt(queue.start(first), tcb.sndUna) ? tcb.sndUna : queue.start(first);
    boolean carriesFin = tcb.finSent && queue.end(last) == tcb.sndNxt;
    int dataEnd = carriesFin ? plus(queue.end(last), -1) : queue.end(last);
    int kept = (last - first) * sender.currentMss();
    int probeStart = last > first && distance(start, dataEnd) > kept ? plus(start, kept) : start;
    int i = first;
    while (!lt(probeStart, queue.end(i))) i++;
    if (gt(probeStart, queue.start(i))) {
      queue.split(i, probeStart);
      i++;
    }
    queue.joinFrom(i);
    fitToCurrentMss(i);
    sender.retransmit(queue.start(i), queue.end(i), (queue.flags(i) & RetransmitQueue.PUSHED) != 0);
    lastSendNanos = now();
    queue.retransmitted(i, now(), false);
    totalRetransmissions++;
  }

  // ---------------------------------------------------------------- timers

  /** Arms the shared retransmission timer for {@code kind}, {@code delayNanos} from now. */
  void armTimer(XmitTimer kind, long delayNanos) {
    pending = kind;
    tcb.timers.arm(TimerKind.RETRANSMIT, now() + Math.max(0, delayNanos));
  }

  void armReorderTimer(long delayNanos) {
    armTimer(XmitTimer.REORDER, delayNanos);
    sample.setXmitTimer = false;
  }

  /** A probe went out: the RTO is rearmed from now, not from the head's send time. */
  void clearPendingTimer() {
    pending = XmitTimer.RETRANSMISSION;
  }

  /** How long until the RTO of the head expires (Linux tcp_rto_delta_us). */
  long rtoDeltaNanos() {
    if (queue.size() == 0) return rtoNanos();
    return queue.xmitNanos(0) + rtoNanos() - now();
  }

  /** Linux tcp_rearm_rto: the RTO, counted from the head's send time when a probe or reorder wait held it. */
  void rearmRto() {
    if (tcb.inFlight() == 0) {
      tcb.timers.cancel(TimerKind.RETRANSMIT);
      pending = XmitTimer.RETRANSMISSION;
      return;
    }
    long rto = rtoNanos();
    if (pending == XmitTimer.REORDER || pending == XmitTimer.LOSS_PROBE) rto = Math.max(1, rtoDeltaNanos());
    armTimer(XmitTimer.RETRANSMISSION, rto);
  }

  /** Linux tcp_set_xmit_timer: a loss probe where one may go, else the RTO. */
  private void setXmitTimer() {
    if (!probe.schedule(true)) rearmRto();
  }

  /** Linux tcp_rack_reo_timeout: segments waited out the reordering window. */
  void reorderTimerExpired() {
    beginSample(tcb.sndUna);
    int inFlight = queue.packetsInFlight();
    recovery.reorderTimerExpired(sample);
    if (inFlight != queue.packetsInFlight()) {
      if (state != CaState.RECOVERY) {
        enterRecovery();
        cc.cwnd(prr.cwnd(1, sample.newlyLost, false, cc.ssthresh(), queue.packetsInFlight(), cc.cwnd()));
      }
      retransmitLost();
    }
    if (pending != XmitTimer.RETRANSMISSION || !tcb.timers.armed(TimerKind.RETRANSMIT)) rearmRto();
  }

  void lossProbeTimerExpired() {
    probe.send();
  }

  // ---------------------------------------------------------------- ACKs

  private void beginSample(int priorSndUna) {
    sample.begin(now(), minRttNanos, highSeq, queue.highestSacked(priorSndUna), undoArmed, undoMarker);
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
    int priorRenoSacked = queue.sackedOut;
    if (sack) takeSacks(seg, priorSndUna);
    queue.ackedTo(tcb.sndUna, sample);
    if (sample.dataAcked) {
      sample.setXmitTimer = true;
      if (!sack) {
        removeRenoSacks(sample.ackedSegments, priorRenoSacked);
        // Linux tcp_clean_rtx_queue: without SACK an ACK that covers a retransmission cannot show
        // that an original got through, so it proves no timeout spurious (F-RTO).
        if (sample.retransDataAcked) sample.origSackAcked = false;
      }
    }
    if (sample.freshRttNanos >= 0) minRttNanos = Math.min(minRttNanos, sample.freshRttNanos);
    if (sample.reordered) checkSackReordering(sample.reorderLow);
    recovery.onDelivered(sample);
    if (probe.outstanding()) probe.onAck(seg.ack(), sample);
    Resend resend = Resend.NONE;
    boolean notDuplicate = sample.carriedData || sample.windowUpdate || sample.dataAcked;
    boolean alert = sample.dataSacked || sample.dsack;
    if (!notDuplicate || alert || state != CaState.OPEN) {
      int dupAcks = sample.sndUnaAdvanced || notDuplicate || sample.dsack ? 0 : 1;
      resend = alert(priorSndUna, dupAcks);
    }
    if (sample.setXmitTimer) setXmitTimer();
    deliveredTotal += sample.delivered;
    controlCwnd();
    if (sample.ackedSegments > 0) cc.onAcked(sample.ackedSegments, sample.freshRttNanos, now());
    resend(resend);
  }

  /** An ACK below SND.UNA that carries SACK blocks (Linux's old_ack path): DSACKs may undo. */
  void onOldAck(SegmentView seg) {
    if (!sack) return;
    beginSample(tcb.sndUna);
    takeSacks(seg, tcb.sndUna);
    recovery.onDelivered(sample);
    if (!sample.dataSacked && !sample.dsack) return;
    Resend resend = alert(tcb.sndUna, 0);
    deliveredTotal += sample.delivered;
    resend(resend);
  }

  /** Linux tcp_sacktag_write_queue and tcp_check_dsack. */
  private void takeSacks(SegmentView seg, int priorSndUna) {
    if (seg.sackBlockCount() == 0) return;
    boolean dsack = queue.sacked(seg, tcb.sndUna, tcb.sndNxt, sample);
    if (dsack) takeDsack(priorSndUna);
  }

  /**
   * Linux tcp_check_dsack and tcp_dsack_seen: a DSACK longer than the largest window, or reporting
   * more duplicates than we ever retransmitted, is ignored as dubious; else its retransmissions
   * count toward undo, and after reordering RACK widens its window.
   */
  private void takeDsack(int priorSndUna) {
    int left = sample.dsackLeft;
    int right = sample.dsackRight;
    if (!lt(left, right)) return;
    long len = Integer.toUnsignedLong(distance(left, right));
    if (len > tcb.maxSndWnd) return;
    int mss = Math.max(1, tcb.sndMss);
    int segments = 1;
    if (len > mss) segments = (int) ((len + mss - 1) / mss);
    else if (probe.outstanding() && probe.highSeq() == right) sample.dsackTlp = true;
    dsackDuplicates += segments;
    if (dsackDuplicates > totalRetransmissions) return;
    if (reorderingSeen() && !sample.dsackTlp) recovery.dsackSeen();
    sample.dsack = true;
    sample.delivered += segments;
    queue.dsacked(left, right, tcb.sndUna, tcb.sndNxt, sample);
    undoRetrans = Math.max(0, undoRetrans - sample.dsackedRetransmissions);
    // DSACK for data already acknowledged: count it (Linux's "dumb counting").
    if (undoArmed && undoRetrans > 0 && le(right, priorSndUna) && gt(right, undoMarker)) {
      undoRetrans = Math.max(0, undoRetrans - segments);
    }
  }

  /** Linux tcp_check_sack_reordering: a hole filled by an original, not a retransmission. */
  private void checkSackReordering(int low) {
    int fack = queue.highestSacked(tcb.sndUna);
    if (lt(fack, sample.priorFack)) fack = sample.priorFack;
    if (!lt(low, fack)) return;
    int mss = Math.max(1, tcb.sndMss);
    long metric = Integer.toUnsignedLong(distance(low, fack));
    if (metric > (long) reordering * mss) {
      reordering = (int) Math.min((metric + mss - 1) / mss, config().tcpMaxReordering());
    }
    reorderingSeen++;
  }

  // ---------------------------------------------------------------- Reno's duplicate ACKs as SACKs

  /** Linux tcp_add_reno_sack: without SACK each duplicate ACK stands for a segment received. */
  private void addRenoSacks(int dupAcks) {
    if (dupAcks == 0) return;
    int prior = queue.sackedOut;
    queue.sackedOut += dupAcks;
    checkRenoReordering(0);
    int added = queue.sackedOut - prior;
    if (added > 0) sample.delivered += added;
  }

  /** Linux tcp_remove_reno_sacks: an ACK of new data fills the hole; the rest ate duplicate ACKs. */
  private void removeRenoSacks(int acked, int priorSacked) {
    if (acked > 0) {
      sample.delivered = sample.delivered - acked + Math.max(acked - priorSacked, 1);
      if (acked - 1 >= queue.sackedOut) queue.sackedOut = 0;
      else queue.sackedOut -= acked - 1;
    }
    checkRenoReordering(acked);
  }

  /** Linux tcp_check_reno_reordering: more duplicate ACKs than segments out means reordering. */
  private void checkRenoReordering(int addend) {
    int holes = Math.min(Math.max(queue.lostOut, 1), queue.size());
    if (queue.sackedOut + holes <= queue.size()) return;
    queue.sackedOut = Math.max(0, queue.size() - holes);
    reordering = Math.min(queue.size() + addend, config().tcpMaxReordering());
    reorderingSeen++;
  }

  // ---------------------------------------------------------------- the state machine

  /** Linux tcp_fastretrans_alert. */
  private Resend alert(int priorSndUna, int dupAcks) {
    if (queue.size() == 0 && queue.sackedOut > 0) queue.sackedOut = 0;
    // D. Leave a state once high_seq is acknowledged.
    if (state == CaState.OPEN) {
      retransStamped = false;
    } else if (ge(tcb.sndUna, highSeq)) {
      if (state == CaState.CWR) {
        if (tcb.sndUna != highSeq) {
          endCwndReduction();
          state(CaState.OPEN);
        }
      } else if (state == CaState.RECOVERY) {
        if (!sack) queue.sackedOut = 0;
        if (tryUndoRecovery()) return Resend.NONE;
        endCwndReduction();
      }
    }
    // E. Process the state.
    boolean fastRetransmit = false;
    switch (state) {
      case RECOVERY -> {
        if (!sample.sndUnaAdvanced) {
          if (!sack) addRenoSacks(dupAcks);
        } else if (tryUndoPartial()) {
          return Resend.NONE;
        }
        if (tryUndoDsack()) tryToOpen();
        recovery.detectLoss(sample);
        if (state != CaState.RECOVERY) {
          if (!timeToRecover()) return Resend.NONE;
          enterRecovery();
          fastRetransmit = true;
        }
      }
      case LOSS -> {
        Resend r = processLoss(dupAcks);
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
      addRenoSacks(dupAcks);
    }
    if (state.ordinal() <= CaState.DISORDER.ordinal()) tryUndoDsack();
    recovery.detectLoss(sample);
    if (!timeToRecover()) {
      tryToOpen();
      return false;
    }
    enterRecovery();
    return true;
  }

  /** Linux tcp_time_to_recover: a segment is marked lost; or, without RACK, DupThresh reached. */
  private boolean timeToRecover() {
    if (queue.lostOut > 0) return true;
    boolean rack = (config().tcpRecovery() & StackConfig.RACK_LOSS_DETECTION) != 0;
    return !rack && queue.sackedOut + 1 > reordering;
  }

  /** Linux tcp_try_to_open / tcp_try_keep_open: Disorder while SACKed or lost segments remain. */
  private void tryToOpen() {
    if (!anyRetransmissionOut()) retransStamped = false;
    if (state == CaState.CWR) return;
    CaState next = queue.sackedOut + queue.lostOut > 0 || anyRetransmissionOut() ? CaState.DISORDER : CaState.OPEN;
    if (state != next) {
      state(next);
      highSeq = tcb.sndNxt;
    }
  }

  private boolean anyRetransmissionOut() {
    return queue.retransOut > 0 || (probe.outstanding() && probe.retransmitted());
  }

  /** Linux tcp_enter_recovery and tcp_init_cwnd_reduction: RFC 6675 §5 step 4.2, PRR's start. */
  private void enterRecovery() {
    priorSsthresh = 0;
    initUndo();
    if (!inCwndReduction()) {
      priorSsthresh = currentSsthresh();
      initCwndReduction();
    }
    state(CaState.RECOVERY);
  }

  private void initCwndReduction() {
    highSeq = tcb.sndNxt;
    probe.forget();
    priorCwnd = cc.cwnd();
    prr.start(priorCwnd);
    cc.ssthresh(cc.ssthreshAfterLoss());
  }

  /** Linux tcp_end_cwnd_reduction: cwnd = ssthresh at the end of CWR or a recovery not undone. */
  private void endCwndReduction() {
    if (cc.ssthresh() < CongestionControl.INFINITE_SSTHRESH && (state == CaState.CWR || undoArmed)) {
      cc.cwnd(cc.ssthresh());
    }
  }

  private boolean inCwndReduction() {
    return state == CaState.CWR || state == CaState.RECOVERY;
  }

  /** Linux tcp_current_ssthresh. */
  private int currentSsthresh() {
    if (inCwndReduction()) return cc.ssthresh();
    return Math.max(cc.ssthresh(), (cc.cwnd() >> 1) + (cc.cwnd() >> 2));
  }

  /** The tail loss probe repaired a loss: Linux tcp_process_tlp_ack's CWR, begun and ended at once. */
  void lossRepairedByProbe() {
    initCwndReduction();
    state(CaState.CWR);
    endCwndReduction();
    CaState next = queue.sackedOut + queue.lostOut > 0 || anyRetransmissionOut() ? CaState.DISORDER : CaState.OPEN;
    state(next);
    highSeq = tcb.sndNxt;
  }

  private void state(CaState next) {
    if (next == CaState.LOSS && state != CaState.LOSS) cc.onLossState();
    state = next;
  }

  /** Marks segment {@code i} lost, counting it for PRR when it was not lost already. */
  void markLost(int i, AckSample s) {
    boolean was = (queue.flags(i) & RetransmitQueue.LOST) != 0;
    queue.markLost(i, s);
    if (!was && (queue.flags(i) & RetransmitQueue.LOST) != 0) s.newlyLost++;
  }

  // ---------------------------------------------------------------- undo (RFC 2883, RFC 3522, RFC 3708)

  /** Linux tcp_init_undo. */
  private void initUndo() {
    undoArmed = true;
    undoMarker = tcb.sndUna;
    undoRetrans = queue.retransOut + (probe.outstanding() && probe.retransmitted() ? 1 : 0);
    if (undoRetrans == 0) undoRetrans = -1;
  }

  /** Linux tcp_may_undo: nothing retransmitted reached the peer needlessly unproved. */
  private boolean mayUndo() {
    return undoArmed && (undoRetrans == 0 || packetDelayed());
  }

  /** Linux tcp_packet_delayed (Eifel, RFC 3522): the ACK echoes a timestamp from before the first retransmission. */
  private boolean packetDelayed() {
    if (!retransStamped) return true;
    return sample.hasTsEcr && lt(sample.tsEcr, retransStamp);
  }

  /** Linux tcp_undo_cwnd_reduction. */
  private void undoCwndReduction(boolean unmarkLoss) {
    if (unmarkLoss) queue.unmarkLost();
    if (priorSsthresh > 0) {
      cc.cwnd(cc.undoCwnd(priorCwnd));
      if (priorSsthresh > cc.ssthresh()) cc.ssthresh(priorSsthresh);
    }
    undoArmed = false;
  }

  /** Linux tcp_try_undo_recovery: at the end of recovery or loss, undo if it was needless. */
  private boolean tryUndoRecovery() {
    if (mayUndo()) {
      undoCwndReduction(false);
      if (state == CaState.LOSS) retransStamped = false;
    } else {
      recovery.recoveryEnded(false);
    }
    if (holdsRenoRecovery()) return true;
    state(CaState.OPEN);
    return false;
  }

  /**
   * Linux tcp_is_non_sack_preventing_reopen: without SACK, the state holds until something above
   * high_seq is acknowledged, against false fast retransmits (RFC 6582 §3.2 step 1).
   */
  private boolean holdsRenoRecovery() {
    if (sack || tcb.sndUna != highSeq) return false;
    if (!anyRetransmissionOut()) retransStamped = false;
    return true;
  }

  /** Linux tcp_try_undo_dsack: every retransmission of the episode was DSACKed. */
  private boolean tryUndoDsack() {
    if (undoArmed && undoRetrans == 0) {
      recovery.recoveryEnded(true);
      undoCwndReduction(false);
      return true;
    }
    return false;
  }

  /** Linux tcp_try_undo_partial: a partial ACK echoing a time before the retransmissions. */
  private boolean tryUndoPartial() {
    if (undoArmed && packetDelayed()) {
      checkSackReordering(sample.priorFack);
      if (queue.retransOut > 0) return true;
      if (!anyRetransmissionOut()) retransStamped = false;
      undoCwndReduction(true);
      tryToOpen();
    }
    return false;
  }

  /** Linux tcp_try_undo_loss: the timeout was spurious (by F-RTO when {@code frtoUndo}). */
  private boolean tryUndoLoss(boolean frtoUndo) {
    if (frtoUndo || mayUndo()) {
      undoCwndReduction(true);
      sender.retriesCleared();
      if (holdsRenoRecovery()) return true;
      if (frtoUndo || sack) state(CaState.OPEN);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- timeouts and F-RTO

  /**
   * Linux tcp_enter_loss on an RTO, before the head is resent: ssthresh drops unless this episode
   * dropped it already, every segment not SACKed and not sent within the last RACK.rtt is lost,
   * cwnd becomes the flight plus one, and F-RTO (RFC 5682 §3.1 step 1) starts unless a recovery
   * was under way; {@code retries} is the RTO count before this one.
   */
  void enterLoss(int retries) {
    boolean newRecovery = state.ordinal() < CaState.RECOVERY.ordinal();
    markLostOnTimeout();
    if (state.ordinal() <= CaState.DISORDER.ordinal() || !gt(highSeq, tcb.sndUna)
        || (state == CaState.LOSS && retries == 0)) {
      priorSsthresh = currentSsthresh();
      priorCwnd = cc.cwnd();
      cc.ssthresh(cc.ssthreshAfterLoss());
      cc.onLossTimeout();
      initUndo();
    }
    cc.cwnd(queue.packetsInFlight() + 1);
    int sysctlReordering = config().tcpReordering();
    if (state.ordinal() <= CaState.DISORDER.ordinal() && queue.sackedOut >= sysctlReordering) {
      reordering = Math.min(reordering, sysctlReordering);
    }
    state(CaState.LOSS);
    highSeq = tcb.sndNxt;
    probe.forget();
    frto = config().tcpFrto() > 0 && (newRecovery || retries > 0);
  }

  /** Linux tcp_timeout_mark_lost: a SACKed head means the peer reneged (RFC 2018 §8). */
  private void markLostOnTimeout() {
    boolean reneged = queue.size() > 0 && (queue.flags(0) & RetransmitQueue.SACKED) != 0;
    if (reneged) queue.forgetSacks();
    else if (!sack) queue.sackedOut = 0;
    beginSample(tcb.sndUna);
    RackRecovery rack = recovery instanceof RackRecovery r ? r : null;
    for (int i = 0; i < queue.size(); i++) {
      if (!reneged && i > 0 && rack != null && rack.sentWithinRtt(i, now())) continue;
      markLost(i, sample);
    }
  }

  /** Linux tcp_process_loss: in the Loss state after a timeout, F-RTO's steps 2 and 3. */
  private Resend processLoss(int dupAcks) {
    boolean recovered = ge(tcb.sndUna, highSeq);
    if (sample.sndUnaAdvanced && tryUndoLoss(false)) return Resend.NONE;
    if (frto) {
      // Step 3.b: never-retransmitted data (s)acked: the timeout was spurious.
      if (sample.origSackAcked && tryUndoLoss(true)) return Resend.NONE;
      if (gt(tcb.sndNxt, highSeq)) {
        if (sample.dataSacked || dupAcks > 0) frto = false; // Step 3.a: the loss was real.
      } else if (sample.sndUnaAdvanced && !recovered) {
        highSeq = tcb.sndNxt;
        // Step 2.b: send new data instead of retransmitting, if there is any.
        if (hasNewDataToSend()) return Resend.NEW;
        frto = false;
      }
    }
    if (recovered) {
      tryUndoRecovery();
      return Resend.NONE;
    }
    if (!sack) {
      if (gt(tcb.sndNxt, highSeq) && dupAcks > 0) addRenoSacks(dupAcks);
      else if (sample.sndUnaAdvanced) queue.sackedOut = 0;
    }
    return Resend.LOST;
  }

  /** Linux tcp_xmit_recovery. */
  private void resend(Resend resend) {
    if (resend == Resend.NONE) return;
    if (resend == Resend.NEW) {
      sender.output();
      if (gt(tcb.sndNxt, highSeq)) return;
      frto = false;
    }
    retransmitLost();
  }

  /**
   * Linux tcp_cong_control: in CWR or Recovery cwnd follows PRR; otherwise it grows for what was
   * delivered in order (or at all, once reordering exceeds tcp_reordering), if cwnd was the limit.
   */
  private void controlCwnd() {
    if (inCwndReduction()) {
      cc.cwnd(prr.cwnd(sample.delivered, sample.newlyLost, sample.sndUnaAdvanced, cc.ssthresh(),
          queue.packetsInFlight(), cc.cwnd()));
      return;
    }
    boolean mayRaise = reordering > config().tcpReordering()
        ? sample.sndUnaAdvanced || sample.dataSacked : sample.dataAcked;
    if (mayRaise && isCwndLimited()) cc.congestionAvoidance(sample.delivered, now());
  }
}
