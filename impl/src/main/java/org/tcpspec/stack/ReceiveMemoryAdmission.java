package org.tcpspec.stack;

import org.tcpspec.tcb.ReceiveBuffer;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;

/**
 * Whether the receive memory takes a segment's text, as Linux's tcp_data_queue asks
 * tcp_try_rmem_schedule: forced in order (sk_forced_mem_schedule), refused above the buffer
 * (tcp_can_ingest) until tcp_prune_queue made room by growing the buffer (tcp_clamp_window) or by
 * dropping out-of-order text (tcp_prune_ofo_queue), and charged to the stack's tcp_mem. Split from
 * {@link Receiver} so that the text's way into the buffer reads apart from the memory rules that
 * may refuse it; a refusal sets the receiver's ACK flags (the ACK at once that offers a zero
 * window, ICSK_ACK_NOMEM). Made once per receiver.
 */
final class ReceiveMemoryAdmission {
  private final Connection c;
  private final Tcb tcb;
  private final Receiver r;

  ReceiveMemoryAdmission(Connection c, Receiver r) {
    this.c = c;
    this.tcb = c.tcb;
    this.r = r;
  }

  /**
   * Whether the stack's memory takes this text (tcp_data_queue's tcp_try_rmem_schedule). Linux
   * charges in-order text by force when the receive queue is empty (sk_forced_mem_schedule), so a
   * reader always makes progress; so do we, and also for text with a FIN, which the table has
   * already taken (Linux drops the whole segment). Text refused is dropped and counted: in order,
   * with an ACK at once that offers a zero window; out of order, silently (tcp_data_queue_ofo).
   */
  boolean charged(SegmentView seg, long start, int len, boolean inOrder, boolean finTaken) {
    boolean forced = inOrder && (tcb.receiveBuffer.readable() == 0 || finTaken);
    if (forced || canIngest(start) && c.stack().memory().tryReceive(c, start, len)) return true;
    c.stack().memory().textDropped(inOrder);
    if (inOrder) {
      r.noMemory = true;
      r.ackOwed = true;
    }
    return false;
  }

  /**
   * tcp_try_rmem_schedule's socket check (Linux 6.18's tcp_can_ingest: the receive memory, skb
   * truesize, is at most sk_rcvbuf), and tcp_prune_queue when it fails: tcp_clamp_window grows a
   * buffer SO_RCVBUF did not fix to the memory held (up to tcp_rmem's max, out of memory pressure),
   * and with the memory still above the buffer offers at most two segments more; then out-of-order
   * text beyond {@code start} goes (tcp_prune_ofo_queue). Whether the text may be taken now.
   */
  boolean canIngest(long start) {
    ReceiveWindow window = r.window;
    ReceiveBuffer rb = tcb.receiveBuffer;
    if (window.rmemAlloc() <= window.rcvbuf()) return true;
    r.quickAcks = 0;
    StackMemory memory = c.stack().memory();
    int rmemMax = c.stack().config().rmemMax();
    if (window.rcvbuf() < rmemMax && !c.options.rcvBufLocked && !memory.underPressure()
        && memory.allocatedPages() < c.stack().config().tcpMem().low()) {
      int rcvbuf = (int) Math.min(window.rmemAlloc(), rmemMax);
      if (rcvbuf > window.rcvbuf()) {
        c.options.rcvBuf = rcvbuf;
        rb.resize(rcvbuf);
      }
    }
    if (window.rmemAlloc() > window.rcvbuf()) window.clampToMemory(r.advMss());
    boolean pruned = false;
    while (window.rmemAlloc() > window.rcvbuf() && rb.pruneOutOfOrder(start, Math.max(1, window.rcvbuf() >> 3)) > 0) {
      pruned = true;
    }
    if (pruned) r.sackReset();
    return window.rmemAlloc() <= window.rcvbuf();
  }
}
