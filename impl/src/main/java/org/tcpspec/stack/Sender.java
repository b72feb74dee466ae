package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * The sending half of a connection (gVisor's snd.go), the entry point the rest of the connection
 * calls. Split by concern into parts made once per connection: {@link SendOutput} (output of data
 * and FIN under the send window and cwnd, Nagle of RFC 9293 §3.7.4, PSH; Linux tcp_write_xmit),
 * {@link AckProcessing} (§3.10.7.4 fifth step: SND.UNA, the send window, RTT) and {@link
 * SendTimeouts} (the retransmission timer's RTO, RFC 6298 and Karn, with Linux's give-up budgets).
 * This class builds every segment the sender sends (the SYN, SYN-ACK, ACK, RST, probes, new data
 * and its {@link SegmentRun}s, retransmissions) and holds the clock reading of an output pass.
 * Loss detection and the response to it are {@link CaStateMachine}'s, which this sender asks what
 * cwnd allows and tells of every ACK; the receiver decides when an ACK is owed and the window
 * offered, {@link Probes} the zero-window and keep-alive probes.
 */
final class Sender {
  private final Connection c;
  private final Tcb tcb;
  private final CaStateMachine ca;
  /** When our first SYN went, with whatever data it carried. */
  private long synSentNanos;
  final SendOutput out;
  final AckProcessing acks;
  final SendTimeouts timeouts;
  /** When each segment in flight was first sent: the give-up clock's start (see {@link SendTimes}). */
  final SendTimes sendTimes;
  final SendChrono chrono = new SendChrono();
  /** Whether the application waits for send-buffer room (SOCK_NOSPACE). */
  final SendSpace space;
  /** Linux's skbs over the send buffer, for its truesize accounting. */
  final SendSkbs skbs;

  Sender(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
    SegmentRingPool rings = c.stack().memory().segmentRings();
    this.sendTimes = new SendTimes(rings);
    this.ca = new CaStateMachine(c, this, tcb, rings);
    this.space = new SendSpace(c, this, tcb);
    this.skbs = new SendSkbs(tcb, rings);
    this.out = new SendOutput(c, this, ca);
    this.acks = new AckProcessing(c, this, ca);
    this.timeouts = new SendTimeouts(c, this, ca);
  }

  /** The handshake settled the MSS and SACK: the loss response starts for them (initial window). */
  void negotiated() {
    ca.negotiated(tcb.sackOk);
  }

  /**
   * Rings of at most this many segments are made for tcp_wmem's max at once, at establishment:
   * with a jumbo MSS that is a few KB (65 segments of 64,948 bytes for 4 MB), cheaper than growing
   * later on the data path.
   */
  static final int RINGS_AT_ONCE = 256;

  /**
   * The send buffer can now hold {@code bytes} and will grow on to {@code bound} as cwnd does: the
   * per-segment rings make room for {@code bound} in full-sized segments now, so that they do not
   * grow one doubling at a time as the flight does. The autotuning passes the buffer's own size at
   * establishment, and tcp_wmem's max once an ACK found cwnd filled: such a connection is a bulk
   * sender whose buffer goes on growing with cwnd (tcp_sndbuf_expand) up to that max, for seconds
   * when many connections share the path, so rings sized step by step allocated while its packets
   * flowed (issue 15, bench: 2.5-30 B per packet stack to kernel with 16 connections at MTU 1500).
   * Linux bounds a socket's send memory by tcp_wmem's max; these rings take about 30 bytes per
   * segment of it (120 KB for 4 MB at an MSS of 1448), so they are made for it at establishment
   * only when that is at most {@link #RINGS_AT_ONCE} segments: otherwise with 16 connections at MTU
   * 65000 some first found cwnd filled seconds into the transfer and grew then (bench: 30,352 bytes
   * on the loop's thread after warm-up). Rings that grew come from, and go back to, the stack's
   * {@link SegmentRingPool}.
   */
  void sendBufferGrew(int bytes, int bound) {
    int mss = Math.max(1, tcb.sndMss);
    int segments = Math.max(bytes, bound) / mss + 1;
    int most = c.stack().config().wmemMax() / mss + 1;
    if (most <= RINGS_AT_ONCE) segments = Math.max(segments, most);
    ca.queue.reserve(segments);
    sendTimes.reserve(segments);
    skbs.reserve(segments + 1);
  }

  /**
   * The sending is over (TIME-WAIT, or the connection is deleted): the per-segment rings give what
   * they grew to back to the stack's {@link SegmentRingPool}, for the next connection's growth.
   * Rings that still hold a segment keep theirs.
   */
  void releaseRings() {
    ca.queue.release();
    sendTimes.release();
    skbs.release();
  }

  CaStateMachine lossResponse() {
    return ca;
  }

  CongestionControl congestionControl() {
    return ca.congestionControl();
  }

  // ---------------------------------------------------------------- what is sent and what may go

  /**
   * Our SYN has been acknowledged. A flag, not SND.UNA > ISS: that modular comparison turns false
   * again once 2^31 bytes are acknowledged, which stopped all sending after 2 GiB. Set by {@link
   * AckProcessing}.
   */
  boolean ourSynAcked;

  /** CHOOSE_ISS: a new ISS, so a SYN not acknowledged yet. */
  void issChosen() {
    ourSynAcked = false;
  }

  boolean maySendData() {
    return switch (c.state()) {
      case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> ourSynAcked || c.fastOpen.child;
      // RFC 7413 §4.2.2 (Linux tcp_passive_fastopen): a Fast Open child may send before the ACK of its SYN-ACK.
      case SYN_RECEIVED -> c.fastOpen.child;
      case CLOSED, LISTEN, SYN_SENT, FIN_WAIT_2, TIME_WAIT -> false;
    };
  }

  /**
   * Data octets sent and not acknowledged: SND.NXT - SND.UNA less the FIN, and less our SYN while
   * it is unacknowledged (a Fast Open child sends data before its SYN-ACK is acknowledged).
   */
  int sentDataBytes() {
    boolean synOut = !ourSynAcked && tcb.sndNxt != tcb.iss;
    return distance(tcb.sndUna, tcb.sndNxt) - (tcb.finSent ? 1 : 0) - (synOut ? 1 : 0);
  }

  /** Bytes written and not yet sent. */
  int unsentBytes() {
    return tcb.sendBuffer.size() - sentDataBytes();
  }

  /** Nothing to send nor to have acknowledged (Linux tcp_rtx_and_write_queues_empty). */
  boolean nothingToSend() {
    return tcb.sendBuffer.size() == 0 && tcb.inFlight() == 0;
  }

  /** The right edge of the peer's window, SND.UNA + SND.WND. */
  int windowEnd() {
    return plus(tcb.sndUna, (int) Math.min(tcb.sndWnd, Integer.MAX_VALUE));
  }

  /** Retransmissions by the RTO since the last progress (Linux icsk_retransmits). */
  int retries() {
    return timeouts.retries;
  }

  /** A timeout proved spurious: the retransmissions so far do not count toward giving up. */
  void retriesCleared() {
    timeouts.retriesCleared();
  }

  /** RTOs fired (tcpi_total_rto). */
  int totalRto() {
    return timeouts.totalRto;
  }

  /** When the last acceptable ACK arrived (Linux rcv_tstamp). */
  long lastAckNanos() {
    return acks.lastAckNanos;
  }

  // ---------------------------------------------------------------- the parts' entry points

  /** PROCESS_ACK: the fifth step of §3.10.7.4 for {@code seg} ({@link AckProcessing}). */
  void processAck(SegmentView seg) {
    acks.processAck(seg);
  }

  /** See {@link SendTimeouts#retransmitTimerExpired}: true when the connection must give up. */
  boolean retransmitTimerExpired() {
    return timeouts.retransmitTimerExpired();
  }

  /**
   * What holds a short last segment in an output (Linux's nonagle argument of tcp_write_xmit):
   * Nagle and TCP_CORK; CORK, a MSG_MORE write's own push, holds it too; ALL, TCP_NAGLE_PUSH,
   * holds nothing.
   */
  enum Push { NAGLE, CORK, ALL }

  /** Sends what the windows, Nagle and the FIN allow, then a pure ACK if one is still owed. */
  void output() {
    out.output(Push.NAGLE);
  }

  /** {@link #output()} with {@code push} deciding what a short last segment waits for. */
  void output(Push push) {
    out.output(push);
  }

  /** A tail loss probe of new data: see {@link SendOutput#sendOneSegment}. */
  boolean sendOneSegment() {
    return out.sendOneSegment();
  }

  /** Linux tcp_write_wakeup: see {@link SendOutput#sendHeldData}. */
  boolean sendHeldData() {
    return out.sendHeldData();
  }

  /** Data was written ({@code more}: with MSG_MORE): see {@link SendOutput#written}. */
  void written(int unsentBefore, boolean more) {
    out.written(unsentBefore, more);
  }

  /** What was written so far ends a record (send with MSG_EOR): no segment will cross its end. */
  void endRecord() {
    out.endRecord();
  }

  /**
   * The SYN-ACK left some of our SYN's data unacknowledged. Linux tcp_send_syn_data queued that
   * data as an skb of its own (ACK and PSH) beside the SYN, sent with it; tcp_rcv_fastopen_synack
   * marks it lost (tcp_mark_skb_lost) and retransmits it (tcp_non_congestion_loss_retransmit),
   * which tcpi_retrans and tcpi_total_retrans count. It keeps the SYN's send time until then.
   */
  void synDataNotAcked() {
    ca.synDataLost(tcb.sndNxt, synSentNanos);
    out.synDataNotAcked();
  }

  /**
   * Path MTU discovery lowered SND.MSS (Linux tcp_simple_retransmit after tcp_sync_mss): what was
   * sent larger goes again at once ({@link NonCongestionLoss#simpleRetransmit}). In SYN-SENT only a
   * Fast Open SYN with data has anything to resend: Linux marks the whole queue lost (mss -1, so the
   * SYN whose data did not fit goes) and tcp_xmit_retransmit_queue sends the SYN alone, without the
   * data (no window for it yet) and without the Fast Open option (tcp_send_syn_data cleared it for
   * every SYN after the first), as the RTO would have.
   */
  void mtuReduced() {
    if (ourSynAcked) {
      ca.simpleRetransmit(currentMss());
    } else if (c.state() == State.SYN_SENT && c.fastOpen.synData > 0) {
      sendSyn(false);
      acks.stopTiming(); // Karn: an ACK of a retransmitted SYN is no sample.
      ca.armTimer(XmitTimer.RETRANSMISSION, tcb.rtt.rtoNanos());
    }
  }

  // ---------------------------------------------------------------- the clock

  /**
   * The clock's reading for the segments of one {@link SendOutput#output} pass, or {@link #NO_PASS}
   * outside one: Linux reads the clock once per tcp_write_xmit (tcp_mstamp_refresh into
   * tcp_clock_cache), and each skb of the pass takes its send time and TSval from that reading. A
   * read per segment was 14-16 % of the writing thread's samples over TUN at MTU 1500 (perf,
   * `tcpspec bench`): on this VM the vDSO's clock_gettime costs about as much as building the
   * segment.
   */
  private long passNanos = NO_PASS;

  private static final long NO_PASS = Long.MIN_VALUE;

  /** A pass begins: tcp_write_xmit's tcp_mstamp_refresh. */
  void passBegins() {
    passNanos = c.clock.nowNanos();
  }

  void passEnded() {
    passNanos = NO_PASS;
  }

  long now() {
    return passNanos != NO_PASS ? passNanos : c.clock.nowNanos();
  }

  long nowMillis() {
    return passNanos != NO_PASS ? passNanos / 1_000_000L : c.clock.nowMillis();
  }

  // ---------------------------------------------------------------- building segments

  /** A segment without new data: {@link #segment(int, int, int, boolean)}. */
  private OutboundSegment segment(int seq, int flags) {
    return segment(seq, flags, 0, false);
  }

  /**
   * Starts the stack's reusable outbound segment, which will carry {@code payloadLength} bytes,
   * {@code newData} when they go for the first time; the caller adds options and payload, then
   * emits it.
   */
  private OutboundSegment segment(int seq, int flags, int payloadLength, boolean newData) {
    FourTuple t = c.tuple;
    boolean ack = (flags & TcpFlags.ACK) != 0;
    int field = c.receiver.windowField((flags & TcpFlags.SYN) != 0);
    if (ack) c.receiver.ackSent();
    boolean ipv6 = !t.remoteAddr().isIpv4();
    // RFC 9293 §3.8.5: URG and the urgent pointer on every segment before SND.UP (Linux tcp_transmit_skb).
    int urgentPointer = c.urgent.pointerFor(seq);
    // RFC 3168 §6.1.3: ECE on every segment after a CE mark until the peer's CWR (Linux tcp_ecn_send).
    if (tcb.ecnDemandCwr && (flags & TcpFlags.SYN) == 0) flags |= TcpFlags.ECE;
    // RFC 3168 §6.1.2, §6.1.4, §6.1.5: ECT(0) on new data only (Linux tcp_ecn_send); not on a SYN.
    if (tcb.ecnOk && (flags & TcpFlags.SYN) == 0) {
      boolean ect = SocketOptions.ect(payloadLength, newData);
      c.options.ecnTransmit(ect);
      // RFC 3168 §6.1.2: after a window reduction, CWR on the first new data only, never on a
      // retransmission or a pure ACK (Linux tcp_ecn_send takes TCP_ECN_QUEUE_CWR there).
      if (ect && tcb.ecnQueueCwr) {
        tcb.ecnQueueCwr = false;
        flags |= TcpFlags.CWR;
      }
    }
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

  /**
   * A segment of {@link #withOptions} carrying {@code len} bytes of the send buffer from {@code
   * from}, {@code newData} when they go for the first time.
   */
  private OutboundSegment dataSegment(int seq, int flags, int from, int len, boolean newData) {
    return withOptions(segment(seq, flags, len, newData)).payloadFrom(tcb.sendBuffer, from, len);
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
   * no CWR queued (only the first new segment carries it; the pass sends one at a time), no urgent
   * pointer (it differs per segment).
   */
  private boolean runsAllowed() {
    return c.stack().sinkTakesRuns() && c.receiver.sackOptionBytes() == 0 && !tcb.ecnDemandCwr
        && !tcb.ecnQueueCwr && !c.urgent.sendingUrgent();
  }

  /** A tcp_write_xmit pass begins sending: it gathers runs if {@link #runsAllowed}. */
  void runsBegin() {
    runs = runsAllowed();
  }

  /** The pass ended (after {@link #flushRun}, or by an exception: what is pending is dropped). */
  void runsEnded() {
    runs = false;
    run.clear();
  }

  /** Hands the pending run over as one segment, under the pass's clock reading (its timestamps). */
  void flushRun() {
    if (run.isEmpty()) return;
    OutboundSegment s = dataSegment(run.seq(), run.flags(), run.from(), run.length(), true);
    if (run.length() > run.segmentSize()) s.segmentSize(run.segmentSize());
    run.clear();
    emit(s);
  }

  /**
   * New data [seq, seq + len) with {@code flags}, {@code from} bytes into the send buffer: into the
   * pass's run when it gathers and the segment carries no FIN, else one segment of its own after
   * the pending run.
   */
  void sendData(int seq, int from, int len, int flags, int mss) {
    c.txTimestamps.transmitted(seq, len, now());
    if (runs && (flags & TcpFlags.FIN) == 0) {
      if (!run.takes(seq, len, mss)) flushRun();
      run.add(seq, from, len, flags, mss);
      if (run.closed()) flushRun();
    } else {
      flushRun();
      emit(dataSegment(seq, flags, from, len, true));
    }
  }

  /** <SEQ=seq><CTL=FIN,ACK>, no data, after the pending run. */
  void sendFin(int seq) {
    flushRun();
    emit(withOptions(segment(seq, TcpFlags.FIN | TcpFlags.ACK)));
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
    long nowMillis = c.clock.nowMillis();
    OutboundSegment syn = segment(tcb.iss, flags).options(Handshake.synOptions(c, withAck, nowMillis));
    if (!withAck && tcb.sndNxt == tcb.iss) {
      // Linux tcp_connect: retrans_stamp, the first SYN's time, bounds the TSecr a SYN-ACK may echo.
      tcb.synTimestamped = c.stack().config().timestamps();
      tcb.synTsVal = (int) nowMillis;
    }
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
      acks.startTiming(tcb.iss);
      synSentNanos = now();
      sendTimes.sent(tcb.iss, synSentNanos);
    }
    out.pushedTo(tcb.sndNxt);
    tcb.timers.armIfIdle(TimerKind.RETRANSMIT, now() + tcb.rtt.rtoNanos());
  }

  /**
   * A half-open connection was promoted: its SYN-ACK went out at {@code sentNanos} as {@link
   * #sendSyn} would have recorded it, timed for the first RTT sample unless it was sent again
   * (Karn) or never kept (a cookie); {@code windowField} is the window it offered.
   */
  void synAckSent(long sentNanos, boolean timed, int windowField) {
    sendTimes.sent(tcb.iss, sentNanos);
    out.pushedTo(tcb.sndNxt);
    c.receiver.synWindowAdvertised(windowField);
    if (timed) acks.timingFrom(plus(tcb.iss, 1), sentNanos);
  }

  /** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> now. */
  void sendAckNow() {
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
    c.txTimestamps.transmitted(seq, n, now());
    emit(dataSegment(seq, flags, offset, n, false).repeated());
    acks.stopTiming(); // Karn: never time a retransmitted segment.
  }
}
