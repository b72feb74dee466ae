package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.RttEstimator;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * The sending half of a connection (gVisor's snd.go): segment construction, ACK processing
 * (§3.10.7.4 fifth step: SND.UNA, the send window, RTT), output of data and FIN under the send
 * window and cwnd, Nagle (RFC 9293 §3.7.4), and the retransmission timer (RFC 6298, Karn) with
 * Linux's give-up budgets. Loss detection and the response to it are {@link CaStateMachine}'s,
 * which this sender asks what cwnd allows and tells of every ACK; the receiver decides when an ACK
 * is owed and the window offered, {@link Probes} the zero-window and keep-alive probes.
 */
final class Sender {
  private final Connection c;
  private final Tcb tcb;
  private final CaStateMachine ca;
  /** Retransmissions by the RTO since the last progress (Linux icsk_retransmits). */
  private int retries;
  /**
   * Linux retrans_stamp, the clock of the give-up budgets, while stamped: for a SYN its first
   * sending (tcp_connect), for data the first retransmission since the last progress.
   */
  private boolean retransStamped;
  private long retransStampNanos;
  /** When the last acceptable ACK arrived (Linux rcv_tstamp). */
  private long lastAckNanos;
  /** Data octets acknowledged (tcpi_bytes_acked) and RTOs fired (tcpi_total_rto). */
  private int totalRto;
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
  /** The last new segment ended a burst (it carried PSH): the next one begins an skb of Linux's. */
  private boolean burstEnded;
  private final RecordEnds recordEnds = new RecordEnds();
  final SendChrono chrono = new SendChrono();
  /** The last write said MSG_MORE: the end of what is written is not pushed (no PSH). */
  private boolean moreComing;

  Sender(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
    this.ca = new CaStateMachine(c, this, tcb);
  }

  /** The handshake settled the MSS and SACK: the loss response starts for them (initial window). */
  void negotiated() {
    ca.negotiated(tcb.sackOk);
  }

  /**
   * The send buffer can now hold {@code bytes} and will grow on to {@code bound} as cwnd does: the
   * per-segment rings make room for {@code bound} in full-sized segments now, so that they do not
   * grow one doubling at a time as the flight does. The autotuning passes the buffer's own size at
   * establishment, and tcp_wmem's max once an ACK found cwnd filled: such a connection is a bulk
   * sender whose buffer goes on growing with cwnd (tcp_sndbuf_expand) up to that max, for seconds
   * when many connections share the path, so rings sized step by step allocated while its packets
   * flowed (issue 15, bench: 2.5-30 B per packet stack to kernel with 16 connections at MTU 1500).
   * Linux bounds a socket's send memory by tcp_wmem's max; these rings take about 30 bytes per
   * segment of it (120 KB for 4 MB at an MSS of 1448).
   */
  void sendBufferGrew(int bytes, int bound) {
    int segments = Math.max(bytes, bound) / Math.max(1, tcb.sndMss) + 1;
    ca.queue.reserve(segments);
    sendTimes.reserve(segments);
  }

  CaStateMachine lossResponse() {
    return ca;
  }

  CongestionControl congestionControl() {
    return ca.congestionControl();
  }

  int retries() {
    return retries;
  }

  long lastAckNanos() {
    return lastAckNanos;
  }


  int totalRto() {
    return totalRto;
  }

  /** A timeout proved spurious: the retransmissions so far do not count toward giving up. */
  void retriesCleared() {
    retries = 0;
  }

  /**
   * The clock's reading for the segments of one {@link #output} pass, or {@link #NO_PASS} outside
   * one: Linux reads the clock once per tcp_write_xmit (tcp_mstamp_refresh into tcp_clock_cache),
   * and each skb of the pass takes its send time and TSval from that reading. A read per segment
   * was 14-16 % of the writing thread's samples over TUN at MTU 1500 (perf, `tcpspec bench`): on
   * this VM the vDSO's clock_gettime costs about as much as building the segment.
   */
  private long passNanos = NO_PASS;

  private static final long NO_PASS = Long.MIN_VALUE;

  private long now() {
    return passNanos != NO_PASS ? passNanos : c.clock.nowNanos();
  }

  private long nowMillis() {
    return passNanos != NO_PASS ? passNanos / 1_000_000L : c.clock.nowMillis();
  }

  // ---------------------------------------------------------------- building segments

  /** Starts the stack's reusable outbound segment; the caller adds options and payload, then emits it. */
  private OutboundSegment segment(int seq, int flags) {
    FourTuple t = c.tuple;
    boolean ack = (flags & TcpFlags.ACK) != 0;
    int field = c.receiver.windowField((flags & TcpFlags.SYN) != 0);
    if (ack) c.receiver.ackSent();
    boolean ipv6 = !t.remoteAddr().isIpv4();
    // RFC 9293 §3.8.5: URG and the urgent pointer on every segment before SND.UP (Linux tcp_transmit_skb).
    int urgentPointer = c.urgent.pointerFor(seq);
    // RFC 3168 §6.1.3: ECE on every segment after a CE mark until the peer's CWR (Linux tcp_ecn_send).
    if (tcb.ecnDemandCwr && (flags & TcpFlags.SYN) == 0) flags |= TcpFlags.ECE;
    return c.stack().outboundSegment().reset(t.localAddr(), t.remoteAddr(), t.localPort(), t.remotePort(), seq,
        ack ? tcb.rcvNxt : 0, urgentPointer >= 0 ? flags | TcpFlags.URG : flags, field)
        .ip(c.options.ipTos(ipv6), c.options.ipTtl(ipv6)).urgentPointer(Math.max(urgentPointer, 0));
  }

  /**
   * The most text one segment of ours may carry now (Linux tcp_current_mss): SND.MSS, which already
   * counts the timestamp option, less the SACK option our segments carry while we hold
   * out-of-order text or owe a DSACK, so that no segment is larger than the MSS the peer offered
   * (RFC 9293 §3.7.1: Eff.snd.MSS counts the TCP options).
   */
  int currentMss() {
    return Math.max(1, tcb.sndMss - c.receiver.sackOptionBytes());
  }

  /** Per-segment options after the handshake: timestamps (RFC 7323 §3) and SACK blocks (RFC 2018 §4). */
  private OutboundSegment withOptions(OutboundSegment o) {
    if (tcb.tsOk) o.timestamp((int) nowMillis(), tcb.tsRecent);
    c.receiver.sackBlocks(o);
    return o;
  }

  private void emit(OutboundSegment s) {
    assert run.isEmpty() : "a segment was built while a run was pending: the run goes first";
    c.stack().transmit(s);
  }

  /**
   * The new data of this pass gathered for one segment standing for a run of them (see {@link
   * SegmentRun}); {@link #runs}: whether this pass may gather.
   */
  private final SegmentRun run = new SegmentRun();
  private boolean runs;

  /**
   * Whether the pass's segments would carry identical headers but for SEQ and the last one's PSH,
   * so that a sink which segments on transmit may take them as one: no SACK blocks (a DSACK goes
   * once), no ECE (segments carrying it go one per packet, as {@code TcpSuperPacket} takes them),
   * no urgent pointer (it differs per segment).
   */
  private boolean runsAllowed() {
    return c.stack().sinkTakesRuns() && c.receiver.sackOptionBytes() == 0 && !tcb.ecnDemandCwr
        && !c.urgent.sendingUrgent();
  }

  /** Hands the pending run over as one segment, under the pass's clock reading (its timestamps). */
  private void flushRun() {
    if (run.isEmpty()) return;
    OutboundSegment s = withOptions(segment(run.seq(), run.flags()));
    s.payloadFrom(tcb.sendBuffer, run.from(), run.length());
    if (run.length() > run.segmentSize()) s.segmentSize(run.segmentSize());
    run.clear();
    emit(s);
  }

  void sendSyn(boolean withAck) {
    int flags = withAck ? TcpFlags.SYN | TcpFlags.ACK : TcpFlags.SYN;
    // RFC 3168 §6.1.1. Linux tcp_ecn_send_syn: with tcp_ecn 1 the first SYN is an ECN-setup SYN;
    // one sent again goes without (tcp_ecn_clear_syn, tcp_ecn_fallback). tcp_ecn_send_synack: a
    // SYN-ACK carries ECE when ECN was agreed.
    boolean firstSyn = !withAck && tcb.sndNxt == tcb.iss && retries() == 0;
    if (firstSyn && c.stack().config().tcpEcn() == StackConfig.ECN_ALWAYS) {
      tcb.ecnSetupSent = true;
      flags |= TcpFlags.ECE | TcpFlags.CWR;
    }
    if (withAck && tcb.ecnOk) flags |= TcpFlags.ECE;
    OutboundSegment syn = segment(tcb.iss, flags).options(Handshake.synOptions(c, withAck, c.clock.nowMillis()));
    // RFC 7413 §4.2.1 (Linux tcp_send_syn_data): the first SYN of a Fast Open carries the data
    // ACTIVE_OPEN_FAST_OPEN queued; a SYN sent again carries neither data nor the option.
    int synData = !withAck && tcb.sndNxt == tcb.iss && c.fastOpen.requested ? tcb.sendBuffer.size() : 0;
    if (synData > 0) syn.payloadFrom(tcb.sendBuffer, 0, synData).repeated(); // may be sent again: copied
    emit(syn);
    c.fastOpen.synCookie(null);
    if (tcb.sndNxt == tcb.iss) {
      c.fastOpen.synData = synData;
      tcb.sndNxt = plus(tcb.iss, 1 + synData);
      // The handshake gives the first RTT sample (RFC 6298 §2.2); Linux takes it from the SYN or
      // SYN-ACK when it was not retransmitted (tcp_synack_rtt_meas, tcp_ack_update_rtt).
      startTiming(tcb.iss);
      sendTimes.sent(tcb.iss, now());
    }
    pushedSeq = tcb.sndNxt;
    tcb.timers.armIfIdle(TimerKind.RETRANSMIT, now() + tcb.rtt.rtoNanos());
  }

  /**
   * A half-open connection was promoted: its SYN-ACK went out at {@code sentNanos} as {@link
   * #sendSyn} would have recorded it, timed for the first RTT sample unless it was sent again
   * (Karn) or never kept (a cookie); {@code windowField} is the window it offered.
   */
  void synAckSent(long sentNanos, boolean timed, int windowField) {
    sendTimes.sent(tcb.iss, sentNanos);
    pushedSeq = tcb.sndNxt;
    c.receiver.synWindowAdvertised(windowField);
    if (timed) {
      rttTiming = true;
      rttSeq = plus(tcb.iss, 1);
      rttStartNanos = sentNanos;
    }
  }

  /**
   * The SYN-ACK left some of our SYN's data unacknowledged (Linux tcp_rcv_fastopen_synack marks it
   * lost): it goes again from SND.UNA, as data not sent yet.
   */
  void synDataNotAcked() {
    synDataEnd = tcb.sndNxt;
    synDataResent = true;
    tcb.sndNxt = tcb.sndUna;
    sendTimes.clear();
  }

  /** Where the data of our SYN ended, when the SYN-ACK left some of it unacknowledged. */
  private int synDataEnd;
  private boolean synDataResent;

  /** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> now. */
  private void sendAckNow() {
    emit(withOptions(segment(tcb.sndNxt, TcpFlags.ACK)));
  }

  /**
   * §3.10.5 ABORT. Linux: the RST carries ACK and RCV.NXT, and timestamps when the connection uses
   * them (tcp_send_active_reset builds it with tcp_transmit_skb's options).
   */
  void sendAbortRst() {
    OutboundSegment rst = segment(tcb.sndNxt, TcpFlags.RST | TcpFlags.ACK);
    if (tcb.tsOk) rst.timestamp((int) c.clock.nowMillis(), tcb.tsRecent);
    emit(rst);
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
    if (le(tcb.sndUna, ack) && le(ack, tcb.sndNxt)) {
      c.probes.peerAnswered();
      lastAckNanos = now();
    }
    if (lt(ack, tcb.sndUna)) {
      // Linux's old_ack: an ACK below SND.UNA may still carry SACK or DSACK information.
      if (ourSynAcked && tcb.sackOk) ca.onOldAck(seg);
      return;
    }
    if (gt(ack, tcb.sndNxt)) return;
    int priorSndUna = tcb.sndUna;
    int priorQueued = tcb.sendBuffer.size();
    if (gt(ack, tcb.sndUna)) newAck(seg, ack);
    if (ourSynAcked) ca.onAck(seg, priorSndUna, windowChanged);
    // Linux tcp_check_space after tcp_ack: the send buffer may grow once an ACK freed room.
    if (tcb.sendBuffer.size() < priorQueued) c.autotuning.sendSpaceFreed();
    if (tcb.inFlight() == 0) tcb.timers.cancel(TimerKind.RETRANSMIT);
    if (nothingToSend()) chrono.stop(SendChrono.BUSY, true, c.clock.nowMillis());
  }

  private void newAck(SegmentView seg, int ack) {
    long acked = Integer.toUnsignedLong(distance(tcb.sndUna, ack));
    int synPart = ourSynAcked ? 0 : 1;
    boolean synNowAcked = !ourSynAcked;
    ourSynAcked = true;
    int finPart = tcb.finSent && ack == tcb.sndNxt ? 1 : 0;
    int dataAcked = (int) acked - synPart - finPart;
    if (synNowAcked) ca.synDelivered();
    int consumed = Math.max(0, Math.min(dataAcked, tcb.sendBuffer.size()));
    tcb.sendBuffer.consume(consumed);
    tcb.bytesAcked += acked - (synPart == 1 && c.engine.passive() ? 1 : 0);
    tcb.sndUna = ack;
    if (tcb.inFlight() == 0) sendTimes.clear();
    else sendTimes.acked(ack);
    // RTT: an echoed timestamp (RFC 7323 §4.1) or one timed segment never retransmitted (Karn).
    // The minimum RTT RACK reads (Linux tcp_update_rtt_min) takes only the timed segment: our
    // timestamps count milliseconds, which make a sub-millisecond path's minimum 0.
    if (tcb.tsOk && seg.hasTimestamp() && seg.tsEcr() != 0) {
      long rttMillis = (int) c.clock.nowMillis() - seg.tsEcr();
      if (rttMillis >= 0) tcb.rtt.sample(rttMillis * 1_000_000L);
      if (rttTiming && !lt(ack, rttSeq)) ca.rttSample(now() - rttStartNanos);
      rttTiming = false;
    } else if (rttTiming && !lt(ack, rttSeq)) {
      long rtt = now() - rttStartNanos;
      tcb.rtt.sample(rtt);
      ca.rttSample(rtt);
      rttTiming = false;
    }
    // Linux: progress clears the backoff and the retry count (tcp_ack).
    tcb.rtt.resetBackoff();
    retries = 0;
    retransStamped = false;
    // RFC 6298 §5.3 for the handshake; data's timer is the loss response's (RTO or probe).
    if (synNowAcked && tcb.inFlight() > 0) tcb.timers.arm(TimerKind.RETRANSMIT, now() + tcb.rtt.rtoNanos());
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
      case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> synAcked() || c.fastOpen.child;
      // RFC 7413 §4.2.2 (Linux tcp_passive_fastopen): a Fast Open child may send before the ACK of its SYN-ACK.
      case SYN_RECEIVED -> c.fastOpen.child;
      case CLOSED, LISTEN, SYN_SENT, FIN_WAIT_2, TIME_WAIT -> false;
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

  /** What was written so far ends a record (send with MSG_EOR): no segment will cross its end. */
  void endRecord() {
    recordEnds.add(plus(tcb.sndUna, tcb.sendBuffer.size()));
  }

  /**
   * Data was written ({@code more}: with MSG_MORE): the busy chronograph starts when nothing was
   * waiting to go (Linux tcp_add_write_queue_tail).
   */
  void written(int unsentBefore, boolean more) {
    if (unsentBefore == 0) chrono.start(SendChrono.BUSY, c.clock.nowMillis());
    moreComing = more;
  }

  /** Nothing to send nor to have acknowledged (Linux tcp_rtx_and_write_queues_empty). */
  private boolean nothingToSend() {
    return tcb.sendBuffer.size() == 0 && tcb.inFlight() == 0;
  }

  /** Bytes written and not yet sent. */
  int unsentBytes() {
    return tcb.sendBuffer.size() - sentDataBytes();
  }

  /**
   * Data octets sent and not acknowledged: SND.NXT - SND.UNA less the FIN, and less our SYN while
   * it is unacknowledged (a Fast Open child sends data before its SYN-ACK is acknowledged).
   */
  private int sentDataBytes() {
    boolean synOut = !ourSynAcked && tcb.sndNxt != tcb.iss;
    return distance(tcb.sndUna, tcb.sndNxt) - (tcb.finSent ? 1 : 0) - (synOut ? 1 : 0);
  }

  /** The right edge of the peer's window, SND.UNA + SND.WND. */
  int windowEnd() {
    return plus(tcb.sndUna, (int) Math.min(tcb.sndWnd, Integer.MAX_VALUE));
  }

  /**
   * What holds a short last segment in an output (Linux's nonagle argument of tcp_write_xmit):
   * Nagle and TCP_CORK; CORK, a MSG_MORE write's own push, holds it too; ALL, TCP_NAGLE_PUSH,
   * holds nothing.
   */
  enum Push { NAGLE, CORK, ALL }

  /** Sends what the windows, Nagle and the FIN allow, then a pure ACK if one is still owed. */
  void output() {
    output(Push.NAGLE);
  }

  /** {@link #output()} with {@code push} deciding what a short last segment waits for. */
  void output(Push push) {
    // Linux runs tcp_write_xmit only with something in the write queue (tcp_push_pending_frames).
    boolean queued = unsentBytes() > 0 || (tcb.finQueued && !tcb.finSent);
    if (queued && (maySendData() || mayOnlyFinBeforeSynAcked())) {
      passNanos = c.clock.nowNanos(); // tcp_write_xmit's tcp_mstamp_refresh
      try {
        writeQueued(push);
      } finally {
        passNanos = NO_PASS;
      }
    }
    if (c.receiver.ackOwed()) {
      // An ACK owed in an unsynchronized state is not sent (nothing to acknowledge yet).
      if (c.state().isSynchronized()) sendAckNow();
      else c.receiver.ackSent();
    }
  }

  /** The segments one tcp_write_xmit pass sends, under the pass's clock reading. */
  private void writeQueued(Push push) {
    int sent = 0;
    boolean cwndLimited = false;
    runs = runsAllowed();
    try {
      while (!tcb.finSent) {
        // Linux tcp_cwnd_test: "don't be strict about the congestion window for the final FIN",
        // a segment of at most one MSS that carries it goes whatever cwnd says.
        boolean finalFin = tcb.finQueued && unsentBytes() <= currentMss();
        if (!ca.cwndAllows() && !finalFin && (unsentBytes() > 0 || tcb.finQueued)) {
          cwndLimited = true;
          break;
        }
        if (!sendSegment(false, false, push, sent == 0)) break;
        sent++;
      }
      flushRun();
    } finally {
      runs = false;
      run.clear();
    }
    ca.outputDone(sent, cwndLimited);
    // Linux __tcp_push_pending_frames: data left waiting with nothing in flight (held by
    // TCP_CORK or MSG_MORE) arms the probe timer (tcp_check_probe_timer), so it waits at most
    // about an RTO: TCP_CORK's "200 ms ceiling" of tcp(7).
    if (tcb.inFlight() == 0 && unsentBytes() > 0) c.probes.armHeldDataProbe();
    // Linux tcp_write_xmit: rwnd limited while the next segment does not fit the peer's window
    // (tcp_snd_wnd_test).
    int next = Math.min(unsentBytes(), currentMss());
    if (next > 0 && next > tcb.sndWnd - distance(tcb.sndUna, tcb.sndNxt)) {
      chrono.start(SendChrono.RWND_LIMITED, nowMillis());
    } else {
      chrono.stop(SendChrono.RWND_LIMITED, nothingToSend(), nowMillis());
    }
  }

  /**
   * A tail loss probe of new data (Linux tcp_write_xmit with push_one 2): one segment if the send
   * window allows, whatever cwnd and Nagle say. Returns whether one went.
   */
  boolean sendOneSegment() {
    return maySendData() && !tcb.finSent && sendSegment(true, false, Push.ALL, true);
  }

  /**
   * Linux tcp_write_wakeup, from the probe timer with the peer's window open: what waits goes as
   * one segment with PSH, whatever a cork or MSG_MORE said. Returns whether one went.
   */
  boolean sendHeldData() {
    return maySendData() && !tcb.finSent && unsentBytes() > 0 && sendSegment(true, true, Push.ALL, true);
  }

  /**
   * One segment of new data (or the FIN alone) under the send window, Nagle and SWS avoidance
   * ({@code probe}: Nagle off; {@code wakeup}: PSH on, as tcp_write_wakeup; {@code firstOfPass}: the
   * first of a tcp_write_xmit pass, so the first of an skb); false when nothing may go.
   */
  private boolean sendSegment(boolean probe, boolean wakeup, Push nagle, boolean firstOfPass) {
    int inFlightData = sentDataBytes();
    int unsent = tcb.sendBuffer.size() - inFlightData;
    long usable = tcb.sndWnd - tcb.inFlight();
    if (unsent > 0) {
      int seq = tcb.sndNxt;
      int mss = currentMss();
      recordEnds.acknowledged(tcb.sndUna);
      int len = (int) Math.min(Math.min(unsent, mss), Math.max(0, usable));
      if (len <= 0) {
        c.probes.armPersistIfNeeded();
        return false;
      }
      len = distance(seq, recordEnds.limit(seq, len));
      boolean recordEnd = recordEnds.endsAt(plus(seq, len));
      // A record cut short by its end is not the last of the queue: Linux sends it without the
      // Nagle test (tcp_write_xmit, TCP_NAGLE_PUSH for an skb that is not the last).
      boolean cutByRecord = recordEnd && len < unsent;
      // Linux tcp_nagle_test: urgent mode sends a short segment at once (tcp_urg_mode).
      boolean nagleOff = probe || cutByRecord || c.urgent.sendingUrgent();
      if (len < mss && !nagleOff && !maySendSmall(len, unsent, nagle)) return false;
      boolean fin = tcb.finQueued && len == unsent;
      // PSH ends what was written; Linux (forced_push) also pushes once more than half the
      // largest window went out since the last PSH, and data leaves in TSO bursts of
      // tcp_tso_autosize segments that each carry PSH, while the first part of a burst cut by
      // cwnd goes without (tso_fragment). Measured on Linux 6.18: a 12000-byte write at RTT
      // 100 ms with cwnd 10 leaves as five 2200-byte P. bursts; one ACK in slow start releases a
      // P. burst of two; one segment released in recovery goes as ".".
      // The first reasons are PSH in the skb (tcp_mark_push, forced_push, tcp_write_wakeup), which
      // a retransmission repeats; the burst's is the wire's only (a retransmission of the data
      // before a burst's end went without PSH on Linux 6.18: flow/peer-shrinks-window.pkt).
      boolean skbPush = wakeup || (len == unsent && !moreComing) || recordEnd
          || gt(plus(seq, len), plus(pushedSeq, (int) (tcb.maxSndWnd / 2)));
      boolean push = skbPush || distance(pushedSeq, plus(seq, len)) >= ca.tsoSegs(mss) * mss;
      if (push) pushedSeq = plus(seq, len);
      int flags = TcpFlags.ACK | (push ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
      boolean sentBefore = synDataResent && lt(seq, synDataEnd);
      if (runs && !fin && !sentBefore) {
        if (!run.takes(seq, len, mss)) flushRun();
        run.add(seq, inFlightData, len, flags, mss);
        if (run.closed()) flushRun();
      } else {
        flushRun();
        OutboundSegment s = withOptions(segment(seq, flags));
        s.payloadFrom(tcb.sendBuffer, inFlightData, len);
        // The data of a SYN sent again (Fast Open) was sent before: see OutboundSegment.repeated.
        if (sentBefore) s.repeated();
        emit(s);
      }
      tcb.sndNxt = plus(seq, len + (fin ? 1 : 0));
      // Linux tcp_minshall_update runs for new data only: the data of our SYN sent again is not.
      boolean synDataAgain = synDataResent && le(tcb.sndNxt, synDataEnd);
      if (len < mss && !synDataAgain) {
        smallSent = true;
        sndSml = tcb.sndNxt;
      }
      if (fin) tcb.finSent = true;
      newSegmentSent(seq, skbPush, firstOfPass || burstEnded);
      burstEnded = push;
      return true;
    }
    if (tcb.finQueued) {
      flushRun();
      int seq = tcb.sndNxt;
      emit(withOptions(segment(seq, TcpFlags.FIN | TcpFlags.ACK)));
      tcb.sndNxt = plus(seq, 1);
      tcb.finSent = true;
      // Linux tcp_send_fin: a FIN after data already sent gets an skb of its own.
      newSegmentSent(seq, false, true);
      return true;
    }
    return false;
  }

  /**
   * A segment shorter than the MSS: Nagle (RFC 9293 §3.7.4, RFC 1122 §4.2.3.4) waits unless
   * TCP_NODELAY or a FIN follows; a window-limited one goes out only if it is at least half the
   * largest window the peer offered (sender SWS avoidance, §3.8.6.2.1). Nagle in Minshall's
   * form, as Linux (tcp_minshall_check): what it waits for is the ACK of the last small segment,
   * not of all data, so the short tail of a write follows its full-sized segments at once.
   */
  private boolean maySendSmall(int len, int unsent, Push nagle) {
    if (len < unsent) return len >= tcb.maxSndWnd / 2;
    // Linux tcp_nagle_test: TCP_NAGLE_PUSH sends it; a FIN goes; TCP_NAGLE_CORK holds a partial one.
    if (nagle == Push.ALL || tcb.finQueued) return true;
    if (nagle == Push.CORK || c.options.cork) return false;
    boolean smallUnacked = smallSent && gt(sndSml, tcb.sndUna) && le(sndSml, tcb.sndNxt);
    return !smallUnacked || c.options.noDelay || tcb.finQueued;
  }

  /**
   * A new segment from {@code seq} to SND.NXT went out, with PSH when {@code pushed}, beginning an
   * skb when {@code startsSkb}: timing, the give-up clock, the queue.
   */
  private void newSegmentSent(int seq, boolean pushed, boolean startsSkb) {
    long now = now();
    sendTimes.sent(seq, now);
    startTiming(seq);
    ca.sentNew(seq, tcb.sndNxt, pushed, startsSkb, now);
  }

  private void startTiming(int seq) {
    if (!rttTiming) {
      rttTiming = true;
      rttSeq = plus(seq, 1);
      rttStartNanos = now();
    }
  }

  // ---------------------------------------------------------------- retransmission

  /**
   * Sends [start, end) again as it first went: its data, and the FIN when it ends there. Linux
   * retransmits a segment with the flags it first had (tcp_retransmit_skb sends the skb, whose
   * tcp_flags keep the PSH tcp_mark_push or forced_push gave it): PSH when {@code pushed} and the
   * segment goes to its end (a record's end, MSG_EOR, always went with PSH).
   */
  void retransmit(int start, int end, boolean pushed) {
    int seq = lt(start, tcb.sndUna) ? tcb.sndUna : start;
    int offset = distance(tcb.sndUna, seq);
    int dataEnd = distance(tcb.sndUna, tcb.sndNxt) - (tcb.finSent ? 1 : 0);
    int n = Math.max(0, Math.min(distance(seq, end), dataEnd - offset));
    boolean fin = tcb.finSent && offset + n == dataEnd && end == tcb.sndNxt;
    if (n <= 0 && !fin) return;
    boolean push = n > 0 && pushed && plus(seq, n + (fin ? 1 : 0)) == end;
    int flags = TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (push ? TcpFlags.PSH : 0);
    OutboundSegment s = withOptions(segment(seq, flags));
    s.payloadFrom(tcb.sendBuffer, offset, n).repeated();
    emit(s);
    rttTiming = false; // Karn: never time a retransmitted segment.
  }

  /**
   * The retransmission timer slot expired: a reorder timeout or a loss probe (RFC 8985), or the
   * RTO (RFC 6298 §5.4–§5.6). Returns true when the connection must give up (the state's TIMEOUT).
   */
  boolean retransmitTimerExpired() {
    switch (ca.pendingTimer()) {
      case REORDER -> {
        ca.reorderTimerExpired();
        return false;
      }
      case LOSS_PROBE -> {
        ca.lossProbeTimerExpired();
        return false;
      }
      case RETRANSMISSION -> {
        // The RTO, below.
      }
    }
    if (tcb.inFlight() == 0) return false;
    // Linux tcp_rtx_probe0_timed_out measures from the head's sending when nothing was resent yet.
    long sinceFirstSent = retransStamped ? -1 : now() - sendTimes.headSentNanos(now());
    if (!retransStamped) {
      retransStamped = true;
      retransStampNanos = synAcked() ? ca.firstRetransmissionNanos(now()) : sendTimes.headSentNanos(now());
    }
    if (tcb.sndWnd == 0 && synAcked() && !c.orphaned) {
      return zeroWindowRetransmitTimerExpired(sinceFirstSent >= 0 ? sinceFirstSent : now() - retransStampNanos);
    }
    if (writeTimedOut()) return true;
    // Linux (tcp_retransmit_timer): the first tcp_syn_linear_timeouts SYN retransmissions keep
    // the RTO; RFC 6298 §5.5 backs off from the first.
    boolean linear = c.state() == State.SYN_SENT && retries + 1 <= c.stack().config().synLinearTimeouts();
    totalRto++;
    if (synAcked()) {
      ca.enterLoss(retries);
      retries++;
      ca.retransmitHead();
    } else {
      retries++;
      sendSyn(c.state() != State.SYN_SENT);
      rttTiming = false; // Karn: an ACK of a retransmitted SYN is no sample.
    }
    if (!linear) tcb.rtt.backOff();
    ca.armTimer(XmitTimer.RETRANSMISSION, clampedToUserTimeout(tcb.rtt.rtoNanos()));
    return false;
  }

  /**
   * Linux tcp_retransmit_timer when the peer shrank its window to zero with data in flight: the
   * retransmissions become window probes and do not time the connection out while the peer
   * answers; it gives up (tcp_rtx_probe0_timed_out) once nothing arrived for twice the largest RTO,
   * or the user timeout, and the retransmissions made no progress for as long; with
   * TCP_USER_TIMEOUT, also once they made none for longer than it.
   */
  private boolean zeroWindowRetransmitTimerExpired(long sinceRetransmit) {
    long timeout = 2 * RttEstimator.MAX_RTO_NANOS;
    long user = c.options.userTimeoutNanos();
    if (user > 0) {
      if (sinceRetransmit > user) return true;
      timeout = Math.min(timeout, user);
    }
    if (now() - lastAckNanos > timeout && sinceRetransmit > timeout) return true;
    ca.enterLoss(retries);
    ca.retransmitHead();
    tcb.rtt.backOff();
    ca.armTimer(XmitTimer.RETRANSMISSION, clampedToUserTimeout(tcb.rtt.rtoNanos()));
    return false;
  }

  /**
   * Linux tcp_clamp_rto_to_user_timeout: with TCP_USER_TIMEOUT the RTO fires no later than the
   * user timeout after the retransmissions began, so the give-up comes on time.
   */
  private long clampedToUserTimeout(long rtoNanos) {
    long user = c.options.userTimeoutNanos();
    if (user == 0 || !retransStamped) return rtoNanos;
    long remaining = user - (now() - retransStampNanos);
    return remaining <= 0 ? 1 : Math.min(rtoNanos, remaining);
  }

  /**
   * RFC 9293 §3.8.3 R2 as Linux bounds it (tcp_write_timeout): true when the retransmissions so far
   * used up the state's budget. SYN-SENT: tcp_syn_retries retransmissions, or the time they take
   * from a 1 s base. A Fast Open child in SYN-RECEIVED (the only passive connection that is more
   * than a request): TCP_SYNCNT, else tcp_synack_retries + 1 SYN-ACKs (Linux
   * tcp_fastopen_synack_timer gives it one retry more than a request). Otherwise the time tcp_retries2 retransmissions take from a 200 ms base,
   * measured from the first transmission of the segment retransmitted; once close() orphaned the
   * connection, tcp_orphan_retries instead (0 means 8 while the RTO is below its maximum).
   */
  private boolean writeTimedOut() {
    StackConfig cfg = c.stack().config();
    return switch (c.state()) {
      case SYN_RECEIVED -> c.parent != null
          ? retries >= (c.options.synCount > 0 ? c.options.synCount : cfg.synackRetries() + 1)
          : synTimedOut(cfg);
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
    // Linux tcp_write_timeout: the socket's TCP_SYNCNT, else tcp_syn_retries.
    int synRetries = c.options.synCount > 0 ? c.options.synCount : cfg.synRetries();
    int count = synRetries + (c.state() == State.SYN_SENT ? cfg.synLinearTimeouts() : 0);
    return retries >= count || retransmissionsTimedOut(synRetries, RttEstimator.INITIAL_RTO_NANOS);
  }

  /**
   * Linux retransmits_timed_out(): never before the first retransmission; then after the time the
   * budget's retransmissions take, or TCP_USER_TIMEOUT when set (RFC 5482).
   */
  private boolean retransmissionsTimedOut(int boundary, long rtoBaseNanos) {
    if (retries == 0) return false;
    long user = c.options.userTimeoutNanos();
    long budget = user > 0 ? user : RttEstimator.retryBudgetNanos(boundary, rtoBaseNanos);
    return now() - retransStampNanos >= budget;
  }

  /** Linux tcp_orphan_retries(): 0 means 8 while the connection still looks alive. */
  static int orphanRetries(StackConfig cfg, boolean alive) {
    return cfg.orphanRetries() == 0 && alive ? 8 : cfg.orphanRetries();
  }
}
