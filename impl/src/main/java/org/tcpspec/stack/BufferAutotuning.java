package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.tcb.ReceiveBuffer;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;

/**
 * Linux's buffer autotuning for one connection, as Linux 6.18 does it. The receive buffer grows with
 * what the application reads per round trip (dynamic right-sizing: tcp_rcv_space_adjust and
 * tcp_rcvbuf_grow, the round trip measured by the receiver as tcp_rcv_rtt_measure and
 * tcp_rcv_rtt_measure_ts do), up to tcp_rmem's max, unless
 * tcp_moderate_rcvbuf is 0 or the application set SO_RCVBUF (SOCK_RCVBUF_LOCK); the send buffer
 * grows to twice the congestion window (tcp_sndbuf_expand, at establishment and whenever an ACK
 * frees room while cwnd is not filled, tcp_new_space), up to tcp_wmem's max, unless the
 * application set SO_SNDBUF (SOCK_SNDBUF_LOCK). Buffers only grow, as in Linux.
 *
 * <p>Our buffers count payload bytes, and the window is offered from Linux's receive-memory
 * accounting ({@link ReceiveWindow}): the buffer a round's window needs is tcp_space_from_win of it
 * at the learned scaling ratio, and window_clamp follows the buffer. The send side keeps Linux's
 * per-segment memory estimate, so the send buffer reaches the sizes Linux's does.
 */
final class BufferAutotuning {
  /** Linux TCP_INIT_CWND: the first measure of the receive space is at most ten segments. */
  private static final int TCP_INIT_CWND = 10;
  /** Linux MAX_TCP_HEADER on x86-64 (128 + MAX_HEADER), in tcp_sndbuf_expand's per-segment memory. */
  private static final int MAX_TCP_HEADER = 320;
  /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64. */
  private static final int SKB_SHARED_INFO = 320;
  /** SKB_DATA_ALIGN(sizeof(struct sk_buff)) on x86-64. */
  private static final int SK_BUFF = 256;

  private final Connection c;
  private final Tcb tcb;

  /** rcv_rtt_est.rtt_us: the receiver's round-trip estimate in microseconds times 8; 0 unmeasured. */
  private long rcvRttUs8;
  /** rcv_rtt_est.seq and .time: the window-based measure ends when RCV.NXT passes this. */
  private int rcvRttSeq;
  private long rcvRttStartNanos;
  private boolean rcvRttStarted;
  /** rcv_rtt_last_tsecr: one timestamp sample per echoed value. */
  private int rcvRttLastTsecr;

  /** rcvq_space.space: the most the application read in one round trip so far. */
  private int rcvqSpace;
  /** rcvq_space.seq as a stream offset: what the application had read when this round began. */
  private long rcvqCopied;
  /** rcvq_space.time. */
  private long rcvqStartNanos;
  private boolean started;

  BufferAutotuning(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
  }

  /**
   * tcp_init_buffer_space at establishment: the first receive space is the window offered, at most
   * ten segments; the send buffer takes its first expansion.
   */
  void established() {
    rcvqSpace = c.receiver.window.established(advMss(), tcb.rcvWscale, c.options.rcvBufLocked);
    rcvqCopied = copiedOffset();
    rcvqStartNanos = c.clock.nowNanos();
    started = true;
    if (!c.options.sndBufLocked) expandSendBuffer(false);
  }

  /** tcpi_rcv_rtt: the receiver's round-trip estimate in microseconds, 0 unmeasured. */
  long rcvRttMicros() {
    return rcvRttUs8 >> 3;
  }

  /** tcpi_rcv_space: the most the application read in one receiver round trip so far (rcvq_space.space). */
  int rcvSpace() {
    return rcvqSpace;
  }

  /**
   * In-order text arrived (tcp_event_data_recv's tcp_rcv_rtt_measure, and tcp_rcv_established's
   * tcp_rcv_rtt_measure_ts): a round-trip sample from the window (the time for RCV.NXT to pass the
   * edge offered when the measure began) or from the echoed timestamp of a full-sized segment. Our
   * timestamps count milliseconds: as Linux 6.16+ (d59fc95be9d0, "tcp: remove zero TCP TS samples
   * for autotuning"), a timestamp sample of 0 ms is no sample, not 1 ms, so a sub-millisecond path
   * is measured by the window alone.
   */
  void textReceived(SegmentView seg, int len, int rcvMss) {
    long now = c.clock.nowNanos();
    if (!rcvRttStarted || !lt(tcb.rcvNxt, rcvRttSeq)) {
      if (rcvRttStarted) rcvRttUpdate(Math.max(1, (now - rcvRttStartNanos) / 1000), true);
      rcvRttSeq = plus(tcb.rcvNxt, c.receiver.window.rcvWnd());
      rcvRttStartNanos = now;
      rcvRttStarted = true;
    }
    if (!tcb.tsOk || !seg.hasTimestamp() || seg.tsEcr() == 0 || seg.tsEcr() == rcvRttLastTsecr) return;
    rcvRttLastTsecr = seg.tsEcr();
    if (len < rcvMss) return;
    // tcp_rtt_tsopt_us(tp, 0): a delta of 0 ms gives no sample.
    long deltaMillis = (int) c.clock.nowMillis() - seg.tsEcr();
    if (deltaMillis > 0) rcvRttUpdate(deltaMillis * 1000, false);
  }

  /**
   * tcp_rcv_rtt_update as Linux 6.16+ (b879dcb1aeec, a00f135cd986): the estimate seeks the
   * minimum; a sample below it is taken at once, a larger one only from a timestamp and only while
   * the receive queue is empty (otherwise it measures how slowly the application reads), smoothed
   * by 1/8.
   */
  private void rcvRttUpdate(long sampleUs, boolean windowBased) {
    long m = sampleUs << 3;
    if (rcvRttUs8 == 0 || m < rcvRttUs8) {
      rcvRttUs8 = m;
      return;
    }
    if (windowBased || tcb.receiveBuffer.readable() != 0) return;
    rcvRttUs8 = rcvRttUs8 - (rcvRttUs8 >> 3) + sampleUs;
  }

  /**
   * tcp_rcv_space_adjust, after the application read: once per receiver round trip, the bytes read
   * in it (less those still queued); when that beats the largest such round so far, tcp_rcvbuf_grow.
   */
  void read() {
    if (!started || rcvRttUs8 == 0) return;
    long now = c.clock.nowNanos();
    if ((now - rcvqStartNanos) / 1000 < (rcvRttUs8 >> 3)) return;
    long copied = copiedOffset() - rcvqCopied - tcb.receiveBuffer.readable();
    if (copied > rcvqSpace) rcvbufGrow((int) copied);
    rcvqCopied = copiedOffset();
    rcvqStartNanos = now;
  }

  /**
   * tcp_rcvbuf_grow of Linux 6.18: the new largest round's bytes become the receive space, and the
   * buffer grows to twice them ("DRS is always one RTT late"), plus twice that again in proportion
   * to the growth over the previous largest round (the sender may still double its rate each round
   * trip, slow start), at most tcp_rmem's max; unless tcp_moderate_rcvbuf is 0 or SO_RCVBUF locked
   * it. The buffer is the memory that window takes (tcp_space_from_win at the learned ratio).
   */
  private void rcvbufGrow(int newval) {
    int oldval = rcvqSpace;
    rcvqSpace = newval;
    if (!c.stack().config().moderateRcvbuf() || c.options.rcvBufLocked) return;
    long rcvwin = (long) newval << 1;
    long grow = rcvwin * (newval - oldval) / Math.max(1, oldval);
    rcvwin += grow << 1;
    if (tcb.receiveBuffer.hasOutOfOrder()) rcvwin += outOfOrderReach();
    ReceiveWindow window = c.receiver.window;
    int rcvbuf = (int) Math.min(window.spaceFromWin(rcvwin), c.stack().config().rmemMax());
    if (rcvbuf > c.options.rcvBuf) {
      tcb.receiveBuffer.resize(rcvbuf);
      c.options.rcvBuf = rcvbuf;
      // "Make the window clamp follow along."
      window.rcvbufGrew(rcvbuf);
    }
  }

  /**
   * tcp_data_queue_ofo of Linux 6.18 (63ad7dfedfae, "tcp: adjust rcvbuf in presence of reorders"):
   * out-of-order text queued grows the buffer to cover what the peer has sent past the hole, at the
   * receive space measured so far; not for a child not yet accepted or an orphan (no sk_socket), so
   * that a busy listener's accept queue keeps to tcp_rmem's default.
   */
  void outOfOrderQueued() {
    if (started && c.hasSocket()) rcvbufGrow(rcvqSpace);
  }

  /**
   * tcp_new_space, which tcp_check_space calls only while the application waits for room
   * (SOCK_NOSPACE, {@link SendSpace#checkSpace}): tcp_should_expand_sndbuf (not with SO_SNDBUF set,
   * not under memory pressure, not with cwnd filled), then tcp_sndbuf_expand.
   */
  void newSpace() {
    if (c.options.sndBufLocked || c.stack().memory().underPressure()) return;
    if (!c.sender.lossResponse().cwndAllows()) return;
    expandSendBuffer(true);
  }

  /**
   * tcp_sndbuf_expand: room for twice max(cwnd, ten, reordering + 1) segments, each as much memory
   * as Linux allocates for one non-TSO segment (its payload and headers rounded up to a power of two,
   * plus the sk_buff). {@code onAck}: an ACK freed room with cwnd filled (tcp_new_space), not the
   * first expansion at establishment.
   */
  private void expandSendBuffer(boolean onAck) {
    int perMss = Integer.highestOneBit(Math.max(1, tcb.sndMss + MAX_TCP_HEADER + SKB_SHARED_INFO) - 1) << 1;
    perMss += SK_BUFF;
    CaStateMachine ca = c.sender.lossResponse();
    int segments = Math.max(Math.max(TCP_INIT_CWND, ca.congestionControl().cwnd()), ca.reordering() + 1);
    long sndmem = 2L * segments * perMss;
    if (tcb.sendBuffer.capacity() < sndmem) {
      int sndbuf = (int) Math.min(sndmem, c.stack().config().wmemMax());
      if (sndbuf > tcb.sendBuffer.capacity()) {
        tcb.sendBuffer.resize(sndbuf);
        c.options.sndBuf = sndbuf;
        c.sender.sendBufferGrew(sndbuf, onAck ? c.stack().config().wmemMax() : sndbuf);
      }
    }
  }

  /**
   * tcp_measure_rcv_mss after a new scaling ratio moved window_clamp to {@code clamp}: the receive
   * space measured so far is at most that (Linux 6.15's "tcp: adjust rcvq_space after updating
   * scaling ratio").
   */
  void clampSpace(int clamp) {
    if (clamp < rcvqSpace) rcvqSpace = clamp;
  }

  /**
   * How far the out-of-order text reaches past RCV.NXT (tcp_rcvbuf_grow 6.18: the buffer also
   * covers what the peer has sent past a hole, ooo_last_skb's end_seq - rcv_nxt).
   */
  private long outOfOrderReach() {
    ReceiveBuffer rb = tcb.receiveBuffer;
    int n = rb.outOfOrderRangeCount();
    return n == 0 ? 0 : rb.outOfOrderRangeEnd(n - 1) - rb.nextOffset();
  }

  /** copied_seq as a stream offset: the next byte the application will read. */
  private long copiedOffset() {
    return tcb.receiveBuffer.nextOffset() - tcb.receiveBuffer.readable();
  }

  /** Linux tp->advmss ({@link org.tcpspec.tcb.Tcb#advMss}); before we offered one, the device's MSS. */
  private int advMss() {
    return tcb.advMss > 0 ? tcb.advMss : c.stack().localMss(c.tuple.remoteAddr());
  }
}
