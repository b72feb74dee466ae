package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.le;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.fsm.State;
import org.tcpspec.stack.Sender.Push;
import org.tcpspec.wire.TcpFlags;

/**
 * The {@link Sender}'s output pass (Linux tcp_write_xmit): data and FIN under the send window and
 * cwnd, one segment at a time; Nagle in Minshall's form (RFC 9293 §3.7.4, Linux tcp_nagle_test
 * and tcp_minshall_check) and sender SWS avoidance (§3.8.6.2.1); PSH as Linux sets it; record
 * ends (MSG_EOR). {@link NewDataSegments} sends the segments it decides, gathered into runs where
 * the sink takes them. One per connection.
 */
final class SendOutput extends SenderPart {
  /** Linux snd_sml: where the last segment shorter than the MSS ended (Minshall's Nagle). */
  private int sndSml;
  private boolean smallSent;
  /** Linux pushed_seq: where the last segment marked PSH ended. */
  private int pushedSeq;
  /** The last new segment ended a burst (it carried PSH): the next one begins an skb of Linux's. */
  private boolean burstEnded;
  /**
   * The burst (Linux's TSO skb as tcp_write_xmit sends it) the pass is sending: its segments so
   * far, and how many it may carry (tcp_cwnd_test's quota, fixed when it began).
   */
  private int burstSegs;
  private int burstLimit;
  private final RecordEnds recordEnds = new RecordEnds();
  /** The last write said MSG_MORE: the end of what is written is not pushed (no PSH). */
  private boolean moreComing;
  /** The SYN-ACK left some of our SYN's data unacknowledged: it is resent before anything else. */
  private boolean synDataLost;

  SendOutput(Connection c, Sender snd, CaStateMachine ca) {
    super(c, snd, ca);
  }

  /** Our SYN or SYN-ACK went out: what it carries ends at {@code seq}, as if pushed. */
  void pushedTo(int seq) {
    pushedSeq = seq;
  }

  /**
   * The SYN-ACK left some of our SYN's data unacknowledged, now marked lost: the next output pass
   * resends it first (Linux tcp_rcv_fastopen_synack calls tcp_xmit_retransmit_queue before
   * tcp_rcv_synsent_state_process returns; that retransmission is the handshake's ACK).
   */
  void synDataNotAcked() {
    synDataLost = true;
  }

  /**
   * §3.10.4 CLOSE in SYN-RECEIVED: "If no SENDs have been issued and there is no pending data to
   * send, then form a FIN segment and send it"; with data queued the FIN waits for ESTABLISHED.
   * Linux (simultaneous open) sends the FIN at once too.
   */
  private boolean mayOnlyFinBeforeSynAcked() {
    return c.state() == State.FIN_WAIT_1 && !snd.ourSynAcked && tcb.sendBuffer.size() == 0;
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
    if (unsentBefore == 0) snd.chrono.start(SendChrono.BUSY, c.clock.nowMillis());
    moreComing = more;
  }

  /**
   * Sends what the windows, Nagle and the FIN allow, then a pure ACK if one is still owed; {@code
   * push} decides what a short last segment waits for.
   */
  void output(Push push) {
    if (synDataLost) {
      synDataLost = false;
      snd.passBegins();
      try {
        ca.nonCongestionLossRetransmit();
      } finally {
        snd.passEnded();
      }
    }
    // Linux runs tcp_write_xmit only with something in the write queue (tcp_push_pending_frames).
    boolean queued = snd.unsentBytes() > 0 || (tcb.finQueued && !tcb.finSent);
    if (queued && (snd.maySendData() || mayOnlyFinBeforeSynAcked())) {
      snd.passBegins(); // tcp_write_xmit's tcp_mstamp_refresh
      try {
        writeQueued(push);
      } finally {
        snd.passEnded();
      }
    }
    if (c.receiver.ackOwed()) {
      // An ACK owed in an unsynchronized state is not sent (nothing to acknowledge yet).
      if (c.state().isSynchronized()) snd.segments.sendAckNow();
      else c.receiver.ackSent();
    }
  }

  /** The segments one tcp_write_xmit pass sends, under the pass's clock reading. */
  private void writeQueued(Push push) {
    int sent = 0;
    boolean cwndLimited = false;
    burstSegs = 0;
    snd.newData.runsBegin();
    try {
      while (!tcb.finSent) {
        // Linux tcp_cwnd_test: "don't be strict about the congestion window for the final FIN",
        // a segment of at most one MSS that carries it goes whatever cwnd says.
        boolean finalFin = tcb.finQueued && snd.unsentBytes() <= snd.currentMss();
        if (!ca.cwndAllows() && !finalFin && (snd.unsentBytes() > 0 || tcb.finQueued)) {
          cwndLimited = true;
          break;
        }
        if (!sendSegment(false, false, push, sent == 0)) break;
        sent++;
      }
      snd.newData.flushRun();
    } finally {
      snd.newData.runsEnded();
    }
    // tso_fragment: the skb the pass stopped in is cut where it stopped.
    snd.skbs.splitAt(plus(tcb.sndUna, snd.sentDataBytes()));
    ca.outputDone(sent, cwndLimited);
    // Linux __tcp_push_pending_frames: data left waiting with nothing in flight (held by
    // TCP_CORK or MSG_MORE) arms the probe timer (tcp_check_probe_timer), so it waits at most
    // about an RTO: TCP_CORK's "200 ms ceiling" of tcp(7).
    if (tcb.inFlight() == 0 && snd.unsentBytes() > 0) c.probes.armHeldDataProbe();
    // Linux tcp_write_xmit: rwnd limited while the next segment does not fit the peer's window
    // (tcp_snd_wnd_test).
    int next = Math.min(snd.unsentBytes(), snd.currentMss());
    if (next > 0 && next > tcb.sndWnd - distance(tcb.sndUna, tcb.sndNxt)) {
      snd.chrono.start(SendChrono.RWND_LIMITED, snd.nowMillis());
    } else {
      snd.chrono.stop(SendChrono.RWND_LIMITED, snd.nothingToSend(), snd.nowMillis());
    }
    // Linux tcp_cwnd_validate, after the above in tcp_write_xmit: send-buffer limited?
    snd.space.outputPassEnded(sent, ca.cwnd.isCwndLimited());
  }

  /**
   * A tail loss probe of new data (Linux tcp_write_xmit with push_one 2): one segment if the send
   * window allows, whatever cwnd and Nagle say. Returns whether one went.
   */
  boolean sendOneSegment() {
    return snd.maySendData() && !tcb.finSent && sentAlone(sendSegment(true, false, Push.ALL, true));
  }

  /**
   * Linux tcp_write_wakeup, from the probe timer with the peer's window open: what waits goes as
   * one segment with PSH, whatever a cork or MSG_MORE said. Returns whether one went.
   */
  boolean sendHeldData() {
    return snd.maySendData() && !tcb.finSent && snd.unsentBytes() > 0 && sentAlone(sendSegment(true, true, Push.ALL, true));
  }

  /** A segment sent on its own was cut off its skb (tso_fragment, tcp_fragment). */
  private boolean sentAlone(boolean sent) {
    if (sent) snd.skbs.splitAt(plus(tcb.sndUna, snd.sentDataBytes()));
    return sent;
  }

  /**
   * One segment of new data (or the FIN alone) under the send window, Nagle and SWS avoidance
   * ({@code probe}: Nagle off; {@code wakeup}: PSH on, as tcp_write_wakeup; {@code firstOfPass}: the
   * first of a tcp_write_xmit pass, so the first of an skb); false when nothing may go.
   */
  private boolean sendSegment(boolean probe, boolean wakeup, Push nagle, boolean firstOfPass) {
    int inFlightData = snd.sentDataBytes();
    int unsent = tcb.sendBuffer.size() - inFlightData;
    long usable = tcb.sndWnd - tcb.inFlight();
    if (unsent > 0) {
      int seq = tcb.sndNxt;
      int mss = snd.currentMss();
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
      // Linux __tcp_transmit_skb forces PSH on every skb of more than one segment (tcp_skb_pcount
      // > 1), so the last segment of a burst the pass ends early carries it too: one cut by
      // tcp_cwnd_test's quota (at most half of cwnd, and what cwnd leaves), by the window, by
      // Nagle or by the end of what is written. A burst of one segment goes without.
      if (!probe) {
        if (burstSegs == 0) burstLimit = cwndQuota();
        burstSegs++;
        boolean burstEnds = burstSegs >= burstLimit || len == unsent || recordEnd
            || !nextMayGo(unsent - len, usable - len, nagle);
        if (burstEnds && burstSegs >= 2) push = true;
        if (burstEnds || push) {
          burstSegs = 0;
          if (burstEnds) snd.skbs.splitAt(plus(seq, len));
        }
      }
      if (push) pushedSeq = plus(seq, len);
      int flags = TcpFlags.ACK | (push ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
      snd.newData.sendData(seq, inFlightData, len, flags, mss);
      tcb.sndNxt = plus(seq, len + (fin ? 1 : 0));
      if (len < mss) {
        smallSent = true;
        sndSml = tcb.sndNxt;
      }
      if (fin) tcb.finSent = true;
      newSegmentSent(seq, skbPush, firstOfPass || burstEnded);
      burstEnded = push;
      return true;
    }
    if (tcb.finQueued) {
      int seq = tcb.sndNxt;
      snd.newData.sendFin(seq);
      tcb.sndNxt = plus(seq, 1);
      tcb.finSent = true;
      // Linux tcp_send_fin: a FIN after data already sent gets an skb of its own.
      newSegmentSent(seq, false, true);
      return true;
    }
    return false;
  }

  /**
   * Linux tcp_cwnd_test: how many segments the next skb may carry, what cwnd leaves but at most
   * half of cwnd ("ensure we have at least 2 GSO packets in flight").
   */
  private int cwndQuota() {
    int cwnd = snd.congestionControl().cwnd();
    int inFlight = ca.queue.packetsInFlight();
    return Math.max(1, Math.min(Math.max(cwnd >> 1, 1), cwnd - inFlight));
  }

  /**
   * Whether this pass sends another segment after the present one, which leaves {@code unsent}
   * bytes and {@code usable} bytes of the peer's window: one that fits the window, as a full
   * segment or one SWS avoidance and Nagle let go ({@link #sendSegment}'s tests).
   */
  private boolean nextMayGo(int unsent, long usable, Push nagle) {
    int mss = snd.currentMss();
    int len = (int) Math.min(Math.min(unsent, mss), Math.max(0, usable));
    if (len <= 0) return false;
    return len >= mss || maySendSmall(len, unsent, nagle);
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
    long now = snd.now();
    snd.sendTimes.sent(seq, now);
    snd.acks.startTiming(seq);
    ca.sentNew(seq, tcb.sndNxt, pushed, startsSkb, now);
  }
}
