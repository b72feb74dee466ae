package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.TcpFlags;

/**
 * Builds every segment the {@link Sender} sends on the stack's one reusable {@link
 * OutboundSegment} (Linux tcp_transmit_skb: the ACK field and the window offered, URG, ECN's flags
 * and codepoint, TOS and TTL, then the timestamp and SACK options) and hands it to the stack; and
 * sends the segments that go alone: the pure ACK (tcp_send_ack), the abort's RST
 * (tcp_send_active_reset), a probe (tcp_xmit_probe_skb) and a retransmission (tcp_retransmit_skb).
 * New data goes through {@link NewDataSegments}, SYNs through {@link SynSegments}. One per
 * connection.
 */
final class SegmentBuilder extends SenderPart {
  SegmentBuilder(Connection c, Sender snd, CaStateMachine ca) {
    super(c, snd, ca);
  }

  /** A segment without new data: {@link #segment(int, int, int, boolean)}. */
  OutboundSegment segment(int seq, int flags) {
    return segment(seq, flags, 0, false);
  }

  /**
   * Starts the stack's reusable outbound segment, which will carry {@code payloadLength} bytes,
   * {@code newData} when they go for the first time; the caller adds options and payload, then
   * emits it.
   */
  OutboundSegment segment(int seq, int flags, int payloadLength, boolean newData) {
    FourTuple t = c.tuple;
    boolean ack = (flags & TcpFlags.ACK) != 0;
    int field = c.receiver.windowField((flags & TcpFlags.SYN) != 0);
    if (ack) c.receiver.ackSent();
    boolean ipv6 = !t.remoteAddr().isIpv4();
    // RFC 9293 §3.8.5: URG and the urgent pointer on every segment before SND.UP (Linux tcp_transmit_skb).
    int urgentPointer = c.urgent.pointerFor(seq);
    // RFC 3168 §6.1.3: ECE on every segment after a CE mark until the peer's CWR (Linux tcp_ecn_send).
    if (tcb.ecnDemandCwr && (flags & TcpFlags.SYN) == 0) flags |= TcpFlags.ECE;
    // RFC 3168 §6.1.2, §6.1.4, §6.1.5: ECT(0) on new data only (Linux tcp_ecn_send); not on a SYN.
    if (tcb.ecnOk && (flags & TcpFlags.SYN) == 0) {
      boolean ect = SocketOptions.ect(payloadLength, newData);
      c.options.ecnTransmit(ect);
      // RFC 3168 §6.1.2: after a window reduction, CWR on the first new data only, never on a
      // retransmission or a pure ACK (Linux tcp_ecn_send takes TCP_ECN_QUEUE_CWR there).
      if (ect && tcb.ecnQueueCwr) {
        tcb.ecnQueueCwr = false;
        flags |= TcpFlags.CWR;
      }
    }
    return c.stack().outboundSegment().reset(t.localAddr(), t.remoteAddr(), t.localPort(), t.remotePort(), seq,
        ack ? tcb.rcvNxt : 0, urgentPointer >= 0 ? flags | TcpFlags.URG : flags, field)
        .ip(c.options.ipTos(ipv6), c.options.ipTtl(ipv6)).urgentPointer(Math.max(urgentPointer, 0));
  }

  /** Per-segment options after the handshake: timestamps (RFC 7323 §3) and SACK blocks (RFC 2018 §4). */
  OutboundSegment withOptions(OutboundSegment o) {
    if (tcb.tsOk) o.timestamp((int) snd.nowMillis(), tcb.tsRecent);
    c.receiver.sackBlocks(o);
    return o;
  }

  /**
   * A segment of {@link #withOptions} carrying {@code len} bytes of the send buffer from {@code
   * from}, {@code newData} when they go for the first time.
   */
  OutboundSegment dataSegment(int seq, int flags, int from, int len, boolean newData) {
    return withOptions(segment(seq, flags, len, newData)).payloadFrom(tcb.sendBuffer, from, len);
  }

  void emit(OutboundSegment s) {
    assert !snd.newData.runPending() : "a segment was built while a run was pending: the run goes first";
    c.stack().transmit(s);
  }

  /** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> now. */
  void sendAckNow() {
    emit(withOptions(segment(tcb.sndNxt, TcpFlags.ACK)));
  }

  /**
   * §3.10.5 ABORT. Linux: the RST carries ACK and RCV.NXT, and timestamps when the connection uses
   * them (tcp_send_active_reset builds it with tcp_transmit_skb's options).
   */
  void sendAbortRst() {
    OutboundSegment rst = segment(tcb.sndNxt, TcpFlags.RST | TcpFlags.ACK);
    if (tcb.tsOk) rst.timestamp((int) c.clock.nowMillis(), tcb.tsRecent);
    emit(rst);
  }

  /** A zero-window or keep-alive probe, Linux's form: <SEQ=SND.UNA-1><CTL=ACK>, no data (tcp_xmit_probe_skb). */
  void sendProbe() {
    emit(withOptions(segment(plus(tcb.sndUna, -1), TcpFlags.ACK)));
  }

  /**
   * Sends [start, end) again as it first went: its data, and the FIN when it ends there. Linux
   * retransmits a segment with the flags it first had (tcp_retransmit_skb sends the skb, whose
   * tcp_flags keep the PSH tcp_mark_push or forced_push gave it): PSH when {@code pushed} and the
   * segment goes to its end (a record's end, MSG_EOR, always went with PSH).
   */
  void retransmit(int start, int end, boolean pushed) {
    int seq = lt(start, tcb.sndUna) ? tcb.sndUna : start;
    int offset = distance(tcb.sndUna, seq);
    int dataEnd = distance(tcb.sndUna, tcb.sndNxt) - (tcb.finSent ? 1 : 0);
    int n = Math.max(0, Math.min(distance(seq, end), dataEnd - offset));
    boolean fin = tcb.finSent && offset + n == dataEnd && end == tcb.sndNxt;
    if (n <= 0 && !fin) return;
    boolean push = n > 0 && pushed && plus(seq, n + (fin ? 1 : 0)) == end;
    int flags = TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (push ? TcpFlags.PSH : 0);
    c.txTimestamps.transmitted(seq, n, snd.now());
    emit(dataSegment(seq, flags, offset, n, false).repeated());
    snd.acks.stopTiming(); // Karn: never time a retransmitted segment.
  }
}
