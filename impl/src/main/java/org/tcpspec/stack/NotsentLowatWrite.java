package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.cc.Pacing;

/**
 * A write under TCP_NOTSENT_LOWAT, as Linux's tcp_sendmsg_locked takes it: the bytes go into skbs
 * of tcp_xmit_size_goal bytes, the tail skb filled first while it has not left; before each new
 * skb the writer asks sk_stream_memory_free, which with a low-water mark (tcp_stream_memory_free,
 * wake 0) refuses once the bytes written but not sent reach it, and the write stops there
 * (wait_for_space: a non-blocking write returns what it took). Linux pushes each full skb at once
 * (tcp_push_one), so what the windows let go of it no longer counts as unsent for the next skb's
 * question; here the bytes go out once, after the write, as for any write (the segments and their
 * PSH bits stay those of {@link SendOutput}), and the question counts what the windows would have
 * let go. Without a low-water mark ({@link StackConfig#NOTSENT_LOWAT_NONE}) the question is always
 * yes and {@link Connection#writeNow} takes the write whole. One per connection.
 */
final class NotsentLowatWrite {
  private final Connection c;
  /** Where the skb at the write queue's tail starts (write_seq when it was made). */
  private int tailStart;

  NotsentLowatWrite(Connection c) {
    this.c = c;
  }

  /** {@link Connection#write} of {@code len > 0} bytes in a state that takes them; how many were taken. */
  int write(byte[] data, int off, int len, int flags) {
    SendSpace space = c.sender.space;
    int taken = 0;
    while (taken < len) {
      int tail = tailBytes();
      int room = sizeGoal() - tail;
      if (tail == 0 || room <= 0) {
        // new_segment: if (!sk_stream_memory_free(sk)) goto wait_for_space.
        if (!belowLowat()) {
          space.bufferFull();
          break;
        }
        tailStart = writeSeq();
        room = sizeGoal();
      }
      int chunk = Math.min(room, len - taken);
      boolean last = taken + chunk == len;
      int n = c.writeNow(data, off + taken, chunk, last ? flags : flags & ~Connection.END_OF_RECORD, false);
      if (n <= 0) break;
      taken += n;
      if (n < chunk) break;
    }
    if (taken > 0 && !c.deleted) {
      c.sender.output((flags & Connection.MORE) != 0 ? Sender.Push.CORK : Sender.Push.NAGLE);
    }
    return taken;
  }

  /**
   * tcp_stream_memory_free with wake 0 as the next skb's question sees it: the unsent bytes less
   * what cwnd and the peer's window would have let tcp_push_one send of them.
   */
  private boolean belowLowat() {
    long sendable = sendable();
    long notsent = Math.max(0, c.sender.unsentBytes() - sendable);
    return notsent < c.sender.space.notsentLowat();
  }

  /** What cwnd (in segments of the current MSS) and the peer's window let go now. */
  private long sendable() {
    return Math.max(0, Math.min(c.cwnd() * c.sender.currentMss(), c.tcb.sndWnd) - c.tcb.inFlight());
  }

  /** write_seq: the sequence number after the last byte written. */
  private int writeSeq() {
    return plus(c.tcb.sndUna, c.tcb.sendBuffer.size());
  }

  /** The unsent bytes of the tail skb: it lost what tcp_write_xmit sent of it (tso_fragment), and is gone once all of it left. */
  private int tailBytes() {
    long sendable = sendable();
    int unsent = (int) Math.max(0, c.sender.unsentBytes() - sendable);
    int inTail = writeSeq() - tailStart;
    return inTail < 0 ? 0 : Math.min(unsent, inTail);
  }

  /**
   * Linux tcp_xmit_size_goal: sk_gso_max_size bounded to half the largest window the peer offered
   * (tcp_bound_to_half_wnd), in whole segments of the current MSS, at least one.
   */
  private int sizeGoal() {
    int mss = c.sender.currentMss();
    long maxWindow = c.tcb.maxSndWnd;
    long cutoff = maxWindow > 536 ? maxWindow >> 1 : maxWindow;
    long goal = cutoff > 0 && Pacing.GSO_MAX_SIZE > cutoff ? Math.max(cutoff, 68 - 20) : Pacing.GSO_MAX_SIZE;
    return (int) Math.max(mss, goal / mss * mss);
  }
}
