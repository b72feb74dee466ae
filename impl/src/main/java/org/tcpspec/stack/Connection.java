package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.plus;

import java.util.Optional;
import org.tcpspec.fsm.Classifier;
import org.tcpspec.fsm.Effect;
import org.tcpspec.fsm.EffectHandler;
import org.tcpspec.fsm.Engine;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.Outcome;
import org.tcpspec.fsm.Reaction;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;
import org.tcpspec.time.Clock;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * One connection: its engine (the state), its TCB, and the effects of the table's rows. Inputs are
 * user calls, segments and timer ticks; every state change goes through {@link Engine#fire}. The
 * sending half lives in {@link Sender}, the option negotiation in {@link Handshake}.
 */
public final class Connection implements EffectHandler {
  /** Linux: TCP_DELACK_MIN, 40 ms; RFC 9293 §3.8.6.3 allows at most 0.5 s (Linux max 200 ms). */
  static final long DELAYED_ACK_NANOS = 40_000_000L;
  /** Linux: TCP_TIMEWAIT_LEN 60 s (2MSL with MSL = 30 s). */
  static final long TIME_WAIT_NANOS = 60_000_000_000L;
  /** Linux: TCP_MAX_QUICKACKS, ACK every segment at first so the peer's slow start is not slowed. */
  private static final int QUICK_ACKS = 16;
  /** values() clones its array on every call. */
  private static final TimerKind[] TIMER_KINDS = TimerKind.values();

  final FourTuple tuple;
  final Engine engine;
  /** Replaced, with the sender and the options, only when TIME-WAIT is reopened (REOPEN). */
  Tcb tcb;
  SocketOptions options;
  final Clock clock;
  Sender sender;
  private final IsnGenerator isn;
  private final Stack stack;
  /** The listener this connection was born from, or null for active opens (internal only). */
  Listener parent;

  private ConnectionError error;
  private boolean established;
  private boolean peerFin;
  /** close() was called: nobody will read or write any more (Linux "orphan"). */
  boolean orphaned;
  boolean deleted;

  /** The segment being processed while a row's effects run (null for user calls and timers). */
  private SegmentView current;
  private final ConnectionView view = new ConnectionView(this);
  private boolean oowAckSent;
  private long lastOowAckNanos;
  private byte[] pendingData;
  private int pendingOff;
  private int pendingLen;
  private int pendingAccepted;

  private int quickAcks = QUICK_ACKS;
  private long bytesSinceAck;
  private int rcvMss = Tcb.DEFAULT_MSS;

  /** A connection whose state {@code engine} holds (new, or taken over from a half-open record). */
  Connection(FourTuple tuple, SocketOptions options, Clock clock, IsnGenerator isn, Stack stack, Listener parent,
      Engine engine) {
    this.tuple = tuple;
    this.options = options;
    this.clock = clock;
    this.isn = isn;
    this.stack = stack;
    this.parent = parent;
    this.engine = engine;
    this.tcb = new Tcb(options.sndBuf, options.rcvBuf);
    this.sender = new Sender(this);
  }

  public State state() {
    return engine.state();
  }

  public FourTuple tuple() {
    return tuple;
  }

  public Optional<ConnectionError> error() {
    return Optional.ofNullable(error);
  }

  /** Clears and returns the pending error (SO_ERROR semantics). */
  public Optional<ConnectionError> takeError() {
    Optional<ConnectionError> e = error();
    error = null;
    return e;
  }

  public boolean established() {
    return established;
  }

  /** The peer's FIN arrived: after the readable bytes, reads return end of stream. */
  public boolean peerFinished() {
    return peerFin;
  }

  public Tcb tcb() {
    return tcb;
  }

  /** The socket options this connection runs with (shared with its socket). */
  public SocketOptions options() {
    return options;
  }

  /** The congestion window in bytes. */
  public long cwnd() {
    return sender.congestionControl().cwnd();
  }

  /** Retransmissions of the current head since the last progress. */
  public int retransmits() {
    return sender.retries();
  }

  // ---------------------------------------------------------------- inputs

  /** The arrival kind of {@code seg} in this connection's state (the classifier's decision). */
  Event classify(SegmentView seg) {
    return Classifier.classify(state(), seg, view);
  }

  void onSegment(SegmentView seg) {
    onArrival(seg, classify(seg));
  }

  /** Fires the arrival {@code e} that {@link #classify} made of {@code seg}. */
  void onArrival(SegmentView seg, Event e) {
    boolean acceptable = e != Event.RCV_UNACCEPTABLE && e != Event.RCV_RETRANSMITTED_SYN;
    if (acceptable && state().isSynchronized()) updateTsRecent(seg);
    current = seg;
    Outcome o = engine.fire(e, seg, this);
    current = null;
    if (state().isSynchronized()) sender.keepaliveActivity();
    afterEvent();
    if (o instanceof Outcome.Reacted r) stack.unreachable(this, e, r.reaction());
  }

  /** Fires a user call; the documented reaction when the state has no row for it. */
  Optional<Reaction> user(Event call) {
    Outcome o = engine.fire(call, this);
    afterEvent();
    return switch (o) {
      case Outcome.Applied a -> Optional.empty();
      case Outcome.Reacted r -> Optional.of(r.reaction());
    };
  }

  /** Queues user data: how many bytes the send buffer took, or -1 when the state refuses SEND. */
  int write(byte[] data, int off, int len) {
    if (TransitionTable.instance().lookup(state(), Event.SEND, engine.passive()).isEmpty()) return -1;
    if (len == 0 || tcb.sendBuffer.free() == 0) return 0;
    pendingData = data;
    pendingOff = off;
    pendingLen = len;
    pendingAccepted = 0;
    engine.fire(Event.SEND, this);
    pendingData = null;
    afterEvent();
    return pendingAccepted;
  }

  /** Reads received bytes; opens the window toward the peer when reading made enough room. */
  int read(byte[] dst, int off, int len, boolean consume) {
    int n = tcb.receiveBuffer.read(dst, off, len, consume);
    if (consume && n > 0 && state().isSynchronized() && !peerFin) {
      // RFC 9293 §3.8.6.2.2 receiver SWS avoidance: announce only a window opened by at least
      // min(buf/2, MSS). Linux (__tcp_cleanup_rbuf) also waits until the new window is at least
      // twice what is left of the one last offered, and sends none after the peer's FIN; so a
      // read from a buffer the window field could not show full sends no ACK.
      int left = sender.advertisedWindowLeft();
      int offer = sender.advertisableWindow();
      long clamp = Math.min(tcb.receiveBuffer.capacity(), 0xFFFFL << tcb.rcvWscale);
      boolean opened = offer - left >= Math.min(tcb.receiveBuffer.capacity() / 2, rcvMss);
      boolean doubled = 2L * left <= clamp && offer >= 2L * left;
      if (opened && doubled) {
        sender.ackNow = true;
        afterEvent();
      }
    }
    return n;
  }

  void onTimers(long now) {
    for (TimerKind k : TIMER_KINDS) {
      if (deleted || !tcb.timers.due(k, now)) continue;
      tcb.timers.cancel(k);
      switch (k) {
        case TIME_WAIT, FIN_WAIT_2 -> timeout();
        case RETRANSMIT -> {
          if (sender.retransmitTimerExpired()) timeout();
        }
        case DELAYED_ACK -> {
          sender.ackNow = true;
          // Linux (tcp_delack_timer_handler): a delayed ACK that had to fire ends pingpong mode.
          options.pingpong = false;
        }
        case PERSIST -> {
          if (sender.persistTimerExpired()) timeout();
        }
        case KEEPALIVE -> {
          if (sender.keepaliveTimerExpired()) timeout();
        }
      }
      afterEvent();
    }
  }

  private void timeout() {
    Outcome o = engine.fire(Event.TIMEOUT, this);
    if (o instanceof Outcome.Reacted r) stack.unreachable(this, Event.TIMEOUT, r.reaction());
  }

  private void afterEvent() {
    if (!deleted) sender.output();
  }

  // ---------------------------------------------------------------- effects of the table's rows

  @Override
  public void run(Effect effect) {
    switch (effect) {
      case CHOOSE_ISS -> {
        tcb.iss = isn.isn(tuple);
        tcb.sndUna = tcb.iss;
        tcb.sndNxt = tcb.iss;
        sender.issChosen();
      }
      case REOPEN -> reopen();
      case SEND_SYN -> sender.sendSyn(false);
      case RECORD_SYN -> Handshake.recordSyn(this, current);
      case SEND_SYN_ACK -> sender.sendSyn(true);
      case PROCESS_ACK -> sender.processAck(current);
      case RECEIVE_TEXT -> receiveText(current);
      case RECEIVE_FIN -> receiveFin(current);
      case SEND_ACK -> sender.sendAck();
      case SEND_OUT_OF_WINDOW_ACK -> {
        if (outOfWindowAnswerAllowed(current)) sender.sendAck();
      }
      case RESEND_SYN_ACK -> {
        if (outOfWindowAnswerAllowed(current)) sender.sendSyn(true);
      }
      // RFC 5961 §7 asks for a rate limit. Linux (tcp_send_challenge_ack): first the
      // per-connection limit shared with the out-of-window ACKs, then the host-wide one.
      case CHALLENGE_ACK -> {
        if (!oowRateLimited() && stack.challengeAckAllowed()) sender.sendAck();
      }
      case SEND_RST_REPLY -> stack.replyRst(current);
      case SEND_RST_ABORT -> sender.sendAbortRst();
      case QUEUE_DATA -> pendingAccepted = tcb.sendBuffer.write(pendingData, pendingOff, pendingLen);
      case QUEUE_FIN -> tcb.finQueued = true;
      case SIGNAL_ESTABLISHED -> {
        established = true;
        tcb.rtt.establishedWithoutSample();
        sender.keepaliveActivity();
        if (parent != null) parent.established(this);
      }
      case SIGNAL_RESET -> error = established ? ConnectionError.RESET : ConnectionError.REFUSED;
      case SIGNAL_TIMEOUT -> error = ConnectionError.TIMED_OUT;
      case START_FIN_WAIT_2_TIMER -> armFinWait2Timer();
      case START_TIME_WAIT -> {
        tcb.timers.cancelAll();
        tcb.timers.arm(TimerKind.TIME_WAIT, clock.nowNanos() + TIME_WAIT_NANOS);
      }
      case DELETE_TCB -> {
        tcb.timers.cancelAll();
        tcb.sendBuffer.clear();
        deleted = true;
        stack.forget(this);
      }
    }
  }

  /**
   * REOPEN: the new incarnation gets a fresh TCB, sender and state, the listener's options, and
   * the listener as parent (so accept() returns it). §3.6.1 MAY-2 (1): its ISS is larger than any
   * sequence number the old one used. Linux: tw_snd_nxt + 65535 + 2, never 0.
   */
  private void reopen() {
    Listener l = stack.listenerFor(tuple.localPort());
    int iss = plus(tcb.sndNxt, 65537);
    options = l.listening.options.copy();
    tcb = new Tcb(options.sndBuf, options.rcvBuf);
    sender = new Sender(this);
    parent = l;
    l.adopt(this);
    error = null;
    established = false;
    peerFin = false;
    orphaned = false;
    oowAckSent = false;
    quickAcks = QUICK_ACKS;
    bytesSinceAck = 0;
    rcvMss = Tcb.DEFAULT_MSS;
    tcb.iss = iss == 0 ? 1 : iss;
    tcb.sndUna = tcb.iss;
    tcb.sndNxt = tcb.iss;
  }

  /** §3.10.7.4 seventh step: take in-window text, ACK as RFC 1122 §4.2.3.2 and RFC 5681 §4.2 say. */
  private void receiveText(SegmentView seg) {
    int len = seg.payloadLength();
    if (len == 0) return;
    int dataSeq = plus(seg.seq(), seg.has(TcpFlags.SYN) ? 1 : 0);
    long start = tcb.receiveBuffer.nextOffset() + distance(tcb.rcvNxt, dataSeq);
    boolean hadHole = tcb.receiveBuffer.hasOutOfOrder();
    boolean inOrder = le(dataSeq, tcb.rcvNxt);
    long advanced = tcb.receiveBuffer.accept(start, seg, 0, len);
    tcb.rcvNxt = plus(tcb.rcvNxt, advanced);
    rcvMss = Math.max(rcvMss, Math.min(len, stack.config().localMss()));
    if (!inOrder || hadHole || advanced < len) {
      // Out of order, filling a hole, or (partly) duplicate: ACK at once (RFC 5681 §4.2).
      sender.ackNow = true;
      return;
    }
    bytesSinceAck += advanced;
    if (quickAcks > 0 && !options.pingpong) {
      quickAcks--;
      sender.ackNow = true;
    } else if (bytesSinceAck >= 2L * rcvMss) {
      // RFC 9293 §3.8.6.3 (SHLD-19): ACK at least every second full-sized segment.
      sender.ackNow = true;
    } else {
      tcb.timers.armIfIdle(TimerKind.DELAYED_ACK, clock.nowNanos() + DELAYED_ACK_NANOS);
    }
  }

  /** §3.10.7.4 eighth step: the FIN takes one sequence number; ACK it at once. */
  private void receiveFin(SegmentView seg) {
    int finSeq = plus(seg.seq(), seg.payloadLength() + (seg.has(TcpFlags.SYN) ? 1 : 0));
    if (finSeq == tcb.rcvNxt) {
      tcb.rcvNxt = plus(tcb.rcvNxt, 1);
      tcb.receiveBuffer.skipControl();
    }
    peerFin = true;
    sender.ackNow = true;
  }

  /**
   * The FIN-WAIT-2 timer, armed here only: by the row into FIN-WAIT-2, and by close() of a
   * connection already there. Linux (tcp_close, tcp_rcv_state_process): only an orphaned socket
   * is bounded by tcp_fin_timeout; after shutdown(SHUT_WR) the application may still read, so
   * FIN-WAIT-2 lasts as long as the peer wants. RFC 9293 §3.10.7.4 leaves FIN-WAIT-2 unbounded.
   */
  void armFinWait2Timer() {
    if (orphaned) tcb.timers.armIfIdle(TimerKind.FIN_WAIT_2, clock.nowNanos() + stack.config().finTimeoutNanos());
  }

  /** See {@link Stack#quickAck}: the delayed ACK goes now when nothing is left unread. */
  void quickAck() {
    boolean ackState = state() == State.ESTABLISHED || state() == State.CLOSE_WAIT;
    if (ackState && tcb.timers.armed(TimerKind.DELAYED_ACK) && tcb.receiveBuffer.readable() == 0) {
      sender.ackNow = true;
      afterEvent();
    }
  }

  /**
   * Linux (tcp_oow_rate_limited): the answer to an unacceptable segment without data is
   * rate-limited; one with data is always answered ("not likely part of an ACK loop").
   */
  private boolean outOfWindowAnswerAllowed(SegmentView seg) {
    return seg.payloadLength() > 0 || !oowRateLimited();
  }

  /**
   * True when an out-of-window or challenge ACK went out less than tcp_invalid_ratelimit (500 ms)
   * ago; otherwise notes this one (Linux __tcp_oow_rate_limited, per connection).
   */
  private boolean oowRateLimited() {
    long now = clock.nowNanos();
    if (oowAckSent && now - lastOowAckNanos < stack.config().invalidRatelimitNanos()) return true;
    oowAckSent = true;
    lastOowAckNanos = now;
    return false;
  }

  /** Called by the sender whenever a segment carrying our current ACK goes out. */
  void ackSent() {
    bytesSinceAck = 0;
    tcb.timers.cancel(TimerKind.DELAYED_ACK);
  }

  /** RFC 7323 §4.3: TS.Recent follows the newest timestamp of segments at or before RCV.NXT. */
  private void updateTsRecent(SegmentView seg) {
    if (tcb.tsOk && seg.hasTimestamp() && le(seg.seq(), tcb.rcvNxt) && ge(seg.tsVal(), tcb.tsRecent)) {
      tcb.tsRecent = seg.tsVal();
    }
  }

  Stack stack() {
    return stack;
  }

  @Override
  public String toString() {
    return tuple + " " + state().rfcName();
  }
}
