package org.tcpspec.conformance.judge;

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
 * RCV.WND from the window it last offered, TS.Recent from the peer's last timestamp. PAWS is never
 * assumed (Linux's clock for it cannot be seen). Its timestamp clock in SYN-SENT is estimated from
 * its first SYN's TSval and the script's time since, never behind a TSval it sent.
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
  private boolean tsSeen;
  private int tsRecent;
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
      irs = s.seq();
      rcvNxt = plus(irs, 1);
      peerShift = s.option(TcpOption.WindowScale.class).map(TcpOption.WindowScale::shift).orElse(-1);
      shiftOffered = peerShift >= 0;
      return;
    }
    if (!synReceived) return;
    if (s.hasTimestamp()) {
      tsSeen = true;
      tsRecent = s.tsVal();
    }
    // §3.10.7.4: a segment failing the sequence check is dropped (its ACK too); without ACK it is
    // dropped (fifth); after the peer's FIN its text is ignored.
    if (!Classifier.acceptable(s.seq(), s.segLen(), rcvNxt, rcvWnd)) return;
    if (!s.has(TcpFlags.ACK) || peerFinTaken) return;
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
    if (s.has(TcpFlags.ACK) && synSent && lt(sndUna, s.ack()) && le(s.ack(), sndNxt)) sndUna = s.ack();
    long wnd = (long) s.window() << (shiftOffered && ourShift >= 0 && !s.has(TcpFlags.SYN) ? Math.min(peerShift, 14) : 0);
    maxSndWnd = Math.max(maxSndWnd, wnd);
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

  @Override
  public boolean pawsRejects(SegmentView seg) {
    return false;
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
    return tsSeen && seg.hasTimestamp() && gt(seg.tsVal(), tsRecent);
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
