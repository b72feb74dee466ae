package org.tcpspec.conformance.judge;

import static org.tcpspec.wire.SeqNum.ge;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.fsm.Classifier;
import org.tcpspec.fsm.TcbView;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * The TCB of a system under test as its segments show it, for the classifier: ISS from its SYN,
 * SND.NXT from what it sent, SND.UNA from acceptable ACKs it received, IRS and RCV.NXT from the
 * peer's SYN and the in-order text and FIN injected after it, a FIN injected ahead of it once text
 * reaches it (or the ACK it sent, when further),
 * RCV.WND from the window it last offered, TS.Recent from the peer's timestamps that Linux surely
 * stored ({@link #storesTsRecent}), and PAWS as Linux tests it where it surely fails ({@link
 * #pawsRejects}, {@link #timewaitPawsRejects}); a segment PAWS rejects leaves nothing behind. Its
 * timestamp clock in SYN-SENT is estimated from its first SYN's TSval and the script's time since,
 * never behind a TSval it sent.
 */
final class ObservedTcb implements TcbView {
  private boolean synSent;
  private boolean synReceived;
  private int iss;
  private int irs;
  private int sndUna;
  private int sndNxt;
  private int rcvNxt;
  private long rcvWnd;
  private int ourShift;
  private int peerShift;
  private boolean shiftOffered;
  private long maxSndWnd;
  private boolean finSent;
  private boolean peerFinTaken;
  /** A FIN injected ahead of RCV.NXT inside the window, held as Linux's tcp_data_queue_ofo holds it. */
  private boolean peerFinHeld;
  private int heldFinSeq;
  /** The peer's SYN carried timestamps: with ours, they are on (RFC 7323 §3.2). */
  private boolean peerSynTimestamped;
  private final ObservedTsRecent tsRecent = new ObservedTsRecent();
  /** It answered the peer's SYN (a passive open): until that SYN-ACK is acknowledged, Linux holds a request socket. */
  private boolean passive;
  /** The ACK field of the last segment it sent: Linux's rcv_wup, RFC 7323's Last.ACK.sent. */
  private int lastAckSent;
  private boolean synTimestamped;
  private int synTsVal;
  private long synMillis;
  private int lastTsVal;
  private long nowMillis;
  boolean receiveShut;
  boolean listenerOpen;
  boolean closed;

  /** The script's time of the event that comes next, in milliseconds. */
  void at(long millis) {
    nowMillis = millis;
  }

  /** A segment the system under test sent. */
  void sent(SegmentView s) {
    if (s.hasTimestamp()) lastTsVal = s.tsVal();
    if (s.has(TcpFlags.SYN) && !synSent) {
      synSent = true;
      passive = synReceived;
      synTimestamped = s.hasTimestamp();
      synTsVal = s.tsVal();
      synMillis = nowMillis;
      iss = s.seq();
      sndUna = iss;
      sndNxt = iss;
      ourShift = s.option(TcpOption.WindowScale.class).map(TcpOption.WindowScale::shift).orElse(-1);
    }
    int end = plus(s.seq(), s.segLen());
    if (gt(end, sndNxt)) sndNxt = end;
    if (s.has(TcpFlags.FIN)) finSent = true;
    if (s.has(TcpFlags.ACK)) lastAckSent = s.ack();
    if (s.has(TcpFlags.ACK) && synReceived && gt(s.ack(), rcvNxt)) rcvNxt = s.ack();
    boolean scaled = !s.has(TcpFlags.SYN) && ourShift >= 0 && shiftOffered;
    rcvWnd = (long) s.window() << (scaled ? Math.min(ourShift, 14) : 0);
  }

  /** A segment injected into the system under test, after it was classified. */
  void received(SegmentView s) {
    if (s.has(TcpFlags.RST)) return;
    // SYN-SENT: an unacceptable ACK leaves nothing behind (Linux's reset_and_undo).
    boolean badAck = s.has(TcpFlags.ACK) && (le(s.ack(), iss) || gt(s.ack(), sndNxt) || synSentTsEcrRejected(s));
    if (synSent && !synReceived && badAck) return;
    if (s.has(TcpFlags.SYN) && !synReceived) {
      synReceived = true;
      // Linux keeps the SYN's TSval (tcp_rcv_synsent_state_process, or the request socket's ts_recent).
      peerSynTimestamped = s.hasTimestamp();
      if (peerSynTimestamped) tsRecent.store(s.tsVal(), nowMillis);
      irs = s.seq();
      rcvNxt = plus(irs, 1);
      peerShift = s.option(TcpOption.WindowScale.class).map(TcpOption.WindowScale::shift).orElse(-1);
      shiftOffered = peerShift >= 0;
      return;
    }
    if (!synReceived) return;
    // RFC 7323 §5.3: a segment PAWS rejects is dropped whole, before anything else.
    if (finWait2Orphan() ? timewaitPawsRejects(s) : pawsRejects(s)) return;
    if (storesTsRecent(s)) tsRecent.store(s.tsVal(), nowMillis);
    // §3.10.7.4: a segment failing the sequence check is dropped (its ACK too); without ACK it is
    // dropped (fifth); its ACK is processed in every synchronized state; after the peer's FIN its
    // text is ignored.
    if (!Classifier.acceptable(s.seq(), s.segLen(), rcvNxt, rcvWnd)) return;
    if (!s.has(TcpFlags.ACK)) return;
    if (synSent && lt(sndUna, s.ack()) && le(s.ack(), sndNxt)) sndUna = s.ack();
    long wnd = (long) s.window() << (shiftOffered && ourShift >= 0 && !s.has(TcpFlags.SYN) ? Math.min(peerShift, 14) : 0);
    maxSndWnd = Math.max(maxSndWnd, wnd);
    if (peerFinTaken) return;
    int dataSeq = plus(s.seq(), s.has(TcpFlags.SYN) ? 1 : 0);
    int end = plus(dataSeq, s.payloadLength());
    if (le(dataSeq, rcvNxt) && gt(end, rcvNxt)) rcvNxt = end;
    boolean heldFinNext = peerFinHeld && !s.has(TcpFlags.FIN) && heldFinSeq == rcvNxt;
    if ((s.has(TcpFlags.FIN) && end == rcvNxt) || heldFinNext) {
      rcvNxt = plus(rcvNxt, 1);
      peerFinTaken = true;
    } else if (s.has(TcpFlags.FIN) && gt(end, rcvNxt) && Classifier.acceptable(end, 1, rcvNxt, rcvWnd)) {
      peerFinHeld = true;
      heldFinSeq = end;
    }
  }

  /**
   * Whether Linux surely made this segment's TSval TS.Recent, the state before it known from the
   * segments: a full socket in tcp_ack, once the segment passed tcp_validate_incoming and its ACK
   * is neither old nor ahead (tcp_replace_ts_recent: SEG.SEQ at or before Last.ACK.sent, RFC 7323
   * §4.3 (2)); the request socket's child likewise, for the ACK of its SYN-ACK (tcp_check_req);
   * an orphan's FIN-WAIT-2 timewait socket only from the FIN that makes it TIME-WAIT, a TIME-WAIT
   * one only from a bare ACK at RCV.NXT (tcp_timewait_state_process). A segment that reaches
   * Last.ACK.sent is inside tcp_sequence's window whatever the window is. What PAWS rejects is
   * stored by none of them, nor a TSval older than TS.Recent.
   */
  private boolean storesTsRecent(SegmentView s) {
    if (!timestampsOn() || !s.hasTimestamp() || s.has(TcpFlags.RST) || s.has(TcpFlags.SYN) || !s.has(TcpFlags.ACK)) {
      return false;
    }
    if (!tsRecent.mayStore(s.tsVal(), nowMillis)) return false;
    int end = plus(s.seq(), s.segLen());
    if (finWait2Orphan()) return s.has(TcpFlags.FIN) && s.seq() == rcvNxt && end == plus(rcvNxt, 1);
    if (timeWait()) return s.segLen() == 0 && s.seq() == rcvNxt;
    boolean reachesLastAckSent = le(s.seq(), lastAckSent) && ge(end, lastAckSent);
    boolean ackTaken = (requestSocket() ? lt(sndUna, s.ack()) : le(sndUna, s.ack())) && le(s.ack(), sndNxt);
    return reachesLastAckSent && ackTaken;
  }

  private boolean timestampsOn() {
    return synTimestamped && peerSynTimestamped;
  }

  /** A passive open whose SYN-ACK is not acknowledged yet: Linux's request socket (tcp_check_req). */
  private boolean requestSocket() {
    return passive && sndUna == iss;
  }

  /** Both FINs taken and ours acknowledged: TIME-WAIT (or, after LAST-ACK, no connection at all). */
  private boolean timeWait() {
    return finSent && peerFinTaken && sndUna == sndNxt;
  }

  /** close() made an orphan whose FIN is acknowledged and the peer's not yet taken: Linux's FIN_WAIT2 timewait socket. */
  private boolean finWait2Orphan() {
    return closed && finSent && !peerFinTaken && sndUna == sndNxt;
  }

  /**
   * Linux tcp_disordered_ack_check may let this segment through PAWS: a pure duplicate ACK at
   * RCV.NXT whose TSval lies within one RTO's ticks of TS.Recent and that would not update the
   * send window. Neither the RTO (at least 200 ms, 240 ticks; up to 120 s) nor the window's SND.WL1
   * is tracked here, so every pure duplicate ACK at RCV.NXT may be one.
   */
  private boolean mayBeDisorderedAck(SegmentView s) {
    return s.has(TcpFlags.ACK) && s.segLen() == 0 && s.seq() == rcvNxt && s.ack() == sndUna;
  }

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
    return sndUna;
  }

  @Override
  public int sndNxt() {
    return sndNxt;
  }

  @Override
  public int rcvNxt() {
    return rcvNxt;
  }

  @Override
  public long rcvWnd() {
    return rcvWnd;
  }

  @Override
  public long maxSndWnd() {
    return Math.min(maxSndWnd, Integer.toUnsignedLong(sndUna - iss));
  }

  @Override
  public boolean finSent() {
    return finSent;
  }

  /**
   * RFC 7323 §5.3 R1 as Linux tests it, where it surely fails: timestamps are on, the segment has
   * one, and its TSval lags TS.Recent. A full socket (tcp_validate_incoming) allows one tick
   * (TCP_PAWS_WINDOW), takes a RST whatever its TSval and lets a disordered ACK through ({@link
   * #mayBeDisorderedAck}); a request socket (tcp_check_req) and a timewait socket (TIME-WAIT or an
   * orphan's FIN-WAIT-2, tcp_timewait_state_process) allow none (tcp_paws_reject), and their RSTs
   * are the classifier's to order. A TS.Recent of 0, or one {@link ObservedTsRecent#PAWS_WRAP_MILLIS}
   * old, rejects nothing.
   */
  @Override
  public boolean pawsRejects(SegmentView seg) {
    if (!timestampsOn() || !seg.hasTimestamp() || seg.has(TcpFlags.RST)) return false;
    if (requestSocket() || timeWait() || finWait2Orphan()) return tsRecent.rejects(seg.tsVal(), 0, nowMillis);
    return tsRecent.rejects(seg.tsVal(), ObservedTsRecent.FULL_SOCKET_WINDOW, nowMillis) && !mayBeDisorderedAck(seg);
  }

  /**
   * Linux tcp_validate_incoming's old ACK (SKB_DROP_REASON_TCP_RFC7323_PAWS_ACK, since 6.14): a
   * pure ACK below RCV.NXT that a full socket's PAWS surely rejects ({@link #pawsRejects}) is
   * dropped in silence, where other PAWS failures get a duplicate ACK.
   */
  @Override
  public boolean pawsOldAck(SegmentView seg) {
    if (requestSocket() || timeWait() || finWait2Orphan()) return false;
    return seg.has(TcpFlags.ACK) && seg.segLen() == 0 && lt(seg.seq(), rcvNxt) && pawsRejects(seg);
  }

  /**
   * Linux tcp_paws_reject in a timewait socket (tcp_timewait_state_process; the classifier asks it
   * of an orphan's FIN-WAIT-2): no window, no disordered ACK, and a RST held to it too while
   * TS.Recent is younger than TCP_PAWS_MSL ({@link ObservedTsRecent#holdsRst}).
   */
  @Override
  public boolean timewaitPawsRejects(SegmentView seg) {
    if (!timestampsOn() || !seg.hasTimestamp() || !tsRecent.rejects(seg.tsVal(), 0, nowMillis)) return false;
    return !seg.has(TcpFlags.RST) || tsRecent.holdsRst(nowMillis);
  }

  /**
   * Linux tcp_rcv_synsent_state_process (PAWSACTIVEREJECTED): a TSecr outside [the first SYN's
   * TSval, now], now estimated as the later of the first SYN's TSval plus the script time since it
   * and the last TSval sent (a millisecond clock, tcp_time_stamp_ts).
   */
  @Override
  public boolean synSentTsEcrRejected(SegmentView seg) {
    if (!synTimestamped || !seg.hasTimestamp() || seg.tsEcr() == 0) return false;
    int now = synTsVal + (int) (nowMillis - synMillis);
    if (gt(lastTsVal, now)) now = lastTsVal;
    return Integer.compareUnsigned(seg.tsEcr() - synTsVal, now - synTsVal) > 0;
  }

  /** RFC 6191 §2: a SYN whose timestamp is newer than TS.Recent may reopen TIME-WAIT. */
  @Override
  public boolean timestampNewer(SegmentView seg) {
    return timestampsOn() && seg.hasTimestamp() && tsRecent.newer(seg.tsVal());
  }

  /** Only the text of this segment is known to reach a held FIN: out-of-order text is not tracked. */
  @Override
  public boolean heldFinReachedBy(int end) {
    return peerFinHeld && !peerFinTaken && end == heldFinSeq;
  }

  @Override
  public boolean receiveShut() {
    return receiveShut;
  }

  /**
   * close() made an orphan, which Linux holds in FIN-WAIT-2 as a timewait socket of substate
   * FIN_WAIT2 (tcp_time_wait, tcp_fin_timeout at most 60 s being assumed); asked only there.
   */
  @Override
  public boolean finWait2TimeWait() {
    return closed;
  }

  @Override
  public boolean reopenable() {
    return listenerOpen && closed;
  }
}
