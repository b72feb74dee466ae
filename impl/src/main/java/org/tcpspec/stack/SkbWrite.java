package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;
import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.plus;

import org.tcpspec.cc.Pacing;

/**
 * A write as Linux's tcp_sendmsg_locked takes it: the bytes go into skbs of tcp_xmit_size_goal
 * bytes, the unsent tail skb topped up first; only before each new skb does the writer ask
 * sk_stream_memory_free, whether the send buffer's memory (sk_wmem_queued, {@link SendSkbs}: each
 * skb's truesize) is below SO_SNDBUF (sk_sndbuf) and, with a low-water mark, fewer than
 * TCP_NOTSENT_LOWAT bytes wait unsent (tcp_stream_memory_free, wake 0); the write stops at the
 * first no (wait_for_space: a non-blocking write returns what it took). So a write may take up to
 * an skb past SO_SNDBUF, and an skb that left in part is topped up again without asking.
 *
 * <p>Linux pushes each full skb as it goes (tcp_push_one when it is the first unsent one, all that
 * waits once more than half the peer's largest window was written since the last push:
 * forced_push, tcp_mark_push); what the windows let go of it then is cut off it (tso_fragment)
 * and no longer unsent. Here the bytes go out once, after the write, as for any write (the
 * segments and their PSH bits stay those of {@link SendOutput}); the write follows where Linux's
 * pushes would have cut its skbs and how far they would have sent. One per connection.
 */
final class SkbWrite {
  private final Connection c;
  /** Linux pushed_seq as tcp_mark_push leaves it: write_seq at the last push of a write. */
  private int markedSeq;
  private boolean marked;

  SkbWrite(Connection c) {
    this.c = c;
  }

  /** {@link Connection#write} of {@code len > 0} bytes in a state that takes them; how many were taken. */
  int write(byte[] data, int off, int len, int flags) {
    SendSkbs skbs = c.sender.skbs;
    SendSpace space = c.sender.space;
    boolean urgent = (flags & Connection.URGENT) != 0;
    int goal = urgent ? c.sender.currentMss() : sizeGoal();
    // snd_nxt as the pushes of this write leave it: the first byte nothing sent.
    int sendHead = plus(c.tcb.sndUna, c.sender.sentDataBytes());
    if (!marked) {
      markedSeq = c.tcb.sndUna;
      marked = true;
    }
    int taken = 0;
    boolean waitForSpace = false;
    while (taken < len) {
      int tail = skbs.appendableTail(sendHead);
      int room = goal - tail;
      if (tail == 0 || room <= 0) {
        // new_segment: if (!sk_stream_memory_free(sk)) goto wait_for_space.
        if (!memoryFree(sendHead)) {
          space.bufferFull();
          waitForSpace = true;
          break;
        }
        skbs.newSkb();
        room = goal;
      }
      int chunk = Math.min(room, len - taken);
      boolean last = taken + chunk == len;
      int n = c.writeNow(data, off + taken, chunk, last ? flags : flags & ~Connection.END_OF_RECORD, false);
      if (n <= 0) {
        skbs.dropEmptyTail();
        break;
      }
      skbs.appended();
      taken += n;
      if (n < chunk || taken == len) break;
      // MSG_OOB: skbs of one segment, none pushed before the end.
      if (urgent || skbs.appendableTail(sendHead) < goal) continue;
      // A full skb: forced_push pushes all that waits, else tcp_push_one sends it if it is first.
      int writeSeq = skbs.writeSeq();
      int skbStart = plus(writeSeq, -goal);
      if (forcedPush(writeSeq)) {
        markedSeq = writeSeq;
        sendHead = pushed(sendHead, writeSeq);
      } else if (sendHead == skbStart) {
        sendHead = pushed(sendHead, writeSeq);
      }
    }
    if (taken > 0 && (flags & Connection.END_OF_RECORD) != 0 && taken == len) skbs.endRecord();
    // tcp_push at wait_for_space (without MSG_MORE) and at the end: tcp_mark_push on the tail.
    if (taken > 0 && (waitForSpace || (flags & Connection.MORE) == 0 || forcedPush(skbs.writeSeq()))) {
      markedSeq = skbs.writeSeq();
    }
    if (taken > 0 && !c.deleted) {
      c.sender.output((flags & Connection.MORE) != 0 ? Sender.Push.CORK : Sender.Push.NAGLE);
    }
    return taken;
  }

  /**
   * Linux sk_stream_memory_free before a new skb: sk_wmem_queued below sk_sndbuf, and the bytes
   * written but not sent (write_seq - snd_nxt) below tcp_notsent_lowat (tcp_stream_memory_free
   * with wake 0).
   */
  private boolean memoryFree(int sendHead) {
    SendSkbs skbs = c.sender.skbs;
    if (skbs.wmemQueued() >= c.tcb.sendBuffer.capacity()) return false;
    long notsent = Math.max(0, distance(sendHead, skbs.writeSeq()));
    return notsent < c.sender.space.notsentLowat();
  }

  /** forced_push: more than half the peer's largest window written since the last tcp_mark_push. */
  private boolean forcedPush(int writeSeq) {
    return gt(writeSeq, plus(markedSeq, (int) (c.tcb.maxSndWnd >> 1)));
  }

  /**
   * A push up to {@code to} from the send head: what cwnd (in segments of the current MSS) and the
   * peer's window let go of it is sent, if its first segment fits (tcp_snd_wnd_test), and the skb
   * it ends in is cut there (tso_fragment).
   * Returns the new send head.
   */
  private int pushed(int sendHead, int to) {
    long inFlight = c.tcb.inFlight() + distance(plus(c.tcb.sndUna, c.sender.sentDataBytes()), sendHead);
    int mss = c.sender.currentMss();
    long sendable = Math.min(Math.max(0, Math.min(c.cwnd() * mss, c.tcb.sndWnd) - inFlight), distance(sendHead, to));
    // tcp_snd_wnd_test: nothing goes unless its first segment fits whole.
    if (sendable < Math.min(mss, distance(sendHead, to))) return sendHead;
    int next = plus(sendHead, (int) sendable);
    c.sender.skbs.splitAt(next);
    return next;
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
