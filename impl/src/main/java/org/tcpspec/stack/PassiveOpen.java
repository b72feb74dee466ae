package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.plus;

import java.util.Optional;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.Transition;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.wire.FastOpenOption.Cookie;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * What a listener does with a segment that no connection with a TCB takes, in Linux's order
 * (tcp_v4_rcv, tcp_v4_do_rcv): a segment of a half-open connection goes to its request record
 * (tcp_check_req); an ACK may bring back a SYN cookie (cookie_v4_check); a SYN is answered from
 * the SYN queue or with a cookie (tcp_conn_request); anything else meets the listener's own
 * connection in LISTEN (§3.10.7.2).
 *
 * <p>The SYN queue is bounded by the backlog (min(listen()'s, somaxconn): Linux
 * inet_csk_reqsk_queue_is_full). When it is full, or always with tcp_syncookies 2, a SYN gets a
 * cookie SYN-ACK and the listener keeps nothing (RFC 4987 §3.6); with tcp_syncookies 0 it is
 * dropped, and the last quarter of tcp_max_syn_backlog stays free (for the peers Linux has seen
 * alive before; we remember none). A SYN while the accept queue is full is dropped either way.
 * A SYN answered from the queue may instead make a Fast Open child ({@link FastOpenServer}), a
 * connection with a TCB at once (RFC 7413 §4.2, Linux tcp_try_fastopen).
 */
final class PassiveOpen {
  /** Linux TCP_SYNCOOKIE_VALID: cookies are checked for two minutes after the last one sent. */
  private static final long COOKIE_VALID_NANOS = 120_000_000_000L;

  final Stack stack;
  private final SynCookies cookies;
  final FastOpenServer fastOpen;
  /** The Fast Open cookie the first SYN-ACK of the record being opened offers (none: null). */
  private Cookie synAckCookie;

  PassiveOpen(Stack stack, long secret) {
    this.stack = stack;
    this.cookies = new SynCookies(secret);
    this.fastOpen = new FastOpenServer(Long.rotateLeft(secret, 17) ^ secret * 31);
  }

  void input(Listener l, SegmentView seg) {
    HalfOpen h = l.synQueue.get(seg.srcAddrHigh(), seg.srcAddrLow(), seg.srcPort());
    if (h != null) {
      h.onSegment(seg);
      return;
    }
    Event e = l.listening.classify(seg);
    if (e == Event.RCV_SYN) {
      synArrived(l, seg);
      return;
    }
    if (e == Event.RCV_ACK && cookieReturned(l, seg)) return;
    l.listening.onArrival(seg, e);
  }

  /** ListenRcvSyn, taken by a child of its own: a request record, or a cookie and no record. */
  private void synArrived(Listener l, SegmentView seg) {
    StackConfig cfg = stack.config();
    boolean cookie = false;
    if (cfg.syncookies() == 2 || l.synQueueFull()) {
      // Linux tcp_syn_flood_action: without cookies the SYN is dropped; its sender retransmits it.
      if (cfg.syncookies() == 0) return;
      cookie = true;
    }
    if (l.acceptQueueFull()) return;
    if (!cookie && cfg.syncookies() == 0
        && cfg.maxSynBacklog() - l.synQueueLength() < (cfg.maxSynBacklog() >> 2)) {
      return;
    }
    if (cookie) {
      sendCookieSynAck(l, seg);
      return;
    }
    FastOpenServer.Decision fastOpenDecision = fastOpen.decide(l, seg, cfg);
    if (fastOpenDecision.child()) {
      stack.fastOpenChild(l, seg, fastOpenDecision.synAckCookie().orElse(null));
      return;
    }
    HalfOpen h = new HalfOpen(this, l, stack.engineFor(l.localPort(), seg.srcIp(), seg.srcPort()), seg.srcIp(),
        seg.srcPort(), false);
    l.synQueue.put(h);
    // Linux sends the cookie in the first SYN-ACK only (tcp_rtx_synack passes none).
    synAckCookie = fastOpenDecision.synAckCookie().orElse(null);
    try {
      h.open(seg);
    } finally {
      synAckCookie = null;
    }
  }

  /**
   * The SYN-ACK of tcp_conn_request with want_cookie: ISS the cookie, our MSS, and, when the peer
   * sent timestamps, its window scale, SACK-permitted and ECN in our TSval (cookie_init_timestamp);
   * without timestamps Linux offers neither window scaling nor SACK (tcp_clear_options).
   */
  private void sendCookieSynAck(Listener l, SegmentView syn) {
    StackConfig cfg = stack.config();
    long now = stack.clock().nowNanos();
    int peerMss = syn.option(TcpOption.Mss.class).map(TcpOption.Mss::mss).orElse(StackAddresses.defaultPeerMss(syn.srcIp()));
    int iss = cookies.cookie(syn.srcIp(), syn.dstIp(), syn.srcPort(), syn.dstPort(), syn.seq(),
        SynCookies.mssIndex(SynCookies.mssTable(syn.srcIp()), peerMss), now);
    Optional<TcpOption.Timestamp> ts = syn.option(TcpOption.Timestamp.class).filter(t -> cfg.timestamps());
    boolean sack = ts.isPresent() && cfg.sack() && syn.option(TcpOption.SackPermitted.class).isPresent();
    int wscale = ts.isPresent() && cfg.windowScaling()
        ? syn.option(TcpOption.WindowScale.class).map(w -> Math.min(14, w.shift())).orElse(SynCookies.NO_WSCALE)
        : SynCookies.NO_WSCALE;
    SocketOptions o = l.listening.options;
    // RFC 3168 §6.1.1: an ECN-setup SYN-ACK (Linux tcp_ecn_make_synack); the cookie keeps the
    // answer in the TSval (cookie_init_timestamp), so without timestamps the connection has none.
    boolean ecn = Handshake.acceptsEcn(syn, cfg);
    OutboundSegment s = stack.outboundSegment().reset(syn.dstIp(), syn.srcIp(), l.localPort(), syn.srcPort(),
        iss, plus(syn.seq(), 1), TcpFlags.SYN | TcpFlags.ACK | (ecn ? TcpFlags.ECE : 0),
        Math.min(synAckWindow(o, stack.localMss(syn.srcIp()), ts.isPresent()), 0xFFFF));
    int tsVal = SynCookies.timestamp(stack.clock().nowMillis(), wscale, sack, ecn);
    int ourWscale = wscale == SynCookies.NO_WSCALE ? -1 : Handshake.localWscale(cfg, o);
    s.options(Handshake.synOptions(Handshake.localMss(stack.advertisedMss(syn.srcIp()), o), sack, ts.isPresent(), tsVal,
        ts.map(TcpOption.Timestamp::tsVal).orElse(0), ourWscale));
    stack.transmit(s);
    l.lastCookieNanos = now;
    l.cookieSent = true;
  }

  /**
   * Linux cookie_v4_check: an ACK (no SYN, no RST) within two minutes of the last cookie sent,
   * whose SEG.ACK - 1 is a cookie of ours, completes a handshake nobody kept: the record is made
   * from the cookie and promoted at once. False when it is no cookie: the listener answers it.
   */
  private boolean cookieReturned(Listener l, SegmentView seg) {
    StackConfig cfg = stack.config();
    long now = stack.clock().nowNanos();
    if (cfg.syncookies() == 0 || seg.has(TcpFlags.SYN) || !l.cookieSent || now - l.lastCookieNanos > COOKIE_VALID_NANOS) {
      return false;
    }
    int mss = cookies.check(seg.srcIp(), seg.dstIp(), seg.srcPort(), seg.dstPort(), seg.ack() - 1, seg.seq() - 1,
        now);
    if (mss == 0) return false;
    // cookie_timestamp_decode: an option the host has switched off since fails the cookie.
    Optional<TcpOption.Timestamp> ts = seg.option(TcpOption.Timestamp.class);
    if (ts.isPresent()) {
      int echoed = ts.get().tsEcr();
      if (!cfg.timestamps() || (SynCookies.sack(echoed) && !cfg.sack())
          || (SynCookies.wscale(echoed) != SynCookies.NO_WSCALE && !cfg.windowScaling())) {
        return false;
      }
    }
    // Linux (tcp_v4_syn_recv_sock): the accept queue is full, the ACK is dropped.
    if (l.acceptQueueFull()) return true;
    HalfOpen h = new HalfOpen(this, l, stack.engineFor(l.localPort(), seg.srcIp(), seg.srcPort()), seg.srcIp(),
        seg.srcPort(), true);
    h.peerMss = (char) mss;
    h.open(seg);
    h.onSegment(seg);
    return true;
  }

  /** RECORD_SYN of a record made from a cookie: the SYN as the returning ACK tells it. */
  void recordCookie(HalfOpen h, SegmentView ack) {
    h.irs = ack.seq() - 1;
    h.peerWindow = (char) ack.window();
    ack.option(TcpOption.Timestamp.class).ifPresent(ts -> {
      h.agreeTimestamps(ts.tsVal());
      if (SynCookies.sack(ts.tsEcr())) h.agreeSack();
      int wscale = SynCookies.wscale(ts.tsEcr());
      if (wscale != SynCookies.NO_WSCALE) h.agreeWscale(wscale);
      // Linux cookie_ecn_ok: the cookie's ECN bit, while tcp_ecn allows ECN.
      if (SynCookies.ecn(ts.tsEcr()) && stack.config().tcpEcn() != 0) h.agreeEcn();
    });
  }

  /** CHOOSE_ISS for a record: RFC 6528, as for every connection. */
  int isn(HalfOpen h) {
    return stack.isn(new FourTuple(stack.localAddress(h.remoteAddr()), h.listener.localPort(), h.remoteAddr(), h.remotePort));
  }

  /** Whether the row for {@code e} leaves SYN-RECEIVED for a synchronized state: it needs a TCB. */
  boolean leavesHalfOpen(HalfOpen h, Event e) {
    Optional<Transition> row = TransitionTable.instance().lookup(h.state(), e, true);
    return row.isPresent() && row.get().to().isSynchronized() && row.get().to() != State.SYN_RECEIVED;
  }

  /**
   * The handshake completes: the record becomes a connection (Linux tcp_create_openreq_child) that
   * takes over its engine, and the segment's row runs there. With the accept queue full Linux
   * drops the ACK and keeps the request, whose SYN-ACK timer runs on (tcp_abort_on_overflow 0).
   */
  void promote(HalfOpen h, SegmentView seg, Event e) {
    if (h.listener.acceptQueueFull()) return;
    h.listener.synQueue.remove(h);
    Connection c = stack.promote(h);
    c.onArrival(seg, e);
  }

  /** Our SYN-ACK again: <SEQ=ISS><ACK=IRS+1><CTL=SYN,ACK> with the options agreed to. */
  void sendSynAck(HalfOpen h) {
    StackConfig cfg = stack.config();
    SocketOptions o = h.listener.listening.options;
    OutboundSegment s = stack.outboundSegment().reset(stack.localAddress(h.remoteAddr()), h.remoteAddr(), h.listener.localPort(),
        h.remotePort, h.iss, plus(h.irs, 1), TcpFlags.SYN | TcpFlags.ACK | (h.ecnOk() ? TcpFlags.ECE : 0),
        synAckWindow(h));
    int tsVal = (int) stack.clock().nowMillis();
    if (h.tsOk()) h.synAckTsvalSent(tsVal);
    s.options(Handshake.withFastOpen(Handshake.synOptions(Handshake.localMss(stack.advertisedMss(h.remoteAddr()), o),
        h.sackOk(), h.tsOk(), tsVal, h.tsRecent, h.wscaleOk() ? Handshake.localWscale(cfg, o) : -1), synAckCookie));
    stack.transmit(s);
  }

  /** <SEQ=ISS+1><ACK=IRS+1><CTL=ACK>, as Linux's request sock answers (tcp_v4_reqsk_send_ack). */
  void sendAck(HalfOpen h) {
    OutboundSegment s = segment(h, TcpFlags.ACK);
    if (h.tsOk()) s.timestamp((int) stack.clock().nowMillis(), h.tsRecent);
    stack.transmit(s);
  }

  /** ABORT of a half-open connection (the listener closes): <SEQ=ISS+1><CTL=RST,ACK>. */
  void sendAbortRst(HalfOpen h) {
    stack.transmit(segment(h, TcpFlags.RST | TcpFlags.ACK));
  }

  private OutboundSegment segment(HalfOpen h, int flags) {
    int wscale = h.wscaleOk() ? Handshake.localWscale(stack.config(), h.listener.listening.options) : 0;
    // tcp_v4_reqsk_send_ack: the request's rcv_wnd, scaled.
    int window = synAckWindow(h.listener.listening.options, stack.localMss(h.remoteAddr()), h.tsOk());
    return stack.outboundSegment().reset(stack.localAddress(h.remoteAddr()), h.remoteAddr(), h.listener.localPort(), h.remotePort,
        plus(h.iss, 1), plus(h.irs, 1), flags, Math.min(window >> wscale, 0xFFFF));
  }

  /** The window of our SYN-ACK, unscaled as in any SYN (RFC 7323 §2.2). */
  int synAckWindow(HalfOpen h) {
    return Math.min(synAckWindow(h.listener.listening.options, stack.localMss(h.remoteAddr()), h.tsOk()), 0xFFFF);
  }

  /**
   * The listener's initial window (Handshake#initialWindow, not yet clipped to 16 bits) for a
   * connection that will carry timestamps or not ({@code tsOk}), over a device of MSS {@code
   * deviceMss}.
   */
  private static int synAckWindow(SocketOptions o, int deviceMss, boolean tsOk) {
    int mss = Handshake.localMss(deviceMss, o) - (tsOk ? Handshake.TSTAMP_ALIGNED : 0);
    return Handshake.initialWindow(o.rcvBuf, mss);
  }
}
