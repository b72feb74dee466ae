package org.tcpspec.stack;

import java.util.Optional;
import java.util.OptionalInt;
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
import org.tcpspec.trace.TcbValues;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.SeqNum;

/**
 * One connection: its engine (the state), its TCB, and the effects of the table's rows. Inputs are
 * user calls, segments and timer ticks; every state change goes through {@link Engine#fire}. The
 * sending half lives in {@link Sender} (loss recovery behind {@link LossRecovery}), the receiving
 * half in {@link Receiver}, zero-window and keep-alive probing in {@link Probes}, the option
 * negotiation in {@link Handshake}, TS.Recent in {@link TsRecent}, ICMP errors in {@link
 * IcmpErrors}, the orphaned FIN-WAIT-2 and TIME-WAIT (Linux's timewait socket) and REOPEN in {@link
 * TimeWait}, the out-of-window ACKs' rate limit in {@link OutOfWindowAcks}. Each effect gets the
 * event and segment it acts on as arguments.
 */
public final class Connection implements EffectHandler {
  /** values() clones its array on every call. */
  private static final TimerKind[] TIMER_KINDS = TimerKind.values();

  final FourTuple tuple;
  final Engine engine;
  /** Replaced, with its sender, receiver, probes and the options, only when TIME-WAIT is reopened (REOPEN). */
  Tcb tcb;
  SocketOptions options;
  final Clock clock;
  Sender sender;
  Receiver receiver;
  Probes probes;
  BufferAutotuning autotuning;
  /** The urgent mechanism, both directions (RFC 9293 §3.8.5). */
  UrgentData urgent = new UrgentData();
  /** SO_TIMESTAMPING's transmit timestamps and their error queue (Linux tcp_tx_timestamp). */
  final TxTimestamps txTimestamps = new TxTimestamps(this);
  private final UserWrite userWrite = new UserWrite(this);
  private final SkbWrite skbWrite = new SkbWrite(this);
  private final IsnGenerator isn;
  private final Stack stack;
  /** The listener this connection was born from, or null for active opens (internal only). */
  Listener parent;

  ConnectionError error;
  /** The ICMP errors about this connection and the soft error they leave. */
  private final IcmpErrors icmpErrors = new IcmpErrors(this);
  boolean established;
  /** A blocking write waits for the handshake to complete (Linux sk_write_pending). */
  private boolean writePending;
  /** close() was called: nobody will read or write any more (Linux "orphan"). */
  boolean orphaned;
  /**
   * An orphaned FIN-WAIT-2 connection Linux has handed to a timewait socket of substate
   * FIN_WAIT2 (tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)): it answers segments as
   * tcp_timewait_state_process does ({@link org.tcpspec.fsm.TcbView#finWait2TimeWait}).
   */
  boolean finWait2TimeWait;
  /** A passive child accept() returned (Linux sock_graft in inet_accept); active opens have a socket from the start. */
  boolean accepted;
  /**
   * The application reads no more: close(), or shutdown() of the reading direction (Linux's
   * RCV_SHUTDOWN). Text arriving after that in FIN-WAIT-1/2 is answered with a RST (§3.6.1 SHLD-3).
   */
  boolean receiveShut;
  boolean deleted;

  /** What Fast Open (RFC 7413) did for this connection. */
  final FastOpenState fastOpen = new FastOpenState();
  private final ConnectionView view = new ConnectionView(this);
  /** The rate limit of out-of-window and challenge ACKs (Linux tcp_oow_rate_limited). */
  final OutOfWindowAcks outOfWindowAcks = new OutOfWindowAcks(this);
  /** The orphaned FIN-WAIT-2 and TIME-WAIT as Linux's timewait socket, and REOPEN. */
  final TimeWait timeWait = new TimeWait(this);

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
    this.tcb = new Tcb(options.sndBuf, options.rcvBuf, stack.memory(), stack.memory().chunks());
    tcb.rtt.maxRtoNanos(options.rtoMaxNanos());
    tcb.rtt.minRtoNanos(options.rtoMinNanos());
    this.sender = new Sender(this);
    this.receiver = new Receiver(this);
    this.probes = new Probes(this);
    this.autotuning = new BufferAutotuning(this);
  }

  public State state() {
    return engine.state();
  }

  /**
   * Whether an application holds this connection (Linux sk->sk_socket): an active open until
   * close(), a passive child from accept() until close(); not a child still in the accept queue.
   */
  boolean hasSocket() {
    return (parent == null || accepted) && !orphaned;
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

  /**
   * Clears and returns the soft error an ICMP message reported (RFC 9293 §3.9.2.2 SHLD-25): what
   * SO_ERROR gives when no hard error is pending (Linux sock_getsockopt: sock_error, else
   * xchg(sk_err_soft, 0)).
   */
  public Optional<ConnectionError> takeSoftError() {
    return icmpErrors.takeSoft();
  }

  /**
   * recv(MSG_OOB) (RFC 9293 §3.8.5 MUST-33; Linux tcp_recv_urg): the out-of-band octet, read once
   * unless {@code peek}; empty when none waits (see {@link #urgentAnnounced}).
   */
  public OptionalInt readUrgent(boolean peek) {
    if (options.oobInline) return OptionalInt.empty();
    return urgent.take(peek);
  }

  /** The peer announced urgent data whose octet has not arrived yet (recv(MSG_OOB): EAGAIN, never blocking). */
  public boolean urgentAnnounced() {
    return urgent.announced();
  }

  /**
   * poll's POLLOUT, Linux tcp_poll: whether the stream is writeable; when it is not, the application
   * now waits for room (SOCK_NOSPACE), see {@link SendSpace}.
   */
  public boolean pollWriteable() {
    return sender.space.pollWriteable();
  }

  /** Linux sk_wmem_queued: the send buffer's bytes plus each skb's allocation ({@link SendSkbs}). */
  public long sendMemoryQueued() {
    return sender.skbs.wmemQueued();
  }

  /**
   * How many times sk_stream_write_space woke this socket's waiters (a count that only grows; an
   * edge-triggered epoll reports EPOLLOUT again only after it moved), see {@link SendSpace}.
   */
  public int writeSpaceWakeups() {
    return sender.space.wakeups();
  }

  /** setsockopt(TCP_RTO_MAX_MS) took a new value: the retransmission timeout follows it. */
  public void rtoMaxChanged() {
    tcb.rtt.maxRtoNanos(options.rtoMaxNanos());
  }

  /** setsockopt(TCP_RTO_MIN_US) took a new value: the next RTT sample's RTO follows it. */
  public void rtoMinChanged() {
    tcb.rtt.minRtoNanos(options.rtoMinNanos());
  }

  /** setsockopt(TCP_NOTSENT_LOWAT) took a new value: Linux calls sk_write_space, which wakes writers now writeable. */
  public void notsentLowatChanged() {
    sender.space.writeSpace();
  }

  /** The out-of-band octet waits (poll's POLLPRI, MUST-32). */
  public boolean urgentReadable() {
    return urgent.readable();
  }

  /**
   * A blocking write waits for the handshake ({@code true}) or stopped waiting (Linux
   * sk_stream_wait_connect's sk_write_pending): the SYN-ACK then saves its ACK for the data.
   */
  public void writePending(boolean waiting) {
    writePending = waiting;
  }

  public boolean established() {
    return established;
  }

  /** A server's connection made by a Fast Open SYN (RFC 7413 §4.2), which may send before it is established. */
  public boolean fastOpenChild() {
    return fastOpen.child;
  }

  /** The peer's FIN arrived: after the readable bytes, reads return end of stream. */
  public boolean peerFinished() {
    return receiver.peerFinished();
  }

  public Tcb tcb() {
    return tcb;
  }

  /** The socket options this connection runs with (shared with its socket). */
  public SocketOptions options() {
    return options;
  }

  /** SO_TIMESTAMPING's transmit timestamps of this connection (its socket's error queue of them). */
  public TxTimestamps txTimestamps() {
    return txTimestamps;
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
    boolean restartsTimeWait = timeWait.restartsTimer(seg);
    TsRecent.arrived(this, seg, e);
    Outcome o = engine.fire(e, seg, this);
    if (restartsTimeWait && !deleted && state() == State.TIME_WAIT) timeWait.restartTimer();
    afterEvent();
    // Linux tcp_data_snd_check: tcp_check_space after the output.
    if (!deleted) sender.space.checkSpace();
    if (o instanceof Outcome.Reacted r) stack.unreachable(this, e, r.reaction());
  }

  /** An ICMP error about this connection, quoting {@code quotedSeq}: see {@link IcmpErrors#arrived}. */
  void onIcmpError(int quotedSeq, IcmpInput input) {
    icmpErrors.arrived(quotedSeq, input);
  }

  /**
   * An ICMP error that says the path is broken (RFC 6069) arrived: see {@link
   * SendTimeouts#revertBackoff}. When the reverted RTO has passed, the timer fires now ("RTO
   * revert clocked out retransmission. Will retransmit now.", tcp_ld_RTO_revert).
   */
  void revertBackoff(int quotedSeq) {
    if (!sender.timeouts.revertBackoff(quotedSeq)) return;
    tcb.timers.cancel(TimerKind.RETRANSMIT);
    if (sender.timeouts.rtoExpired()) timeout(Event.TIMEOUT);
    afterEvent();
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

  /** {@link #write} flags: MSG_EOR, the write ends a record. */
  static final int END_OF_RECORD = 1;
  /** {@link #write} flags: MSG_MORE, more data follows at once. */
  static final int MORE = 2;
  /** {@link #write} flags: MSG_OOB, the data written is urgent (RFC 9293 §3.8.5). */
  static final int URGENT = 4;

  /**
   * Queues user data: how many bytes the send buffer took, or -1 when the state refuses SEND.
   * {@link #END_OF_RECORD} (MSG_EOR) ends a record once all of it was taken (Linux marks the last
   * skb eor only when the whole message was copied); {@link #MORE} (MSG_MORE) holds a short tail
   * for this write and leaves its end without PSH (tcp_push: TCP_NAGLE_CORK, no tcp_mark_push).
   */
  int write(byte[] data, int off, int len, int flags) {
    if (TransitionTable.instance().lookup(state(), Event.SEND, engine.passive()).isEmpty()) return -1;
    if (len == 0) return 0;
    return skbWrite.write(data, off, len, flags);
  }

  /**
   * Queues bytes of a write into the send buffer, which {@link SkbWrite} found room for (skb by
   * skb, as Linux); {@code output}: send what may go now.
   */
  int writeNow(byte[] data, int off, int len, int flags, boolean output) {
    // Under the stack's tcp_mem a write may take less, or nothing (EAGAIN).
    int ring = tcb.sendBuffer.room();
    int allowed = ring == 0 ? 0 : stack.memory().sendAllowance(this, Math.min(len, ring));
    // Linux tcp_sendmsg_locked's wait_for_space: the application waits for room (SOCK_NOSPACE),
    // set before the push of what was taken.
    if (allowed < len) sender.space.bufferFull();
    if (allowed == 0) return 0;
    int unsentBefore = sender.unsentBytes();
    int accepted = userWrite.send(data, off, allowed);
    if (accepted > 0) sender.written(unsentBefore, (flags & MORE) != 0);
    if ((flags & END_OF_RECORD) != 0 && accepted == len) sender.endRecord();
    // Linux tcp_push -> tcp_mark_urg: SND.UP is the sequence number after the data written.
    if ((flags & URGENT) != 0 && accepted > 0) urgent.markSend(SeqNum.plus(tcb.sndUna, tcb.sendBuffer.size()));
    // Linux tcp_sendmsg_locked: tcp_tx_timestamp tags the write's last byte, then tcp_push.
    if (accepted > 0) txTimestamps.written();
    if (!deleted && output) sender.output((flags & MORE) != 0 ? Sender.Push.CORK : Sender.Push.NAGLE);
    return accepted;
  }

  /**
   * ACTIVE_OPEN_FAST_OPEN (RFC 7413 §4.2.1): the SYN carries what of {@code len} bytes the cached
   * cookie (or the no-cookie mode) lets it, else a cookie request and no data; how many it carries.
   */
  int openFastOpen(byte[] data, int off, int len) {
    int space = FastOpenClient.prepareSyn(this);
    int queued = userWrite.fire(Event.ACTIVE_OPEN_FAST_OPEN, data, off, Math.min(len, space));
    afterEvent();
    return queued;
  }

  /**
   * TCP_NODELAY turned on, or TCP_CORK off: what waits goes now (Linux tcp_push_pending_frames,
   * with TCP_NAGLE_PUSH when {@code pushAll}, which sends even a corked tail).
   */
  void pushPending(boolean pushAll) {
    if (!deleted && state().isSynchronized()) sender.output(pushAll ? Sender.Push.ALL : Sender.Push.NAGLE);
  }

  /**
   * Reads received bytes; the receive buffer may grow (Linux's tcp_recvmsg: tcp_rcv_space_adjust,
   * then tcp_cleanup_rbuf), and the window opens toward the peer when reading made enough room.
   */
  int read(byte[] dst, int off, int len, boolean consume) {
    // §3.8.5 without SO_OOBINLINE (Linux tcp_recvmsg_locked): a read steps over the out-of-band
    // octet and never reads past it.
    if (consume && !options.oobInline && urgent.atMark() && tcb.receiveBuffer.readable() > 0) {
      tcb.receiveBuffer.read(new byte[1], 0, 1, true);
      urgent.consumed(1);
    }
    int n = tcb.receiveBuffer.read(dst, off, urgent.readLimit(len, options.oobInline), consume);
    if (consume) urgent.consumed(n);
    if (consume && n > 0) autotuning.read();
    if (consume && n > 0 && state().isSynchronized() && receiver.consumed()) afterEvent();
    return n;
  }

  void onTimers(long now) {
    for (TimerKind k : TIMER_KINDS) {
      if (deleted || !tcb.timers.due(k, now)) continue;
      tcb.timers.cancel(k);
      switch (k) {
        case TIME_WAIT -> timeout(Event.CLOSE_TIMEOUT);
        case FIN_WAIT_2 -> {
          if (finWait2TimeWait) timeout(Event.CLOSE_TIMEOUT);
          else timeWait.finWait2FullSocketExpired();
        }
        case RETRANSMIT -> {
          if (sender.retransmitTimerExpired()) timeout(Event.TIMEOUT);
        }
        case DELAYED_ACK -> receiver.delayedAckExpired();
        case PERSIST -> {
          if (probes.persistTimerExpired()) timeout(Event.TIMEOUT);
        }
        case KEEPALIVE -> {
          if (probes.keepaliveTimerExpired()) timeout(Event.TIMEOUT);
        }
      }
      afterEvent();
    }
  }

  /** A timer gave up ({@link Event#TIMEOUT}) or ended a closing state ({@link Event#CLOSE_TIMEOUT}). */
  private void timeout(Event e) {
    Outcome o = engine.fire(e, this);
    if (o instanceof Outcome.Reacted r) stack.unreachable(this, e, r.reaction());
  }

  private void afterEvent() {
    if (!deleted) sender.output();
  }

  // ---------------------------------------------------------------- effects of the table's rows

  @Override
  public void run(Effect effect, Event event, SegmentView segment) {
    switch (effect) {
      case CHOOSE_ISS -> {
        tcb.iss = isn.isn(tuple);
        tcb.sndUna = tcb.iss;
        tcb.sndNxt = tcb.iss;
        sender.issChosen();
      }
      case REOPEN -> timeWait.reopen();
      case SEND_SYN -> sender.sendSyn(false);
      case RECORD_SYN -> Handshake.recordSyn(this, segment);
      case SEND_SYN_ACK -> sender.sendSyn(true);
      case PROCESS_ACK -> {
        icmpErrors.acked();
        boolean synAck = state() == State.SYN_SENT;
        sender.processAck(segment);
        urgent.acked(tcb.sndUna);
        if (synAck && fastOpen.requested) FastOpenClient.synAckArrived(this, segment);
      }
      case RECEIVE_TEXT -> {
        // §3.10.7.4 sixth, the URG bit, before the text is queued (Linux tcp_urg, then tcp_data_queue).
        if (segment.payloadLength() > 0) urgent.arrived(segment, tcb.rcvNxt, tcb.receiveBuffer.readable());
        boolean congestionExperienced = tcb.ecnOk && segment.payloadLength() > 0 && ecnReceived(segment);
        receiver.text(segment, event == Event.RCV_FIN || event == Event.RCV_FIN_ACK_OF_FIN
            || event == Event.RCV_SYN_ACK_FIN);
        // Linux tcp_ecn_check_ce: "Better not delay acks, sender can have a very low cwnd".
        if (congestionExperienced) receiver.owe();
      }
      case RECEIVE_FIN -> receiver.fin(segment);
      // With this event's output, so data written before establishment rides on the handshake's
      // ACK (Linux delays that ACK when a write is pending). In SYN-RECEIVED too it is a plain ACK
      // (§3.10.7.4; Linux tcp_check_req answers an out-of-window segment with SEQ=ISS+1).
      case SEND_ACK -> {
        if (writePending && state() == State.SYN_SENT) receiver.ackSavedForPendingWrite();
        else receiver.owe();
      }
      case SEND_OUT_OF_WINDOW_ACK -> {
        UnacceptableDrops.count(this, segment);
        if (outOfWindowAcks.outOfWindowAnswerAllowed(segment)) {
          // The timewait socket's ACK (tcp_v4_timewait_ack) carries no SACK blocks, so no DSACK.
          if (!finWait2TimeWait) receiver.unacceptable(segment);
          receiver.owe();
        }
      }
      case RESEND_SYN_ACK -> {
        if (outOfWindowAcks.outOfWindowAnswerAllowed(segment)) sender.sendSyn(true);
      }
      // RFC 5961 §7 asks for a rate limit. Linux (tcp_send_challenge_ack): first the
      // per-connection limit shared with the out-of-window ACKs, then the host-wide one.
      case CHALLENGE_ACK -> {
        if (!outOfWindowAcks.oowRateLimited() && stack.challengeAckAllowed()) receiver.owe();
      }
      case SEND_RST_REPLY -> stack.replyRst(segment);
      case SEND_RST_ABORT -> sender.sendAbortRst();
      case QUEUE_DATA -> throw new IllegalStateException("QUEUE_DATA outside SEND: " + event);
      case QUEUE_FIN -> tcb.finQueued = true;
      case SIGNAL_ESTABLISHED -> {
        established = true;
        tcb.rtt.establishedWithoutSample();
        // Linux takes the timestamps' bytes off advmss before tcp_init_transfer (cd171461b90a), but a
        // Fast Open child ran tcp_init_transfer when it was made, with the whole MSS.
        if (fastOpen.child) {
          autotuning.established();
          Handshake.timestampsTakeAdvMss(tcb);
        } else {
          Handshake.timestampsTakeAdvMss(tcb);
          autotuning.established();
        }
        probes.keepaliveStart();
        if (parent != null) parent.established(this);
        if (parent != null && fastOpen.child) parent.fastOpenEstablished(this);
      }
      // Linux tcp_reset: ECONNREFUSED in SYN-SENT; a Fast Open child reset in SYN-RECEIVED has a
      // reader already (it is in the accept queue), who learns ECONNRESET.
      case SIGNAL_RESET -> error = established || fastOpen.child ? ConnectionError.RESET : ConnectionError.REFUSED;
      case SIGNAL_TIMEOUT -> error = icmpErrors.softOr(ConnectionError.TIMED_OUT);
      case SIGNAL_ICMP_ERROR -> error = icmpErrors.hard();
      case START_FIN_WAIT_2_TIMER -> timeWait.armFinWait2Timer();
      case START_TIME_WAIT -> timeWait.startTimeWait();
      case DELETE_TCB -> {
        tcb.timers.cancelAll();
        tcb.sendBuffer.clear();
        // An orphan's unread bytes have no reader left (Linux frees the socket with its queues).
        if (orphaned) tcb.receiveBuffer.clear();
        tcb.receiveBuffer.release();
        sender.releaseRings();
        deleted = true;
        stack.forget(this);
      }
    }
  }

  @Override
  public TcbValues tcbValues() {
    return new TcbValues(tcb.iss, tcb.irs, tcb.sndUna, tcb.sndNxt, tcb.rcvNxt, tcb.sndWnd, tcb.sndWscale);
  }

  /**
   * The ECN receiver of RFC 3168 §6.1.3 on a text segment of an ECN connection, as Linux's
   * tcp_data_ecn_check: a CE mark starts our ECE (on every segment we send until a CWR arrives,
   * which the ACK processing before takes: {@link Receiver#cwrArrived}). Returns whether this
   * segment newly asked for ECE.
   */
  private boolean ecnReceived(SegmentView seg) {
    boolean ce = (seg.ipTos() & Handshake.ECN_MASK) == ECN_CE;
    if (!ce || tcb.ecnDemandCwr) return false;
    tcb.ecnDemandCwr = true;
    return true;
  }

  /** The ECN codepoint Congestion Experienced (RFC 3168 §5). */
  private static final int ECN_CE = 0x3;

  /** See {@link Stack#quickAck}: the delayed ACK goes now when nothing is left unread. */
  void quickAck() {
    boolean ackState = state() == State.ESTABLISHED || state() == State.CLOSE_WAIT;
    if (ackState && receiver.quickAck()) afterEvent();
  }

  Stack stack() {
    return stack;
  }

  @Override
  public String toString() {
    return tuple + " " + state().rfcName();
  }
}
