package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.cc.Reno;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.RttEstimator;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * The sending half of a connection (gVisor's snd.go): segment construction, ACK processing
 * (§3.10.7.4 fifth step: SND.UNA, the send window, RTT), output of data and FIN under the send
 * window and what congestion control and loss recovery allow, Nagle (RFC 9293 §3.7.4), and the
 * retransmission timer (RFC 6298, Karn) with Linux's give-up budgets. What to retransmit on
 * duplicate and partial ACKs is {@link LossRecovery}'s; the receiver decides when an ACK is owed
 * and the window offered, {@link Probes} the zero-window and keep-alive probes.
 */
final class Sender {
  private final Connection c;
  private final Tcb tcb;
  private CongestionControl cc = new Reno(Tcb.DEFAULT_MSS);
  private LossRecovery recovery;
  /** Retransmissions since the last progress (Linux icsk_retransmits). */
  private int retries;
  /** When the segment being retransmitted was first sent (Linux retrans_stamp). */
  private long retransStampNanos;
  private final SendTimes sendTimes = new SendTimes();
  private boolean rttTiming;
  private int rttSeq;
  private long rttStartNanos;
  /**
   * Our SYN has been acknowledged. A flag, not SND.UNA > ISS: that modular comparison turns false
   * again once 2^31 bytes are acknowledged, which stopped all sending after 2 GiB.
   */
  private boolean ourSynAcked;
  /** Linux snd_sml: where the last segment shorter than the MSS ended (Minshall's Nagle). */
  private int sndSml;
  private boolean smallSent;
  /** Linux pushed_seq: where the last segment marked PSH ended. */
  private int pushedSeq;

  Sender(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
    this.recovery = new NewRenoRecovery(this, tcb, cc);
  }

  /**
   * The handshake settled the MSS and SACK: congestion control starts with its initial window in
   * that MSS, and loss recovery is RFC 6675's with SACK, NewReno's without.
   */
  void negotiated() {
    cc = new Reno(tcb.sndMss);
    recovery = tcb.sackOk ? new SackRecovery(this, tcb, cc) : new NewRenoRecovery(this, tcb, cc);
  }

  CongestionControl congestionControl() {
    return cc;
  }

  LossRecovery recovery() {
    return recovery;
  }

  int retries() {
    return retries;
  }

  private long now() {
    return c.clock.nowNanos();
  }

  // ---------------------------------------------------------------- building segments

  /** Starts the stack's reusable outbound segment; the caller adds options and payload, then emits it. */
  private OutboundSegment segment(int seq, int flags) {
    FourTuple t = c.tuple;
    boolean ack = (flags & TcpFlags.ACK) != 0;
    int field = c.receiver.windowField((flags & TcpFlags.SYN) != 0);
    if (ack) c.receiver.ackSent();
    return c.stack().outboundSegment().reset(t.localAddr(), t.remoteAddr(), t.localPort(), t.remotePort(), seq,
        ack ? tcb.rcvNxt : 0, flags, field);
  }

  /** Per-segment options after the handshake: timestamps (RFC 7323 §3) and SACK blocks (RFC 2018 §4). */
  private OutboundSegment withOptions(OutboundSegment o) {
    if (tcb.tsOk) o.timestamp((int) c.clock.nowMillis(), tcb.tsRecent);
    c.receiver.sackBlocks(o);
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
    }
    pushedSeq = tcb.sndNxt;
    armRetransmitIfIdle();
  }

  /** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> now. */
  private void sendAckNow() {
    emit(withOptions(segment(tcb.sndNxt, TcpFlags.ACK)));
  }

  /** §3.10.5 ABORT. Linux: the RST carries ACK and RCV.NXT (tcp_send_active_reset). */
  void sendAbortRst() {
    emit(segment(tcb.sndNxt, TcpFlags.RST | TcpFlags.ACK));
  }

  /** A zero-window or keep-alive probe, Linux's form: <SEQ=SND.UNA-1><CTL=ACK>, no data (tcp_xmit_probe_skb). */
  void sendProbe() {
    emit(withOptions(segment(plus(tcb.sndUna, -1), TcpFlags.ACK)));
  }

  // ---------------------------------------------------------------- ACK processing, §3.10.7.4

  /** PROCESS_ACK: the fifth step of §3.10.7.4 for {@code seg}. */
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
      if (wnd > 0) c.probes.windowOpened();
    }
    if (le(tcb.sndUna, ack) && le(ack, tcb.sndNxt)) c.probes.peerAnswered();
    boolean newAck = gt(ack, tcb.sndUna) && le(ack, tcb.sndNxt);
    boolean sackedNew = tcb.sackOk && recovery.sacked(seg, newAck ? ack : tcb.sndUna);
    if (newAck) {
      newAck(seg, ack);
    } else if (ack == tcb.sndUna && tcb.inFlight() > 0
        && (sackedNew || (seg.payloadLength() == 0 && !seg.has(TcpFlags.FIN) && !seg.has(TcpFlags.SYN)
            && !windowChanged))) {
      // Duplicate ACK: RFC 5681 §2's definition, or RFC 6675 §2's with SACK (an ACK that SACKs
      // octets not SACKed before, whatever its window: a receiver whose window grows as it reads,
      // Linux's, would otherwise never count as duplicating and every loss would wait for the RTO).
      recovery.onDuplicateAck();
    }
  }

  private void newAck(SegmentView seg, int ack) {
    long acked = Integer.toUnsignedLong(distance(tcb.sndUna, ack));
    int synPart = ourSynAcked ? 0 : 1;
    ourSynAcked = true;
    int finPart = tcb.finSent && ack == tcb.sndNxt ? 1 : 0;
    int dataAcked = (int) acked - synPart - finPart;
    tcb.sendBuffer.consume(Math.max(0, Math.min(dataAcked, tcb.sendBuffer.size())));
    tcb.sndUna = ack;
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
    // RFC 6298 §5.2, §5.3.
    if (tcb.inFlight() == 0) tcb.timers.cancel(TimerKind.RETRANSMIT);
    else tcb.timers.arm(TimerKind.RETRANSMIT, now() + tcb.rtt.rtoNanos());
    recovery.onNewAck(ack, acked);
  }

  // ---------------------------------------------------------------- output

  private boolean synAcked() {
    return ourSynAcked;
  }

  /** CHOOSE_ISS: a new ISS, so a SYN not acknowledged yet. */
  void issChosen() {
    ourSynAcked = false;
  }

  boolean maySendData() {
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
        long usable = Math.min(tcb.sndWnd - tcb.inFlight(), recovery.sendRoom());
        if (unsent > 0) {
          int len = (int) Math.min(Math.min(unsent, tcb.sndMss), Math.max(0, usable));
          if (len <= 0) {
            c.probes.armPersistIfNeeded();
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
    if (c.receiver.ackOwed()) {
      // An ACK owed in an unsynchronized state is not sent (nothing to acknowledge yet).
      if (c.state().isSynchronized()) sendAckNow();
      else c.receiver.ackSent();
    }
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

  // ---------------------------------------------------------------- timers

  /** The first unacknowledged segment again: SYN, SYN-ACK, or data from SND.UNA (and the FIN). */
  void retransmitHead() {
    if (!synAcked()) {
      sendSyn(c.state() != State.SYN_SENT);
      rttTiming = false; // Karn: an ACK of a retransmitted SYN is no sample.
      return;
    }
    retransmitRange(tcb.sndUna, tcb.sndMss);
  }

  /** Data from {@code seq}, at most {@code len} octets, again; the FIN too when it ends there. */
  void retransmitRange(int seq, int len) {
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
    recovery.onRetransmitted(end);
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
    recovery.onRetransmitTimeout();
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
  static int orphanRetries(StackConfig cfg, boolean alive) {
    return cfg.orphanRetries() == 0 && alive ? 8 : cfg.orphanRetries();
  }
}
