package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.lt;

/**
 * Tail loss probes (RFC 8985 §7) as Linux schedules and sends them (tcp_schedule_loss_probe,
 * tcp_send_loss_probe, tcp_process_tlp_ack): with SACK and nothing under repair, a probe timeout
 * of 2 SRTT (plus the delayed-ACK allowance when one segment is out, the connection's minimum RTO,
 * 200 ms unless TCP_RTO_MIN_US or tcp_rto_min_us changed it; plus 2 ms
 * otherwise) replaces the RTO; when it fires, new data goes if the window allows, else the tail of
 * the last skb again (cut at the current MSS), so the ACK it draws lets RACK or fast recovery
 * repair a lost tail instead of the RTO. One probe at a time; an ACK beyond the probe with the probe retransmitted means a loss
 * was repaired and cwnd is reduced once (Linux's CWR).
 */
final class TailLossProbe {
  /** Linux TCP_TIMEOUT_MIN_US. */
  private static final long MIN_NANOS = 2_000_000L;
  /** Linux TCP_TIMEOUT_INIT: the probe timeout without an RTT sample. */
  private static final long NO_RTT_NANOS = 1_000_000_000L;

  private final CaStateMachine ca;
  /** RFC 8985 TLP.end_seq (Linux tlp_high_seq): SND.NXT when the probe went; 0 when none is out. */
  private int highSeq;
  private boolean out;
  /** The probe was a retransmission (Linux tlp_retrans), not new data. */
  private boolean retransmitted;

  TailLossProbe(CaStateMachine ca) {
    this.ca = ca;
  }

  /** A probe is out and its outcome not yet known. */
  boolean outstanding() {
    return out;
  }

  boolean retransmitted() {
    return retransmitted;
  }

  int highSeq() {
    return highSeq;
  }

  /** A new episode (recovery or timeout) forgets the probe (Linux tlp_high_seq = 0). */
  void forget() {
    out = false;
  }

  /**
   * Linux tcp_schedule_loss_probe: arms the probe timer in place of the RTO when a probe may go;
   * {@code advancingRto}: the RTO would be rearmed from now. Returns whether it armed.
   */
  boolean schedule(boolean advancingRto) {
    int earlyRetrans = ca.config().tcpEarlyRetrans();
    if ((earlyRetrans != 3 && earlyRetrans != 4) || ca.queue.size() == 0 || !ca.sack()) return false;
    if (ca.state() != CaState.OPEN && ca.state() != CaState.CWR) return false;
    long srtt = ca.srttNanos();
    long timeout;
    if (srtt > 0) {
      // RFC 8985 §7.2's WCDelAckT for a lone segment: Linux takes the connection's minimum RTO
      // (tcp_rto_min_us).
      timeout = 2 * srtt + (ca.queue.size() == 1 ? ca.minRtoNanos() : MIN_NANOS);
    } else {
      timeout = NO_RTT_NANOS;
    }
    long rtoDelta = advancingRto ? ca.rtoNanos() : ca.timer.rtoDeltaNanos();
    if (rtoDelta > 0) timeout = Math.min(timeout, rtoDelta);
    ca.timer.arm(XmitTimer.LOSS_PROBE, timeout);
    return true;
  }

  /** Linux tcp_send_loss_probe: the probe timer fired. */
  void send() {
    if (!out) {
      retransmitted = false;
      boolean sent = ca.sendNewSegmentAsProbe();
      if (!sent && ca.queue.size() > 0) {
        ca.retransmissions.retransmitTailAsProbe();
        retransmitted = true;
        sent = true;
      }
      if (sent) {
        highSeq = ca.sndNxt();
        out = true;
        ca.timer.clearPending();
      }
    }
    ca.timer.rearmRto();
  }

  /** Linux tcp_process_tlp_ack: what an ACK of {@code ack} says about the probe. */
  void onAck(int ack, AckSample s) {
    if (!out || lt(ack, highSeq)) return;
    if (!retransmitted) {
      out = false; // The probe was new data, and it was acknowledged.
    } else if (s.dsackTlp) {
      out = false; // Original and probe both arrived: no loss.
    } else if (gt(ack, highSeq)) {
      // The probe repaired a loss: reduce cwnd once (Linux enters CWR and leaves it at once).
      out = false;
      ca.states.lossRepairedByProbe();
    } else if (!(s.sndUnaAdvanced || s.carriedData || s.windowUpdate || s.dataAcked || s.dataSacked)) {
      out = false; // A pure duplicate ACK: original and probe both arrived.
    }
  }
}
