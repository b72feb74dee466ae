package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * The {@link Sender}'s ACK processing, §3.10.7.4's fifth step: the send window (SND.WL1/SND.WL2),
 * SND.UNA and what it frees, the RTT sample of a timed segment (RFC 6298, Karn) or an echoed
 * timestamp (RFC 7323 §4.1), and the progress that resets the give-up clocks; the ACK then goes
 * on to the {@link CaStateMachine}. One per connection.
 */
final class AckProcessing extends SenderPart {
  private boolean rttTiming;
  private int rttSeq;
  private long rttStartNanos;
  /** When the last acceptable ACK arrived (Linux rcv_tstamp). Written here only. */
  long lastAckNanos;

  AckProcessing(Connection c, Sender snd, CaStateMachine ca) {
    super(c, snd, ca);
  }

  /** Times the segment from {@code seq} for an RTT sample unless one is timed already. */
  void startTiming(int seq) {
    if (!rttTiming) timingFrom(plus(seq, 1), snd.now());
  }

  /** Times from {@code sentNanos} until an ACK reaches {@code seq} (the SYN-ACK of a promoted half-open connection). */
  void timingFrom(int seq, long sentNanos) {
    rttTiming = true;
    rttSeq = seq;
    rttStartNanos = sentNanos;
  }

  /** Karn: what is timed was sent again, so its ACK is no sample. */
  void stopTiming() {
    rttTiming = false;
  }

  /** PROCESS_ACK: the fifth step of §3.10.7.4 for {@code seg}. */
  void processAck(SegmentView seg) {
    if (!seg.has(TcpFlags.ACK)) return;
    int ack = seg.ack();
    boolean windowChanged = false;
    // Linux tcp_ack's prior_packets == 0: nothing was in flight when this ACK arrived.
    boolean nothingInFlight = tcb.inFlight() == 0;
    // Window update (SND.WL1/SND.WL2 rule), only for an ACK in [SND.UNA, SND.NXT].
    if (le(tcb.sndUna, ack) && le(ack, tcb.sndNxt)
        && (lt(tcb.sndWl1, seg.seq()) || (tcb.sndWl1 == seg.seq() && le(tcb.sndWl2, ack)))) {
      long wnd = (long) seg.window() << (seg.has(TcpFlags.SYN) ? 0 : tcb.sndWscale);
      windowChanged = wnd != tcb.sndWnd;
      tcb.sndWnd = wnd;
      tcb.maxSndWnd = Math.max(tcb.maxSndWnd, wnd);
      tcb.sndWl1 = seg.seq();
      tcb.sndWl2 = ack;
      if (wnd > 0 && !nothingInFlight) c.probes.windowOpened();
    }
    if (le(tcb.sndUna, ack) && le(ack, tcb.sndNxt)) {
      c.probes.peerAnswered();
      lastAckNanos = snd.now();
      if (nothingInFlight) c.probes.ackProbe();
    }
    if (lt(ack, tcb.sndUna)) {
      // Linux's old_ack: an ACK below SND.UNA may still carry SACK or DSACK information.
      if (snd.ourSynAcked && tcb.sackOk) ca.onOldAck(seg);
      return;
    }
    if (gt(ack, tcb.sndNxt)) return;
    c.receiver.cwrArrived(seg);
    int priorSndUna = tcb.sndUna;
    if (gt(ack, tcb.sndUna)) newAck(seg, ack);
    if (tcb.sndUna != priorSndUna) c.txTimestamps.acked(priorSndUna, tcb.sndUna, snd.now());
    if (snd.ourSynAcked) ca.onAck(seg, priorSndUna, windowChanged);
    if (tcb.inFlight() == 0) tcb.timers.cancel(TimerKind.RETRANSMIT);
    if (snd.nothingToSend()) snd.chrono.stop(SendChrono.BUSY, true, c.clock.nowMillis());
  }

  private void newAck(SegmentView seg, int ack) {
    long acked = Integer.toUnsignedLong(distance(tcb.sndUna, ack));
    int synPart = snd.ourSynAcked ? 0 : 1;
    boolean synNowAcked = !snd.ourSynAcked;
    snd.ourSynAcked = true;
    int finPart = tcb.finSent && ack == tcb.sndNxt ? 1 : 0;
    int dataAcked = (int) acked - synPart - finPart;
    if (synNowAcked) ca.synDelivered();
    int consumed = Math.max(0, Math.min(dataAcked, tcb.sendBuffer.size()));
    tcb.sendBuffer.consume(consumed);
    tcb.bytesAcked += acked - (synPart == 1 && c.engine.passive() ? 1 : 0);
    tcb.sndUna = ack;
    if (tcb.inFlight() == 0) snd.sendTimes.clear();
    else snd.sendTimes.acked(ack);
    // RTT: an echoed timestamp (RFC 7323 §4.1) or one timed segment never retransmitted (Karn).
    // The minimum RTT RACK reads (Linux tcp_update_rtt_min) takes only the timed segment: our
    // timestamps count milliseconds, which make a sub-millisecond path's minimum 0.
    if (tcb.tsOk && seg.hasTimestamp() && seg.tsEcr() != 0) {
      long rttMillis = (int) c.clock.nowMillis() - seg.tsEcr();
      if (rttMillis >= 0) tcb.rtt.sample(rttMillis * 1_000_000L);
      if (rttTiming && !lt(ack, rttSeq)) ca.rttSample(snd.now() - rttStartNanos);
      rttTiming = false;
    } else if (!synNowAcked && dataAcked > 0) {
      // Linux tcp_ack_update_rtt without timestamps: every ACK of new data is a sample, from the
      // oldest segment it acknowledges (tcp_clean_rtx_queue's first_ackt), unless one of them was
      // retransmitted (Karn).
      long rtt = ca.queue.seqRttNanos(ack, snd.now());
      if (rtt >= 0) {
        tcb.rtt.sample(rtt);
        ca.rttSample(rtt);
      }
      rttTiming = false;
    } else if (rttTiming && !lt(ack, rttSeq)) {
      long rtt = snd.now() - rttStartNanos;
      tcb.rtt.sample(rtt);
      ca.rttSample(rtt);
      rttTiming = false;
    }
    // Linux: progress clears the backoff and the retry count (tcp_ack).
    tcb.rtt.resetBackoff();
    snd.timeouts.progress();
    // RFC 6298 §5.3 for the handshake; data's timer is the loss response's (RTO or probe).
    if (synNowAcked && tcb.inFlight() > 0) tcb.timers.arm(TimerKind.RETRANSMIT, snd.now() + tcb.rtt.rtoNanos());
  }
}
