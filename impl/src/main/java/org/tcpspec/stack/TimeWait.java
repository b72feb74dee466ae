package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.fsm.State;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * A connection's end as Linux's timewait socket (tcp_time_wait, tcp_timewait_state_process): the
 * orphaned FIN-WAIT-2 with its timer and substate FIN_WAIT2 ({@link Connection#finWait2TimeWait}),
 * TIME-WAIT (START_TIME_WAIT), and a new incarnation out of TIME-WAIT (REOPEN). Made once per
 * connection; the rows' effects and the timers reach it through {@link Connection}.
 */
final class TimeWait {
  /** Linux: TCP_TIMEWAIT_LEN 60 s (2MSL with MSL = 30 s). */
  static final long TIME_WAIT_NANOS = 60_000_000_000L;

  private final Connection c;

  TimeWait(Connection c) {
    this.c = c;
  }

  /** START_TIME_WAIT: every other timer stops, the rings go, 2MSL begins (Linux tcp_time_wait). */
  void startTimeWait() {
    c.finWait2TimeWait = false;
    c.tcb.timers.cancelAll();
    c.sender.releaseRings();
    c.tcb.timers.arm(TimerKind.TIME_WAIT, c.clock.nowNanos() + TIME_WAIT_NANOS);
  }

  /**
   * Whether {@code seg}, arriving in TIME-WAIT, restarts 2MSL beyond the FIN's row
   * (START_TIME_WAIT). Linux tcp_timewait_state_process does so (inet_twsk_reschedule) for a
   * segment that is not a RST and either is in its window (SEG.SEQ = RCV.NXT and SEG.LEN = 0, not
   * failing PAWS: a bare ACK, which it answers with nothing), or carries an ACK or fails PAWS (then
   * it answers with a rate-limited ACK). An ACK-less SYN is left alone: it may be a new connection's.
   * RFC 9293 §3.10.7.4 restarts 2MSL only on a FIN. Asked before the row runs, as Linux decides
   * on the TS.Recent and RCV.NXT the segment found; {@link Connection#onArrival} applies it when the
   * row left the connection in TIME-WAIT (not on a RST's DELETE_TCB nor a REOPEN).
   */
  boolean restartsTimer(SegmentView seg) {
    if (c.state() != State.TIME_WAIT || seg.has(TcpFlags.RST)) return false;
    boolean pawsReject = c.tcb.timewaitPawsRejects(seg, c.clock.nowNanos());
    boolean inWindow = !pawsReject && seg.seq() == c.tcb.rcvNxt && seg.segLen() == 0;
    return inWindow || pawsReject || seg.has(TcpFlags.ACK);
  }

  /** 2MSL begins again (Linux inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN)); see {@link #restartsTimer}. */
  void restartTimer() {
    c.tcb.timers.arm(TimerKind.TIME_WAIT, c.clock.nowNanos() + TIME_WAIT_NANOS);
  }

  /**
   * REOPEN: the new incarnation gets a fresh TCB, sender and state, the listener's options, and
   * the listener as parent (so accept() returns it). §3.6.1 MAY-2 (1): its ISS is larger than any
   * sequence number the old one used. Linux: tw_snd_nxt + 65535 + 2, never 0.
   */
  void reopen() {
    Listener l = c.stack().listenerFor(c.tuple.localPort());
    int iss = plus(c.tcb.sndNxt, 65537);
    c.options = l.listening.options.copy();
    c.tcb.receiveBuffer.clear();
    c.tcb.receiveBuffer.release();
    c.tcb = new Tcb(c.options.sndBuf, c.options.rcvBuf, c.stack().memory(), c.stack().memory().chunks());
    c.tcb.rtt.maxRtoNanos(c.options.rtoMaxNanos());
    c.tcb.rtt.minRtoNanos(c.options.rtoMinNanos());
    c.sender = new Sender(c);
    c.receiver = new Receiver(c);
    c.probes = new Probes(c);
    c.autotuning = new BufferAutotuning(c);
    c.urgent = new UrgentData();
    c.parent = l;
    l.adopt(c);
    c.error = null;
    c.established = false;
    c.orphaned = false;
    c.accepted = false;
    c.receiveShut = false;
    c.outOfWindowAcks.forget();
    c.tcb.iss = iss == 0 ? 1 : iss;
    c.tcb.sndUna = c.tcb.iss;
    c.tcb.sndNxt = c.tcb.iss;
  }

  /**
   * The FIN-WAIT-2 timer, armed here (and by {@link #enterFinWait2TimeWait}) only: by the row
   * into FIN-WAIT-2, and by close() of a connection already there. Linux (tcp_close,
   * tcp_rcv_state_process): only an orphaned socket is bounded by tcp_fin_time; after
   * shutdown(SHUT_WR) the application may still read, so FIN-WAIT-2 lasts as long as the peer
   * wants. RFC 9293 §3.10.7.4 leaves FIN-WAIT-2 unbounded.
   */
  void armFinWait2Timer() {
    if (!c.orphaned || c.finWait2TimeWait || c.tcb.timers.armed(TimerKind.FIN_WAIT_2)) return;
    // Linux: an orphan's FIN-WAIT-2 sends no keep-alive (see Probes.keepaliveState).
    c.tcb.timers.cancel(TimerKind.KEEPALIVE);
    long tmo = finTimeNanos();
    // tcp_close and tcp_rcv_state_process: a wait longer than TCP_TIMEWAIT_LEN begins on the full
    // socket for the difference (the keep-alive timer); a shorter one on a timewait socket.
    if (tmo > TIME_WAIT_NANOS) c.tcb.timers.arm(TimerKind.FIN_WAIT_2, c.clock.nowNanos() + tmo - TIME_WAIT_NANOS);
    else enterFinWait2TimeWait(tmo);
  }

  /**
   * The full socket's part of a long FIN-WAIT-2 wait is over: Linux's tcp_keepalive_timer hands
   * the connection to a timewait socket for tcp_fin_time less TCP_TIMEWAIT_LEN again, which
   * tcp_time_wait raises to 3.5 RTO (so tcp_fin_timeout 61 ends it after about 2 s, not 61).
   */
  void finWait2FullSocketExpired() {
    enterFinWait2TimeWait(finTimeNanos() - TIME_WAIT_NANOS);
  }

  /**
   * tcp_time_wait(sk, TCP_FIN_WAIT2, tmo): the connection becomes a timewait socket that lives at
   * least 3.5 RTO, whose out-of-window ACKs have a rate limit of their own (tw_last_oow_ack_time
   * starts at 0). What it answers is the classifier's ({@link org.tcpspec.fsm.TcbView#finWait2TimeWait}).
   */
  private void enterFinWait2TimeWait(long tmo) {
    c.finWait2TimeWait = true;
    c.outOfWindowAcks.forget();
    c.tcb.timers.arm(TimerKind.FIN_WAIT_2, c.clock.nowNanos() + Math.max(tmo, threeAndAHalfRto()));
  }

  /**
   * Linux tcp_fin_time: how long an orphaned FIN-WAIT-2 connection waits for the peer's FIN,
   * TCP_LINGER2 or else tcp_fin_timeout, but at least 3.5 RTO ((rto << 2) - (rto >> 1)). A
   * negative TCP_LINGER2 never gets here: such an orphan does not stay in FIN-WAIT-2 ({@link
   * #finWait2Refused}).
   */
  private long finTimeNanos() {
    int linger2 = c.options.linger2Seconds;
    long finTimeout = linger2 != 0 ? linger2 * 1_000_000_000L : c.stack().config().finTimeoutNanos();
    return Math.max(finTimeout, threeAndAHalfRto());
  }

  /**
   * Whether this orphan may not wait in FIN-WAIT-2: TCP_LINGER2 is negative. Linux then ends it
   * where it would start the wait: tcp_close sends a RST from FIN-WAIT-2 (TCPAbortOnLinger), and
   * tcp_rcv_state_process, once an orphan's FIN is acknowledged in FIN-WAIT-1, drops the socket
   * (tcp_done) and answers that segment with a RST as no socket would (TCPAbortOnData).
   */
  boolean finWait2Refused() {
    return c.orphaned && c.options.linger2Seconds < 0;
  }

  private long threeAndAHalfRto() {
    long rto = c.tcb.rtt.rtoNanos();
    return (rto << 2) - (rto >> 1);
  }
}
