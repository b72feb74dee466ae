package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.cc.NewReno;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.RttEstimator;
import org.tcpspec.tcb.SackScoreboard;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * The sending half of a connection: segment construction, ACK processing (§3.10.7.4 fifth step),
 * output of data and FIN under the send and congestion windows, Nagle (RFC 9293 §3.7.4), the
 * retransmission timer (RFC 6298, Karn), fast retransmit (RFC 5681/6582), zero-window probing
 * (§3.8.6.1) and keep-alive (RFC 1122 §4.2.3.6).
 *
 * <p>When the peer SACKs, loss recovery is RFC 6675's: a scoreboard of the SACKed ranges, entry on
 * the third duplicate ACK or IsLost(SND.UNA), and each ACK in recovery retransmits holes
 * (NextSeg rules 1 and 3) while the pipe estimate leaves room in cwnd; otherwise recovery is NewReno's, one
 * segment per partial ACK. SPEC-GAP: NextSeg rule 4 (the rescue retransmission) is not done,
 * and a retransmission timeout resends the head only (SND.NXT never moves back).
 */
final class Sender {
  private final Connection c;
  private final Tcb tcb;
  private CongestionControl cc = new NewReno(Tcb.DEFAULT_MSS);
  /** An ACK must go out with the next output (pure if no data segment carries it). */
  boolean ackNow;
  /** Retransmissions since the last progress (Linux icsk_retransmits). */
  private int retries;
  /** When the segment being retransmitted was first sent (Linux retrans_stamp). */
  private long retransStampNanos;
  private final SendTimes sendTimes = new SendTimes();
  /** RFC 6675: what the peer SACKed, and HighRxt, the end of the highest retransmission. */
  private final SackScoreboard scoreboard = new SackScoreboard();
  private int highRxt;
  /** Zero-window probes sent, for the backoff; cleared when the window opens. */
  private int persistProbes;
  /** Zero-window probes not answered by any ACK (Linux icsk_probes_out). */
  private int probesOut;
  private int keepaliveProbes;
  private long lastReceiveNanos;
  private boolean rttTiming;
  private int rttSeq;
  private long rttStartNanos;
  /**
   * Our SYN has been acknowledged. A flag, not SND.UNA > ISS: that modular comparison turns false
   * again once 2^31 bytes are acknowledged, which stopped all sending after 2 GiB.
   */
  private boolean ourSynAcked;
  /** RCV.NXT plus the window of the last segment sent: the right edge offered to the peer. */
  private int advertisedEdge;
  /** Linux snd_sml: where the last segment shorter than the MSS ended (Minshall's Nagle). */
  private int sndSml;
  private boolean smallSent;
  /** Linux pushed_seq: where the last segment marked PSH ended. */
  private int pushedSeq;

  Sender(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
  }

  void congestionControl(CongestionControl cc) {
    this.cc = cc;
    cc.pipeRecovery(tcb.sackOk);
  }

  CongestionControl congestionControl() {
    return cc;
  }

  int retries() {
    return retries;
  }

  int probesOut() {
    return probesOut;
  }

  /** What is left of the window last offered: its right edge less RCV.NXT. */
  int advertisedWindowLeft() {
    return Math.max(0, distance(tcb.rcvNxt, advertisedEdge));
  }

  /** The window a segment sent now would offer, as the scaled 16-bit field can say it. */
  int advertisableWindow() {
    return Math.min(tcb.receiveBuffer.window() >> tcb.rcvWscale, 0xFFFF) << tcb.rcvWscale;
  }

  private long now() {
    return c.clock.nowNanos();
  }

  // ---------------------------------------------------------------- building segments

  /** Starts the stack's reusable outbound segment; the caller adds options and payload, then emits it. */
  private OutboundSegment segment(int seq, int flags) {
    FourTuple t = c.tuple;
    boolean syn = (flags & TcpFlags.SYN) != 0;
    int wnd = tcb.receiveBuffer.window();
    // RFC 7323 §2.2: the window of a SYN is never scaled.
    int field = syn ? Math.min(wnd, 0xFFFF) : Math.min(wnd >> tcb.rcvWscale, 0xFFFF);
    advertisedEdge = plus(tcb.rcvNxt, syn ? field : field << tcb.rcvWscale);
    int ack = (flags & TcpFlags.ACK) != 0 ? tcb.rcvNxt : 0;
    if ((flags & TcpFlags.ACK) != 0) {
      ackNow = false;
      c.ackSent();
    }
    return c.stack().outboundSegment().reset(t.localAddr(), t.remoteAddr(), t.localPort(), t.remotePort(), seq, ack,
        flags, field);
  }

  /** Per-segment options after the handshake: timestamps (RFC 7323 §3) and SACK blocks (RFC 2018 §4). */
  private OutboundSegment withOptions(OutboundSegment o) {
    if (tcb.tsOk) o.timestamp((int) c.clock.nowMillis(), tcb.tsRecent);
    if (tcb.sackOk && tcb.receiveBuffer.hasOutOfOrder()) {
      // Only while a hole exists (loss or reordering): the ranges list may allocate.
      long base = tcb.receiveBuffer.nextOffset();
      for (long[] r : tcb.receiveBuffer.outOfOrderRanges().reversed()) {
        if (o.sackBlocks() == (tcb.tsOk ? 3 : 4)) break;
        o.sackBlock(plus(tcb.rcvNxt, r[0] - base), plus(tcb.rcvNxt, r[1] - base));
      }
    }
    return o;
  }

  private void emit(OutboundSegment s) {
    c.stack().transmit(s);
  }

  void sendSyn(boolean withAck) {
    int flags = withAck ? TcpFlags.SYN | TcpFlags.ACK : TcpFlags.SYN;
    emit(segment(tcb.iss, flags).options(Handshake.synOptions(c, withAck, c.clock.nowMillis())));
    if (tcb.sndNxt == tcb.iss) {
      tcb.sndNxt = plus(tcb.iss, 1);
      // The handshake gives the first RTT sample (RFC 6298 §2.2); Linux takes it from the SYN or
      // SYN-ACK when it was not retransmitted (tcp_synack_rtt_meas, tcp_ack_update_rtt).
      startTiming(tcb.iss);
      sendTimes.sent(tcb.iss, now());
      highRxt = tcb.iss;
    }
    pushedSeq = tcb.sndNxt;
    armRetransmitIfIdle();
  }

  /**
   * A half-open connection was promoted: its SYN-ACK went out at {@code sentNanos} as {@link
   * #sendSyn} would have recorded it, timed for the first RTT sample unless it was sent again
   * (Karn) or never kept (a cookie); {@code windowField} is the window it offered.
   */
  void synAckSent(long sentNanos, boolean timed, int windowField) {
    sendTimes.sent(tcb.iss, sentNanos);
    highRxt = tcb.iss;
    pushedSeq = tcb.sndNxt;
    advertisedEdge = plus(tcb.rcvNxt, windowField);
    if (timed) {
      rttTiming = true;
      rttSeq = plus(tcb.iss, 1);
      rttStartNanos = sentNanos;
    }
  }

  /**
   * SEND_ACK: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> with this event's output, so data written
   * before establishment rides on the handshake's ACK (Linux delays that ACK when a write is
   * pending). In SYN-RECEIVED too it is a plain ACK (§3.10.7.4; Linux tcp_check_req answers an
   * out-of-window segment with reqsk send_ack, SEQ=ISS+1).
   */
  void sendAck() {
    ackNow = true;
  }

  /** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> now. */
  void sendAckNow() {
    ackNow = false;
    emit(withOptions(segment(tcb.sndNxt, TcpFlags.ACK)));
  }

  /** §3.10.5 ABORT. Linux: the RST carries ACK and RCV.NXT (tcp_send_active_reset). */
  void sendAbortRst() {
    emit(segment(tcb.sndNxt, TcpFlags.RST | TcpFlags.ACK));
  }

  // ---------------------------------------------------------------- ACK processing, §3.10.7.4

  void processAck(SegmentView seg) {
    if (!seg.has(TcpFlags.ACK)) return;
    int ack = seg.ack();
    boolean windowChanged = false;
    // Window update (SND.WL1/SND.WL2 rule), only for an ACK in [SND.UNA, SND.NXT].
    if (le(tcb.sndUna, ack) && le(ack, tcb.sndNxt)
        && (lt(tcb.sndWl1, seg.seq()) || (tcb.sndWl1 == seg.seq() && le(tcb.sndWl2, ack)))) {
      long wnd = (long) seg.window() << (seg.has(TcpFlags.SYN) ? 0 : tcb.sndWscale);
      windowChanged = wnd != tcb.sndWnd;
      tcb.sndWnd = wnd;
      tcb.maxSndWnd = Math.max(tcb.maxSndWnd, wnd);
      tcb.sndWl1 = seg.seq();
      tcb.sndWl2 = ack;
      if (wnd > 0) {
        tcb.timers.cancel(TimerKind.PERSIST);
        persistProbes = 0;
      }
    }
    // Linux (tcp_ack): any ACK that is neither old nor ahead shows the peer alive, so zero-window
    // probing goes on as long as the peer answers (RFC 1122 §4.2.2.17).
    if (le(tcb.sndUna, ack) && le(ack, tcb.sndNxt)) probesOut = 0;
    boolean newAck = gt(ack, tcb.sndUna) && le(ack, tcb.sndNxt);
    boolean sackedNew = false;
    if (tcb.sackOk) {
      // RFC 6675 §4 Update() (RFC 2018 §3: the blocks the ACK carries).
      var sack = seg.option(TcpOption.Sack.class);
      if (sack.isPresent()) {
        sackedNew = scoreboard.update(newAck ? ack : tcb.sndUna, tcb.sndNxt, sack.get().blocks());
      }
    }
    if (newAck) {
      newAck(seg, ack);
    } else if (ack == tcb.sndUna && tcb.inFlight() > 0
        && (sackedNew || (seg.payloadLength() == 0 && !seg.has(TcpFlags.FIN) && !seg.has(TcpFlags.SYN)
            && !windowChanged))) {
      // Duplicate ACK: RFC 5681 §2's definition, or RFC 6675 §2's with SACK (an ACK that SACKs
      // octets not SACKed before, whatever its window: a receiver whose window grows as it reads,
      // Linux's, would otherwise never count as duplicating and every loss would wait for the RTO).
      if (cc.onDuplicateAck(tcb.sndNxt, tcb.inFlight())) {
        startRecovery();
      } else if (tcb.sackOk && !cc.inRecovery() && scoreboard.isLost(tcb.sndUna, tcb.sndMss)) {
        // RFC 6675 §5: enough SACKed above the head to call it lost before the third dup ACK.
        cc.enterRecovery(tcb.sndNxt, tcb.inFlight());
        startRecovery();
      } else if (tcb.sackOk && cc.inRecovery()) {
        retransmitLostHoles();
      }
    }
  }

  /** Fast retransmit of the head (RFC 5681 §3.2, RFC 6675 §5 step 4.3), then the lost holes. */
  private void startRecovery() {
    highRxt = tcb.sndUna;
    retransmitHead();
    if (tcb.sackOk) retransmitLostHoles();
  }

  /**
   * RFC 6675 §5 step (C): while cwnd - pipe >= 1 SMSS, retransmit the next lost hole (NextSeg rule
   * 1). New data (rule 2) is {@link #output}'s, which measures room by the same pipe in recovery;
   * only when there is none, a hole not yet deemed lost goes (rule 3).
   */
  private void retransmitLostHoles() {
    for (int i = 0; i < 64; i++) {
      if (cc.cwnd() - pipe() < tcb.sndMss) return;
      int from = lt(highRxt, tcb.sndUna) ? tcb.sndUna : highRxt;
      int[] hole = scoreboard.nextHole(from, tcb.sndMss, true);
      boolean noNewData = tcb.sendBuffer.size() <= distance(tcb.sndUna, tcb.sndNxt) - (tcb.finSent ? 1 : 0);
      if (hole == null && noNewData) hole = scoreboard.nextHole(from, tcb.sndMss, false);
      if (hole == null) return;
      retransmitRange(hole[0], hole[1]);
    }
  }

  /** RFC 6675 §4 SetPipe(). */
  private long pipe() {
    return scoreboard.pipe(tcb.sndUna, tcb.sndNxt, highRxt, tcb.sndMss);
  }

  private void newAck(SegmentView seg, int ack) {
    long acked = Integer.toUnsignedLong(distance(tcb.sndUna, ack));
    int synPart = ourSynAcked ? 0 : 1;
    ourSynAcked = true;
    int finPart = tcb.finSent && ack == tcb.sndNxt ? 1 : 0;
    int dataAcked = (int) acked - synPart - finPart;
    tcb.sendBuffer.consume(Math.max(0, Math.min(dataAcked, tcb.sendBuffer.size())));
    tcb.bytesAcked += acked - (synPart == 1 && c.engine.passive() ? 1 : 0);
    tcb.sndUna = ack;
    scoreboard.acked(ack);
    if (lt(highRxt, ack)) highRxt = ack;
    if (tcb.inFlight() == 0) sendTimes.clear();
    else sendTimes.acked(ack);
    // RTT: an echoed timestamp (RFC 7323 §4.1) or one timed segment never retransmitted (Karn).
    if (tcb.tsOk && seg.hasTimestamp() && seg.tsEcr() != 0) {
      long rttMillis = (int) c.clock.nowMillis() - seg.tsEcr();
      if (rttMillis >= 0) tcb.rtt.sample(rttMillis * 1_000_000L);
      rttTiming = false;
    } else if (rttTiming && !lt(ack, rttSeq)) {
      tcb.rtt.sample(now() - rttStartNanos);
      rttTiming = false;
    }
    // Linux: progress clears the backoff and the retry count (tcp_ack).
    tcb.rtt.resetBackoff();
    retries = 0;
    boolean partial = cc.onNewAck(ack, acked, tcb.inFlight());
    // RFC 6298 §5.2, §5.3.
    if (tcb.inFlight() == 0) tcb.timers.cancel(TimerKind.RETRANSMIT);
    else tcb.timers.arm(TimerKind.RETRANSMIT, now() + tcb.rtt.rtoNanos());
    if (partial) {
      // RFC 6675 §5 step (C) with SACK; RFC 6582 §3.2 step 4 (retransmit the head) without.
      if (tcb.sackOk) retransmitLostHoles();
      else retransmitHead();
    }
  }

  // ---------------------------------------------------------------- output

  private boolean synAcked() {
    return ourSynAcked;
  }

  /** CHOOSE_ISS: a new ISS, so a SYN not acknowledged yet. */
  void issChosen() {
    ourSynAcked = false;
  }

  private boolean maySendData() {
    return switch (c.state()) {
      case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> synAcked();
      case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, FIN_WAIT_2, TIME_WAIT -> false;
    };
  }

  /**
   * §3.10.4 CLOSE in SYN-RECEIVED: "If no SENDs have been issued and there is no pending data to
   * send, then form a FIN segment and send it"; with data queued the FIN waits for ESTABLISHED.
   * Linux (simultaneous open) sends the FIN at once too.
   */
  private boolean mayOnlyFinBeforeSynAcked() {
    return c.state() == State.FIN_WAIT_1 && !synAcked() && tcb.sendBuffer.size() == 0;
  }

  /** Sends what the windows, Nagle and the FIN allow, then a pure ACK if one is still owed. */
  void output() {
    if (maySendData() || mayOnlyFinBeforeSynAcked()) {
      while (!tcb.finSent) {
        int inFlightData = distance(tcb.sndUna, tcb.sndNxt);
        int unsent = tcb.sendBuffer.size() - inFlightData;
        // RFC 6675 §5: in SACK recovery cwnd limits the pipe estimate, not the flight size.
        long cwndRoom = tcb.sackOk && cc.inRecovery() ? cc.cwnd() - pipe() : cc.sendLimit() - tcb.inFlight();
        long usable = Math.min(tcb.sndWnd - tcb.inFlight(), cwndRoom);
        if (unsent > 0) {
          int len = (int) Math.min(Math.min(unsent, tcb.sndMss), Math.max(0, usable));
          if (len <= 0) {
            armPersistIfNeeded();
            break;
          }
          if (len < tcb.sndMss && !maySendSmall(len, unsent)) break;
          boolean fin = tcb.finQueued && len == unsent;
          int seq = tcb.sndNxt;
          // PSH ends what was written; Linux (forced_push) also pushes once more than half the
          // largest window went out since the last PSH.
          boolean push = len == unsent || gt(plus(seq, len), plus(pushedSeq, (int) (tcb.maxSndWnd / 2)));
          if (push) pushedSeq = plus(seq, len);
          int flags = TcpFlags.ACK | (push ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
          OutboundSegment s = withOptions(segment(seq, flags));
          tcb.sendBuffer.copyOut(inFlightData, s.payload(len), 0, len);
          emit(s);
          tcb.sndNxt = plus(seq, len + (fin ? 1 : 0));
          if (len < tcb.sndMss) {
            smallSent = true;
            sndSml = tcb.sndNxt;
          }
          if (fin) tcb.finSent = true;
          startTimingAndTimer(seq);
        } else if (tcb.finQueued) {
          int seq = tcb.sndNxt;
          emit(withOptions(segment(seq, TcpFlags.FIN | TcpFlags.ACK)));
          tcb.sndNxt = plus(seq, 1);
          tcb.finSent = true;
          startTimingAndTimer(seq);
        } else {
          break;
        }
      }
    }
    if (ackNow && c.state().isSynchronized()) sendAckNow();
    ackNow = false;
  }

  /**
   * A segment shorter than the MSS: Nagle (RFC 9293 §3.7.4, RFC 1122 §4.2.3.4) waits unless
   * TCP_NODELAY or a FIN follows; a window-limited one goes out only if it is at least half the
   * largest window the peer offered (sender SWS avoidance, §3.8.6.2.1). Nagle in Minshall's
   * form, as Linux (tcp_minshall_check): what it waits for is the ACK of the last small segment,
   * not of all data, so the short tail of a write follows its full-sized segments at once.
   */
  private boolean maySendSmall(int len, int unsent) {
    if (len < unsent) return len >= tcb.maxSndWnd / 2;
    boolean smallUnacked = smallSent && gt(sndSml, tcb.sndUna) && le(sndSml, tcb.sndNxt);
    return !smallUnacked || c.options.noDelay || tcb.finQueued;
  }

  private void startTimingAndTimer(int seq) {
    sendTimes.sent(seq, now());
    startTiming(seq);
    armRetransmitIfIdle();
  }

  private void startTiming(int seq) {
    if (!rttTiming) {
      rttTiming = true;
      rttSeq = plus(seq, 1);
      rttStartNanos = now();
    }
  }

  private void armRetransmitIfIdle() {
    tcb.timers.armIfIdle(TimerKind.RETRANSMIT, now() + tcb.rtt.rtoNanos());
  }

  private void armPersistIfNeeded() {
    if (tcb.sndWnd == 0 && tcb.inFlight() == 0 && !tcb.timers.armed(TimerKind.PERSIST)) {
      tcb.timers.arm(TimerKind.PERSIST, now() + backedOff(tcb.rtt.rtoNanos(), persistProbes));
    }
  }

  private static long backedOff(long base, int n) {
    long v = base;
    for (int i = 0; i < n && v < RttEstimator.MAX_RTO_NANOS; i++) v *= 2;
    return Math.min(v, RttEstimator.MAX_RTO_NANOS);
  }

  // ---------------------------------------------------------------- timers

  /** The first unacknowledged segment again: SYN, SYN-ACK, or data from SND.UNA (and the FIN). */
  private void retransmitHead() {
    if (!synAcked()) {
      sendSyn(c.state() != State.SYN_SENT);
      rttTiming = false; // Karn: an ACK of a retransmitted SYN is no sample.
      return;
    }
    retransmitRange(tcb.sndUna, tcb.sndMss);
  }

  /** Data from {@code seq}, at most {@code len} octets, again; the FIN too when it ends there. */
  private void retransmitRange(int seq, int len) {
    int offset = distance(tcb.sndUna, seq);
    int dataEnd = distance(tcb.sndUna, tcb.sndNxt) - (tcb.finSent ? 1 : 0);
    int n = Math.max(0, Math.min(len, dataEnd - offset));
    boolean fin = tcb.finSent && offset + n == dataEnd;
    if (n <= 0 && !fin) return;
    // Linux retransmits a segment with the flags it first had: PSH only on the last segment of
    // what was sent; a hole in the middle goes without (we keep no per-segment flags).
    boolean push = n > 0 && offset + n == dataEnd;
    int flags = TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (push ? TcpFlags.PSH : 0);
    OutboundSegment s = withOptions(segment(seq, flags));
    tcb.sendBuffer.copyOut(offset, s.payload(n), 0, n);
    emit(s);
    int end = plus(seq, n + (fin ? 1 : 0));
    if (lt(highRxt, end)) highRxt = end;
    rttTiming = false; // Karn: never time a retransmitted segment.
  }

  /** RFC 6298 §5.4–§5.6. Returns true when the connection must give up (the state's TIMEOUT). */
  boolean retransmitTimerExpired() {
    if (tcb.inFlight() == 0) return false;
    if (writeTimedOut()) return true;
    if (retries == 0) retransStampNanos = sendTimes.headSentNanos(now());
    retries++;
    // Linux (tcp_retransmit_timer): the first tcp_syn_linear_timeouts SYN retransmissions keep
    // the RTO; RFC 6298 §5.5 backs off from the first.
    boolean linear = c.state() == State.SYN_SENT && retries <= c.stack().config().synLinearTimeouts();
    if (!linear) tcb.rtt.backOff();
    cc.onRetransmitTimeout(tcb.sndNxt, tcb.inFlight());
    retransmitHead();
    tcb.timers.arm(TimerKind.RETRANSMIT, now() + tcb.rtt.rtoNanos());
    return false;
  }

  /**
   * RFC 9293 §3.8.3 R2 as Linux bounds it (tcp_write_timeout): true when the retransmissions so far
   * used up the state's budget. SYN-SENT: tcp_syn_retries retransmissions, or the time they take
   * from a 1 s base. Passive SYN-RECEIVED: tcp_synack_retries SYN-ACKs (Linux counts them in
   * reqsk_timer_handler). Otherwise the time tcp_retries2 retransmissions take from a 200 ms base,
   * measured from the first transmission of the segment retransmitted; once close() orphaned the
   * connection, tcp_orphan_retries instead (0 means 8 while the RTO is below its maximum).
   */
  private boolean writeTimedOut() {
    StackConfig cfg = c.stack().config();
    return switch (c.state()) {
      case SYN_RECEIVED -> c.parent != null ? retries >= cfg.synackRetries() : synTimedOut(cfg);
      case SYN_SENT -> synTimedOut(cfg);
      case CLOSED, LISTEN, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> {
        int until = c.orphaned
            ? orphanRetries(cfg, tcb.rtt.rtoNanos() < RttEstimator.MAX_RTO_NANOS) : cfg.retries2();
        yield retransmissionsTimedOut(until, RttEstimator.MIN_RTO_NANOS);
      }
    };
  }

  /** SYN-SENT counts the linear retransmissions on top (Linux max_retransmits); the time does not. */
  private boolean synTimedOut(StackConfig cfg) {
    int count = cfg.synRetries() + (c.state() == State.SYN_SENT ? cfg.synLinearTimeouts() : 0);
    return retries >= count || retransmissionsTimedOut(cfg.synRetries(), RttEstimator.INITIAL_RTO_NANOS);
  }

  /** Linux retransmits_timed_out(): never before the first retransmission. */
  private boolean retransmissionsTimedOut(int boundary, long rtoBaseNanos) {
    if (retries == 0) return false;
    return now() - retransStampNanos >= RttEstimator.retryBudgetNanos(boundary, rtoBaseNanos);
  }

  /** Linux tcp_orphan_retries(): 0 means 8 while the connection still looks alive. */
  private static int orphanRetries(StackConfig cfg, boolean alive) {
    return cfg.orphanRetries() == 0 && alive ? 8 : cfg.orphanRetries();
  }

  /**
   * §3.8.6.1. Linux: the probe is <SEQ=SND.UNA-1><CTL=ACK> with no data (tcp_xmit_probe_skb).
   * Returns true when probing gives up (Linux tcp_probe_timer): tcp_retries2 probes in a row went
   * unanswered, or for an orphan tcp_orphan_retries of them, or its backoff reached the maximum.
   */
  boolean persistTimerExpired() {
    if (tcb.sndWnd > 0 || !maySendData()) return false;
    StackConfig cfg = c.stack().config();
    int maxProbes = cfg.retries2();
    if (c.orphaned) {
      boolean alive = backedOff(tcb.rtt.rtoNanos(), persistProbes) < RttEstimator.MAX_RTO_NANOS;
      maxProbes = orphanRetries(cfg, alive);
      if (!alive && persistProbes >= maxProbes) return true;
    }
    if (probesOut >= maxProbes) return true;
    emit(withOptions(segment(plus(tcb.sndUna, -1), TcpFlags.ACK)));
    persistProbes++;
    probesOut++;
    armPersistIfNeeded();
    return false;
  }

  /** Something arrived or was established: push the keep-alive idle timer back (if enabled). */
  void keepaliveActivity() {
    keepaliveProbes = 0;
    lastReceiveNanos = now();
    if (c.options.keepAlive && c.established()) {
      tcb.timers.arm(TimerKind.KEEPALIVE, now() + c.options.keepIdleNanos);
    }
  }

  /** See {@link Stack#keepaliveChanged}. */
  void keepaliveOptionsChanged(boolean fromLastReceive) {
    if (!c.options.keepAlive) {
      tcb.timers.cancel(TimerKind.KEEPALIVE);
    } else if (c.established() && c.state() != State.CLOSED) {
      long from = fromLastReceive ? lastReceiveNanos : now();
      tcb.timers.arm(TimerKind.KEEPALIVE, Math.max(now(), from + c.options.keepIdleNanos));
    }
  }

  /** RFC 1122 §4.2.3.6 probe (Linux form: SEQ=SND.UNA-1); true when the probes are exhausted. */
  boolean keepaliveTimerExpired() {
    if (!c.options.keepAlive) return false;
    if (keepaliveProbes >= c.options.keepProbes) return true;
    keepaliveProbes++;
    emit(withOptions(segment(plus(tcb.sndUna, -1), TcpFlags.ACK)));
    tcb.timers.arm(TimerKind.KEEPALIVE, now() + c.options.keepIntervalNanos);
    return false;
  }
}
