package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.lt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.tcb.ReceiveBuffer;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * What our segments report of the text the {@link Receiver} holds (gVisor's sack.go, on the
 * receiving side): the SACK blocks of RFC 2018 §4, the out-of-order ranges newest first, with a
 * DSACK first when a duplicate arrived (RFC 2883, Linux's tcp_dsack knob), and the bytes the option
 * takes, by which the sender sizes its segments.
 */
final class SackReport {
  private final Connection c;
  private final Tcb tcb;
  /** RFC 2883: a duplicate [dsackLeft, dsackRight) to report in the next segment's first SACK block. */
  private boolean dsackPending;
  private int dsackLeft;
  private int dsackRight;
  /**
   * The SACK blocks (left, right pairs, as {@link #write} orders them) the ACK of a FIN taken
   * in FIN-WAIT-1 or FIN-WAIT-2 reports once more, or null: Linux's tcp_fin sends that ACK itself
   * (tcp_send_ack) before tcp_data_queue's tcp_sack_remove drops the blocks the FIN's segment
   * made cumulative.
   */
  private int[] finAckSackBlocks;

  SackReport(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
  }

  /** tcp_sack_reset after out-of-order text was pruned: no DSACK is reported for it. */
  void reset() {
    dsackPending = false;
  }

  /**
   * SEND_OUT_OF_WINDOW_ACK for {@code seg}: Linux (tcp_send_dupack) reports the part of an old
   * segment's data below RCV.NXT as a DSACK in the ACK that answers it.
   */
  void unacceptable(SegmentView seg) {
    int len = seg.payloadLength();
    if (len == 0) return;
    int dataSeq = plus(seg.seq(), seg.has(TcpFlags.SYN) ? 1 : 0);
    if (lt(dataSeq, tcb.rcvNxt)) noteDuplicate(dataSeq, plus(dataSeq, len));
  }

  /**
   * RFC 2883 §4 as Linux's tcp_data_queue and tcp_data_queue_ofo report duplicates: the part of
   * [left, right) below RCV.NXT, or else the first part of it we already hold out of order.
   */
  void noteDuplicate(int left, int right) {
    if (!tcb.sackOk || !c.stack().config().tcpDsack()) return;
    if (lt(left, tcb.rcvNxt)) {
      dsack(left, lt(right, tcb.rcvNxt) ? right : tcb.rcvNxt);
      return;
    }
    if (!tcb.receiveBuffer.hasOutOfOrder()) return;
    ReceiveBuffer rb = tcb.receiveBuffer;
    long base = rb.nextOffset();
    for (int i = 0, n = rb.outOfOrderRangeCount(); i < n; i++) {
      int held0 = plus(tcb.rcvNxt, rb.outOfOrderRangeStart(i) - base);
      int held1 = plus(tcb.rcvNxt, rb.outOfOrderRangeEnd(i) - base);
      int from = lt(left, held0) ? held0 : left;
      int to = lt(right, held1) ? right : held1;
      if (lt(from, to)) {
        dsack(from, to);
        return;
      }
    }
  }

  private void dsack(int left, int right) {
    dsackPending = true;
    dsackLeft = left;
    dsackRight = right;
  }

  /**
   * RFC 2018 §4: a pending DSACK first (RFC 2883), then the out-of-order ranges we hold, newest
   * first, as many as fit beside the timestamp. Only while a hole exists (loss or reordering) or a
   * duplicate arrived: the ranges list may allocate.
   */
  void write(OutboundSegment o) {
    if (!tcb.sackOk) return;
    // optionBytes() must count what this writes: the sender sizes segments by it.
    if (dsackPending) {
      // Linux (tcp_options_write): the DSACK goes once, in the first block.
      o.sackBlock(dsackLeft, dsackRight);
      dsackPending = false;
    }
    if (finAckSackBlocks != null) {
      for (int i = 0; i < finAckSackBlocks.length && o.sackBlockCount() < (tcb.tsOk ? 3 : 4); i += 2) {
        o.sackBlock(finAckSackBlocks[i], finAckSackBlocks[i + 1]);
      }
      finAckSackBlocks = null;
      return;
    }
    if (!tcb.receiveBuffer.hasOutOfOrder()) return;
    // The held ranges, highest first, read in place (this runs for every segment sent while a hole
    // is open: nothing allocated).
    ReceiveBuffer rb = tcb.receiveBuffer;
    long base = rb.nextOffset();
    for (int i = rb.outOfOrderRangeCount() - 1; i >= 0 && o.sackBlockCount() < (tcb.tsOk ? 3 : 4); i--) {
      o.sackBlock(plus(tcb.rcvNxt, rb.outOfOrderRangeStart(i) - base), plus(tcb.rcvNxt, rb.outOfOrderRangeEnd(i) - base));
    }
  }

  /**
   * A FIN is taken in FIN-WAIT-1 or FIN-WAIT-2 with out-of-order text held: its ACK reports the
   * held ranges as they were (see {@link #finAckSackBlocks}).
   */
  void keepForFinAck() {
    finAckSackBlocks = heldSackBlocks();
  }

  /** The out-of-order ranges held, highest first, as sequence number pairs (left, right). */
  private int[] heldSackBlocks() {
    ReceiveBuffer rb = tcb.receiveBuffer;
    long base = rb.nextOffset();
    int n = rb.outOfOrderRangeCount();
    int[] blocks = new int[2 * n];
    for (int i = 0; i < n; i++) {
      blocks[2 * i] = plus(tcb.rcvNxt, rb.outOfOrderRangeStart(n - 1 - i) - base);
      blocks[2 * i + 1] = plus(tcb.rcvNxt, rb.outOfOrderRangeEnd(n - 1 - i) - base);
    }
    return blocks;
  }

  /**
   * The bytes the SACK option of our next segment takes, 0 when it carries none: two NOPs, kind
   * and length, and 8 per block, as many as {@link #write} writes (Linux
   * tcp_established_options, TCPOLEN_SACK_BASE_ALIGNED + TCPOLEN_SACK_PERBLOCK each).
   */
  int optionBytes() {
    if (!tcb.sackOk) return 0;
    int held = finAckSackBlocks != null ? finAckSackBlocks.length / 2 : tcb.receiveBuffer.outOfOrderRangeCount();
    int blocks = (dsackPending ? 1 : 0) + held;
    blocks = Math.min(blocks, tcb.tsOk ? 3 : 4);
    return blocks == 0 ? 0 : 4 + 8 * blocks;
  }
}
