package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.wire.IpAddress;
import org.tcpspec.fsm.Classifier;
import org.tcpspec.fsm.Effect;
import org.tcpspec.fsm.EffectHandler;
import org.tcpspec.fsm.Engine;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.Outcome;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.TcbView;
import org.tcpspec.tcb.RttEstimator;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.trace.TcbValues;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * A passive connection in SYN-RECEIVED as a listener keeps it: a request record of a few words
 * (Linux's request_sock, RFC 4987 §3.1's reduced state) with its engine, and no buffers, no
 * sender, no timers list. It takes PASSIVE_OPEN and ListenRcvSyn, then the SYN-RECEIVED rows that
 * keep it half-open or end it (out-of-window segments, RST, SYN, timeout, abort); a row that leads
 * to a synchronized state (SynReceivedRcvAck, SynReceivedRcvFin) first has the listener promote it
 * into a {@link Connection} that takes over the engine, so the trace goes on under the same name.
 *
 * <p>A record made from a returning SYN cookie ({@link PassiveOpen}) takes the same two rows with
 * the ACK that carries the cookie: RECORD_SYN and CHOOSE_ISS read the SYN back from the cookie, and
 * SEND_SYN_ACK sends nothing, since the SYN-ACK went out, statelessly, when the SYN came.
 */
final class HalfOpen implements TcbView, EffectHandler {
  private static final int SACK_OK = 1;
  private static final int TS_OK = 2;
  private static final int WSCALE_OK = 4;
  private static final int FROM_COOKIE = 8;
  private static final int OOW_ACK_SENT = 16;
  private static final int SYN_ACK_TSVAL_SENT = 32;
  private static final int ECN_OK = 64;

  final Listener listener;
  final Engine engine;
  /** The peer's address as {@link IpAddress}'s two halves: a record holds primitives only. */
  final long remoteAddrHigh;
  final long remoteAddrLow;
  final int remotePort;
  private final PassiveOpen passiveOpen;
  int iss;
  int irs;
  int tsRecent;
  /** The SYN's window field (never scaled, RFC 7323 §2.2) and its MSS (536 when absent). */
  char peerWindow;
  char peerMss;
  byte sndWscale;
  private byte flags;
  /** SYN-ACKs sent again on the timer (Linux req->num_timeout). */
  byte synAckRetransmits;
  long synAckSentNanos;
  long deadlineNanos = Long.MAX_VALUE;
  private long lastOowAckNanos;
  /** The TSvals of our first and latest SYN-ACK (Linux treq->snt_tsval_first, snt_tsval_last). */
  private int synAckTsvalFirst;
  private int synAckTsvalLast;

  HalfOpen(PassiveOpen passiveOpen, Listener listener, Engine engine, IpAddress remoteAddr, int remotePort,
      boolean fromCookie) {
    this.passiveOpen = passiveOpen;
    this.listener = listener;
    this.engine = engine;
    this.remoteAddrHigh = remoteAddr.high();
    this.remoteAddrLow = remoteAddr.low();
    this.remotePort = remotePort;
    if (fromCookie) flags |= FROM_COOKIE;
  }

  /** The peer's address (allocates: for the segments and the connection the record makes). */
  IpAddress remoteAddr() {
    return new IpAddress(remoteAddrHigh, remoteAddrLow);
  }

  State state() {
    return engine.state();
  }

  boolean sackOk() {
    return (flags & SACK_OK) != 0;
  }

  boolean tsOk() {
    return (flags & TS_OK) != 0;
  }

  boolean wscaleOk() {
    return (flags & WSCALE_OK) != 0;
  }

  /** ECN negotiated: the SYN asked for it and the listener's tcp_ecn allows it (RFC 3168 §6.1.1). */
  boolean ecnOk() {
    return (flags & ECN_OK) != 0;
  }

  /** Made from a returning SYN cookie: no SYN-ACK of ours was kept, none can be timed. */
  boolean fromCookie() {
    return (flags & FROM_COOKIE) != 0;
  }

  /** The SYN arrived (or its cookie returned): PASSIVE_OPEN, then ListenRcvSyn with it. */
  void open(SegmentView seg) {
    engine.fire(Event.PASSIVE_OPEN, this);
    fire(Event.RCV_SYN, seg);
  }

  /** §3.10.7.4 for a segment of this connection (Linux tcp_check_req). */
  void onSegment(SegmentView seg) {
    Event e = Classifier.classify(state(), seg, this);
    if (passiveOpen.leavesHalfOpen(this, e)) {
      passiveOpen.promote(this, seg, e);
      return;
    }
    fire(e, seg);
  }

  /** ABORT: the listener closes (Linux resets what it has not accepted). */
  void abort() {
    fire(Event.ABORT, null);
  }

  /** The SYN-ACK timer: send it again with the backoff, or give up (Linux reqsk_timer_handler). */
  void onTimer(long nowNanos) {
    if (synAckRetransmits >= passiveOpen.stack.config().synackRetries()) {
      fire(Event.TIMEOUT, null);
      return;
    }
    synAckRetransmits++;
    sendSynAck();
    // Linux 6.18's tcp_reqsk_timeout caps a request's backoff at TCP_RTO_MAX, not at the listener's
    // tcp_rto_max: only a Fast Open child, a full socket, follows the listener's TCP_RTO_MAX_MS or
    // tcp_rto_max_ms (6.19's "tcp: Apply max RTO to non-TFO SYN+ACK" extends it to requests; the
    // selftest tcp_rto_synack_rto_max expects that and fails on 6.18 at its second part).
    deadline(nowNanos + Math.min(RttEstimator.INITIAL_RTO_NANOS << synAckRetransmits, RttEstimator.MAX_RTO_NANOS));
  }

  private void fire(Event e, SegmentView seg) {
    Outcome o = engine.fire(e, seg, this);
    if (o instanceof Outcome.Reacted r) passiveOpen.stack.unreachable(this, e, r.reaction());
  }

  private void deadline(long nanos) {
    deadlineNanos = nanos;
    listener.synQueue.deadlineMoved(this);
  }

  // ---------------------------------------------------------------- effects

  @Override
  public void run(Effect effect, Event event, SegmentView segment) {
    switch (effect) {
      case RECORD_SYN -> {
        if (fromCookie()) passiveOpen.recordCookie(this, segment);
        else recordSyn(segment);
      }
      case CHOOSE_ISS -> iss = fromCookie() ? segment.ack() - 1 : passiveOpen.isn(this);
      case SEND_SYN_ACK -> {
        if (fromCookie()) return;
        long now = passiveOpen.stack.clock().nowNanos();
        synAckSentNanos = now;
        sendSynAck();
        deadline(now + RttEstimator.INITIAL_RTO_NANOS);
      }
      case RESEND_SYN_ACK -> {
        if (outOfWindowAnswerAllowed(segment)) sendSynAck();
      }
      case SEND_OUT_OF_WINDOW_ACK -> {
        if (outOfWindowAnswerAllowed(segment)) passiveOpen.sendAck(this);
      }
      case CHALLENGE_ACK -> {
        if (!oowRateLimited() && passiveOpen.stack.challengeAckAllowed()) passiveOpen.sendAck(this);
      }
      case SEND_RST_REPLY -> passiveOpen.stack.replyRst(segment);
      case SEND_RST_ABORT -> passiveOpen.sendAbortRst(this);
      case DELETE_TCB -> listener.synQueue.remove(this);
      case PROCESS_ACK, RECEIVE_TEXT, RECEIVE_FIN, SEND_ACK, SEND_SYN, REOPEN, QUEUE_DATA, QUEUE_FIN,
          SIGNAL_ESTABLISHED, SIGNAL_RESET, SIGNAL_TIMEOUT, START_FIN_WAIT_2_TIMER, START_TIME_WAIT ->
          throw new IllegalStateException("a half-open connection has no TCB for " + effect
              + "; rows that need one run on the connection it is promoted to");
    }
  }

  /** RECORD_SYN: IRS, the SYN's window, and the options we agree to (as Handshake.recordSyn). */
  private void recordSyn(SegmentView syn) {
    StackConfig cfg = passiveOpen.stack.config();
    irs = syn.seq();
    peerWindow = (char) syn.window();
    peerMss = (char) syn.option(TcpOption.Mss.class).map(TcpOption.Mss::mss).orElse(StackAddresses.defaultPeerMss(remoteAddr()))
        .intValue();
    // RFC 7323 §2.3: a shift above 14 is used as 14.
    syn.option(TcpOption.WindowScale.class).filter(ws -> cfg.windowScaling())
        .ifPresent(ws -> agreeWscale(Math.min(14, ws.shift())));
    syn.option(TcpOption.Timestamp.class).filter(ts -> cfg.timestamps()).ifPresent(ts -> agreeTimestamps(ts.tsVal()));
    if (cfg.sack() && syn.option(TcpOption.SackPermitted.class).isPresent()) agreeSack();
    if (Handshake.acceptsEcn(syn, cfg)) agreeEcn();
  }

  void agreeEcn() {
    flags |= ECN_OK;
  }

  void agreeWscale(int shift) {
    flags |= WSCALE_OK;
    sndWscale = (byte) shift;
  }

  void agreeTimestamps(int tsVal) {
    flags |= TS_OK;
    tsRecent = tsVal;
  }

  void agreeSack() {
    flags |= SACK_OK;
  }

  private void sendSynAck() {
    passiveOpen.sendSynAck(this);
  }

  /**
   * Linux tcp_check_req (tcp_oow_rate_limited): out-of-window answers are rate-limited per request
   * unless the segment occupies sequence space without a SYN (text or a FIN).
   */
  private boolean outOfWindowAnswerAllowed(SegmentView segment) {
    return (segment.segLen() > 0 && !segment.has(TcpFlags.SYN)) || !oowRateLimited();
  }

  private boolean oowRateLimited() {
    long now = passiveOpen.stack.clock().nowNanos();
    boolean sent = (flags & OOW_ACK_SENT) != 0;
    if (sent && now - lastOowAckNanos < passiveOpen.stack.config().invalidRatelimitNanos()) return true;
    flags |= OOW_ACK_SENT;
    lastOowAckNanos = now;
    return false;
  }

  /** SND.WND is the SYN's window, never scaled (RFC 7323 §2.2), as the promoted TCB starts with it. */
  @Override
  public TcbValues tcbValues() {
    return new TcbValues(iss, irs, sndUna(), sndNxt(), rcvNxt(), peerWindow, sndWscale);
  }

  // ---------------------------------------------------------------- TcbView: SND.UNA = ISS, SND.NXT = ISS + 1

  @Override
  public int iss() {
    return iss;
  }

  @Override
  public int irs() {
    return irs;
  }

  @Override
  public int sndUna() {
    return iss;
  }

  @Override
  public int sndNxt() {
    return plus(iss, 1);
  }

  @Override
  public int rcvNxt() {
    return plus(irs, 1);
  }

  /** RCV.WND: what the connection's receive buffer will hold, the listener's (as for a TCB). */
  @Override
  public long rcvWnd() {
    return listener.listening.options.rcvBuf;
  }

  @Override
  public long maxSndWnd() {
    return 0;
  }

  @Override
  public boolean finSent() {
    return false;
  }

  /**
   * PAWS (RFC 7323 §5.3; a TS.Recent of 0 from the SYN lets any TSval pass, Linux tcp_check_req's
   * tcp_paws_reject), and since Linux 6.14 (tcp_check_req, "tcp: be less liberal in TSEcr
   * received while in SYN_RECV state") a TSecr that echoes none of the TSvals our SYN-ACKs carried:
   * both make the segment unacceptable, answered with an ACK and dropped (TcpExtTSEcrRejected). A
   * TSecr of 0 says nothing (RFC 7323 §3.2). Linux also drops a RST with such a TSecr; the
   * classifier takes RSTs before this check, so a RST here is judged by its sequence number only.
   */
  @Override
  public boolean pawsRejects(SegmentView seg) {
    if (!tsOk() || seg.has(TcpFlags.RST) || !seg.hasTimestamp()) return false;
    return !Tcb.tsValPasses(seg.tsVal(), tsRecent) || tsEcrRejected(seg.tsEcr());
  }

  private boolean tsEcrRejected(int tsEcr) {
    if (tsEcr == 0 || (flags & SYN_ACK_TSVAL_SENT) == 0) return false;
    // Linux between(): tsEcr in [first, last], modulo 2^32.
    return Integer.compareUnsigned(tsEcr - synAckTsvalFirst, synAckTsvalLast - synAckTsvalFirst) > 0;
  }

  /** Remembers the TSval a SYN-ACK of ours carried (Linux tcp_synack_options). */
  void synAckTsvalSent(int tsVal) {
    if ((flags & SYN_ACK_TSVAL_SENT) == 0) {
      flags |= SYN_ACK_TSVAL_SENT;
      synAckTsvalFirst = tsVal;
    }
    synAckTsvalLast = tsVal;
  }

  @Override
  public boolean reopenable() {
    return false;
  }

  @Override
  public String toString() {
    return FourTuple.endpoint(remoteAddr(), remotePort) + " -> :" + listener.localPort() + " " + state().rfcName();
  }
}
