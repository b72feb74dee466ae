package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.cc.CongestionControl;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;

/**
 * The sending half of a connection (gVisor's snd.go), the entry point the rest of the connection
 * calls. Split by concern into parts made once per connection: {@link SendOutput} (output of data
 * and FIN under the send window and cwnd, Nagle of RFC 9293 §3.7.4, PSH; Linux tcp_write_xmit),
 * {@link AckProcessing} (§3.10.7.4 fifth step: SND.UNA, the send window, RTT), {@link
 * SendTimeouts} (the retransmission timer's RTO, RFC 6298 and Karn, with Linux's give-up budgets),
 * {@link SegmentBuilder} (every segment's header and options, Linux tcp_transmit_skb, and the
 * segments that go alone: ACK, RST, probe, retransmission), {@link NewDataSegments} (an output
 * pass's new data and FIN, gathered into {@link SegmentRun}s) and {@link SynSegments} (the SYN and
 * SYN-ACK, Linux tcp_connect and tcp_send_syn_data). This class holds what is sent and what may
 * go, the clock reading of an output pass and the per-segment rings' size.
 * Loss detection and the response to it are {@link CaStateMachine}'s, which this sender asks what
 * cwnd allows and tells of every ACK; the receiver decides when an ACK is owed and the window
 * offered, {@link Probes} the zero-window and keep-alive probes.
 */
final class Sender {
  private final Connection c;
  private final Tcb tcb;
  private final CaStateMachine ca;
  final SendOutput out;
  final AckProcessing acks;
  final SendTimeouts timeouts;
  final SegmentBuilder segments;
  final NewDataSegments newData;
  final SynSegments syns;
  /** When each segment in flight was first sent: the give-up clock's start (see {@link SendTimes}). */
  final SendTimes sendTimes;
  final SendChrono chrono = new SendChrono();
  /** Whether the application waits for send-buffer room (SOCK_NOSPACE). */
  final SendSpace space;
  /** Linux's skbs over the send buffer, for its truesize accounting. */
  final SendSkbs skbs;

  Sender(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
    SegmentRingPool rings = c.stack().memory().segmentRings();
    this.sendTimes = new SendTimes(rings);
    this.ca = new CaStateMachine(c, this, tcb, rings);
    this.space = new SendSpace(c, this, tcb);
    this.skbs = new SendSkbs(tcb, rings);
    this.out = new SendOutput(c, this, ca);
    this.acks = new AckProcessing(c, this, ca);
    this.timeouts = new SendTimeouts(c, this, ca);
    this.segments = new SegmentBuilder(c, this, ca);
    this.newData = new NewDataSegments(c, this, ca);
    this.syns = new SynSegments(c, this, ca);
  }

  /** The handshake settled the MSS and SACK: the loss response starts for them (initial window). */
  void negotiated() {
    ca.negotiated(tcb.sackOk);
  }

  /**
   * Rings of at most this many segments are made for tcp_wmem's max at once, at establishment:
   * with a jumbo MSS that is a few KB (65 segments of 64,948 bytes for 4 MB), cheaper than growing
   * later on the data path.
   */
  static final int RINGS_AT_ONCE = 256;

  /**
   * The send buffer can now hold {@code bytes} and will grow on to {@code bound} as cwnd does: the
   * per-segment rings make room for {@code bound} in full-sized segments now, so that they do not
   * grow one doubling at a time as the flight does. The autotuning passes the buffer's own size at
   * establishment, and tcp_wmem's max once an ACK found cwnd filled: such a connection is a bulk
   * sender whose buffer goes on growing with cwnd (tcp_sndbuf_expand) up to that max, for seconds
   * when many connections share the path, so rings sized step by step allocated while its packets
   * flowed (issue 15, bench: 2.5-30 B per packet stack to kernel with 16 connections at MTU 1500).
   * Linux bounds a socket's send memory by tcp_wmem's max; these rings take about 30 bytes per
   * segment of it (120 KB for 4 MB at an MSS of 1448), so they are made for it at establishment
   * only when that is at most {@link #RINGS_AT_ONCE} segments: otherwise with 16 connections at MTU
   * 65000 some first found cwnd filled seconds into the transfer and grew then (bench: 30,352 bytes
   * on the loop's thread after warm-up). Rings that grew come from, and go back to, the stack's
   * {@link SegmentRingPool}.
   */
  void sendBufferGrew(int bytes, int bound) {
    int mss = Math.max(1, tcb.sndMss);
    int segments = Math.max(bytes, bound) / mss + 1;
    int most = c.stack().config().wmemMax() / mss + 1;
    if (most <= RINGS_AT_ONCE) segments = Math.max(segments, most);
    ca.queue.reserve(segments);
    sendTimes.reserve(segments);
    skbs.reserve(segments + 1);
  }

  /**
   * The sending is over (TIME-WAIT, or the connection is deleted): the per-segment rings give what
   * they grew to back to the stack's {@link SegmentRingPool}, for the next connection's growth.
   * Rings that still hold a segment keep theirs.
   */
  void releaseRings() {
    ca.queue.release();
    sendTimes.release();
    skbs.release();
  }

  CaStateMachine lossResponse() {
    return ca;
  }

  CongestionControl congestionControl() {
    return ca.congestionControl();
  }

  // ---------------------------------------------------------------- what is sent and what may go

  /**
   * Our SYN has been acknowledged. A flag, not SND.UNA > ISS: that modular comparison turns false
   * again once 2^31 bytes are acknowledged, which stopped all sending after 2 GiB. Set by {@link
   * AckProcessing}.
   */
  boolean ourSynAcked;

  /** CHOOSE_ISS: a new ISS, so a SYN not acknowledged yet. */
  void issChosen() {
    ourSynAcked = false;
  }

  boolean maySendData() {
    return switch (c.state()) {
      case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> ourSynAcked || c.fastOpen.child;
      // RFC 7413 §4.2.2 (Linux tcp_passive_fastopen): a Fast Open child may send before the ACK of its SYN-ACK.
      case SYN_RECEIVED -> c.fastOpen.child;
      case CLOSED, LISTEN, SYN_SENT, FIN_WAIT_2, TIME_WAIT -> false;
    };
  }

  /**
   * Data octets sent and not acknowledged: SND.NXT - SND.UNA less the FIN, and less our SYN while
   * it is unacknowledged (a Fast Open child sends data before its SYN-ACK is acknowledged).
   */
  int sentDataBytes() {
    boolean synOut = !ourSynAcked && tcb.sndNxt != tcb.iss;
    return distance(tcb.sndUna, tcb.sndNxt) - (tcb.finSent ? 1 : 0) - (synOut ? 1 : 0);
  }

  /** Bytes written and not yet sent. */
  int unsentBytes() {
    return tcb.sendBuffer.size() - sentDataBytes();
  }

  /** Nothing to send nor to have acknowledged (Linux tcp_rtx_and_write_queues_empty). */
  boolean nothingToSend() {
    return tcb.sendBuffer.size() == 0 && tcb.inFlight() == 0;
  }

  /** The right edge of the peer's window, SND.UNA + SND.WND. */
  int windowEnd() {
    return plus(tcb.sndUna, (int) Math.min(tcb.sndWnd, Integer.MAX_VALUE));
  }

  /**
   * The most text one segment of ours may carry now (Linux tcp_current_mss): SND.MSS, which already
   * counts the timestamp option, less the SACK option our segments carry while we hold
   * out-of-order text or owe a DSACK, so that no segment is larger than the MSS the peer offered
   * (RFC 9293 §3.7.1: Eff.snd.MSS counts the TCP options).
   */
  int currentMss() {
    return Math.max(1, tcb.sndMss - c.receiver.sackOptionBytes());
  }

  /** Retransmissions by the RTO since the last progress (Linux icsk_retransmits). */
  int retries() {
    return timeouts.retries;
  }

  /** A timeout proved spurious: the retransmissions so far do not count toward giving up. */
  void retriesCleared() {
    timeouts.retriesCleared();
  }

  /** RTOs fired (tcpi_total_rto). */
  int totalRto() {
    return timeouts.totalRto;
  }

  /** When the last acceptable ACK arrived (Linux rcv_tstamp). */
  long lastAckNanos() {
    return acks.lastAckNanos;
  }

  // ---------------------------------------------------------------- the parts' entry points

  /** PROCESS_ACK: the fifth step of §3.10.7.4 for {@code seg} ({@link AckProcessing}). */
  void processAck(SegmentView seg) {
    acks.processAck(seg);
  }

  /** See {@link SendTimeouts#retransmitTimerExpired}: true when the connection must give up. */
  boolean retransmitTimerExpired() {
    return timeouts.retransmitTimerExpired();
  }

  /**
   * What holds a short last segment in an output (Linux's nonagle argument of tcp_write_xmit):
   * Nagle and TCP_CORK; CORK, a MSG_MORE write's own push, holds it too; ALL, TCP_NAGLE_PUSH,
   * holds nothing.
   */
  enum Push { NAGLE, CORK, ALL }

  /** Sends what the windows, Nagle and the FIN allow, then a pure ACK if one is still owed. */
  void output() {
    out.output(Push.NAGLE);
  }

  /** {@link #output()} with {@code push} deciding what a short last segment waits for. */
  void output(Push push) {
    out.output(push);
  }

  /** A tail loss probe of new data: see {@link SendOutput#sendOneSegment}. */
  boolean sendOneSegment() {
    return out.sendOneSegment();
  }

  /** Linux tcp_write_wakeup: see {@link SendOutput#sendHeldData}. */
  boolean sendHeldData() {
    return out.sendHeldData();
  }

  /** Data was written ({@code more}: with MSG_MORE): see {@link SendOutput#written}. */
  void written(int unsentBefore, boolean more) {
    out.written(unsentBefore, more);
  }

  /** What was written so far ends a record (send with MSG_EOR): no segment will cross its end. */
  void endRecord() {
    out.endRecord();
  }

  /** Our SYN, or SYN-ACK {@code withAck}: see {@link SynSegments#sendSyn}. */
  void sendSyn(boolean withAck) {
    syns.sendSyn(withAck);
  }

  /** A promoted half-open connection's SYN-ACK: see {@link SynSegments#synAckSent}. */
  void synAckSent(long sentNanos, boolean timed, int windowField) {
    syns.synAckSent(sentNanos, timed, windowField);
  }

  /** Fast Open (tcp_rcv_fastopen_synack): see {@link SynSegments#synDataNotAcked}. */
  void synDataNotAcked() {
    syns.synDataNotAcked();
  }

  /** §3.10.5 ABORT's RST: see {@link SegmentBuilder#sendAbortRst}. */
  void sendAbortRst() {
    segments.sendAbortRst();
  }

  /** A zero-window or keep-alive probe (tcp_xmit_probe_skb): see {@link SegmentBuilder#sendProbe}. */
  void sendProbe() {
    segments.sendProbe();
  }

  /** [start, end) again as it first went (tcp_retransmit_skb): see {@link SegmentBuilder#retransmit}. */
  void retransmit(int start, int end, boolean pushed) {
    segments.retransmit(start, end, pushed);
  }

  /**
   * Path MTU discovery lowered SND.MSS (Linux tcp_simple_retransmit after tcp_sync_mss): what was
   * sent larger goes again at once ({@link NonCongestionLoss#simpleRetransmit}). In SYN-SENT only a
   * Fast Open SYN with data has anything to resend: Linux marks the whole queue lost (mss -1, so the
   * SYN whose data did not fit goes) and tcp_xmit_retransmit_queue sends the SYN alone, without the
   * data (no window for it yet) and without the Fast Open option (tcp_send_syn_data cleared it for
   * every SYN after the first), as the RTO would have.
   */
  void mtuReduced() {
    if (ourSynAcked) {
      ca.simpleRetransmit(currentMss());
    } else if (c.state() == State.SYN_SENT && c.fastOpen.synData > 0) {
      sendSyn(false);
      acks.stopTiming(); // Karn: an ACK of a retransmitted SYN is no sample.
      ca.armTimer(XmitTimer.RETRANSMISSION, tcb.rtt.rtoNanos());
    }
  }

  // ---------------------------------------------------------------- the clock

  /**
   * The clock's reading for the segments of one {@link SendOutput#output} pass, or {@link #NO_PASS}
   * outside one: Linux reads the clock once per tcp_write_xmit (tcp_mstamp_refresh into
   * tcp_clock_cache), and each skb of the pass takes its send time and TSval from that reading. A
   * read per segment was 14-16 % of the writing thread's samples over TUN at MTU 1500 (perf,
   * `tcpspec bench`): on this VM the vDSO's clock_gettime costs about as much as building the
   * segment.
   */
  private long passNanos = NO_PASS;

  private static final long NO_PASS = Long.MIN_VALUE;

  /** A pass begins: tcp_write_xmit's tcp_mstamp_refresh. */
  void passBegins() {
    passNanos = c.clock.nowNanos();
  }

  void passEnded() {
    passNanos = NO_PASS;
  }

  long now() {
    return passNanos != NO_PASS ? passNanos : c.clock.nowNanos();
  }

  long nowMillis() {
    return passNanos != NO_PASS ? passNanos / 1_000_000L : c.clock.nowMillis();
  }
}
