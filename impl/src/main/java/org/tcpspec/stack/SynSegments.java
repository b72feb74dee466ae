package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.tcb.TimerKind;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.TcpFlags;

/**
 * The {@link Sender}'s SYN and SYN-ACK (RFC 9293 §3.5; Linux tcp_connect, tcp_send_syn_data,
 * tcp_ecn_send_syn, tcp_ecn_send_synack): their options, ECN's setup flags (RFC 3168 §6.1.1) and
 * a Fast Open SYN's data (RFC 7413 §4.2.1), with what the first one starts (SND.NXT past it, the
 * first RTT sample, its send time); the SYN-ACK of a half-open connection promoted from the
 * listener's SYN queue; and the Fast Open data a SYN-ACK left unacknowledged. One per connection.
 */
final class SynSegments extends SenderPart {
  /** When our first SYN went, with whatever data it carried. */
  private long synSentNanos;

  SynSegments(Connection c, Sender snd, CaStateMachine ca) {
    super(c, snd, ca);
  }

  /**
   * Our SYN, or our SYN-ACK {@code withAck}, the first or one sent again (Linux tcp_connect,
   * tcp_make_synack): the first takes SND.NXT past it and its data; the retransmission timer is
   * armed unless it runs.
   */
  void sendSyn(boolean withAck) {
    int flags = withAck ? TcpFlags.SYN | TcpFlags.ACK : TcpFlags.SYN;
    // RFC 3168 §6.1.1. Linux tcp_ecn_send_syn: with tcp_ecn 1 the first SYN is an ECN-setup SYN;
    // one sent again goes without (tcp_ecn_clear_syn, tcp_ecn_fallback). tcp_ecn_send_synack: a
    // SYN-ACK carries ECE when ECN was agreed.
    boolean firstSyn = !withAck && tcb.sndNxt == tcb.iss && snd.retries() == 0;
    if (firstSyn && c.stack().config().tcpEcn() == StackConfig.ECN_ALWAYS) {
      tcb.ecnSetupSent = true;
      flags |= TcpFlags.ECE | TcpFlags.CWR;
    }
    if (withAck && tcb.ecnOk) flags |= TcpFlags.ECE;
    long nowMillis = c.clock.nowMillis();
    OutboundSegment syn =
        snd.segments.segment(tcb.iss, flags).options(Handshake.synOptions(c, withAck, nowMillis));
    if (!withAck && tcb.sndNxt == tcb.iss) {
      // Linux tcp_connect: retrans_stamp, the first SYN's time, bounds the TSecr a SYN-ACK may echo.
      tcb.synTimestamped = c.stack().config().timestamps();
      tcb.synTsVal = (int) nowMillis;
    }
    // RFC 7413 §4.2.1 (Linux tcp_send_syn_data): the first SYN of a Fast Open carries the data
    // ACTIVE_OPEN_FAST_OPEN queued; a SYN sent again carries neither data nor the option.
    int synData = !withAck && tcb.sndNxt == tcb.iss && c.fastOpen.requested ? tcb.sendBuffer.size() : 0;
    if (synData > 0) syn.payloadFrom(tcb.sendBuffer, 0, synData).repeated(); // may be sent again: copied
    snd.segments.emit(syn);
    c.fastOpen.synCookie(null);
    if (tcb.sndNxt == tcb.iss) {
      c.fastOpen.synData = synData;
      tcb.sndNxt = plus(tcb.iss, 1 + synData);
      // The handshake gives the first RTT sample (RFC 6298 §2.2); Linux takes it from the SYN or
      // SYN-ACK when it was not retransmitted (tcp_synack_rtt_meas, tcp_ack_update_rtt).
      snd.acks.startTiming(tcb.iss);
      synSentNanos = snd.now();
      snd.sendTimes.sent(tcb.iss, synSentNanos);
    }
    snd.out.pushedTo(tcb.sndNxt);
    tcb.timers.armIfIdle(TimerKind.RETRANSMIT, snd.now() + tcb.rtt.rtoNanos());
  }

  /**
   * A half-open connection was promoted: its SYN-ACK went out at {@code sentNanos} as {@link
   * #sendSyn} would have recorded it, timed for the first RTT sample unless it was sent again
   * (Karn) or never kept (a cookie); {@code windowField} is the window it offered.
   */
  void synAckSent(long sentNanos, boolean timed, int windowField) {
    snd.sendTimes.sent(tcb.iss, sentNanos);
    snd.out.pushedTo(tcb.sndNxt);
    c.receiver.synWindowAdvertised(windowField);
    if (timed) snd.acks.timingFrom(plus(tcb.iss, 1), sentNanos);
  }

  /**
   * The SYN-ACK left some of our SYN's data unacknowledged. Linux tcp_send_syn_data queued that
   * data as an skb of its own (ACK and PSH) beside the SYN, sent with it; tcp_rcv_fastopen_synack
   * marks it lost (tcp_mark_skb_lost) and retransmits it (tcp_non_congestion_loss_retransmit),
   * which tcpi_retrans and tcpi_total_retrans count. It keeps the SYN's send time until then.
   */
  void synDataNotAcked() {
    ca.synDataLost(tcb.sndNxt, synSentNanos);
    snd.out.synDataNotAcked();
  }
}
