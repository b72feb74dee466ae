package org.tcpspec.stack;

import org.tcpspec.fsm.State;
import org.tcpspec.tcb.Tcb;

/**
 * Whether the application waits for room in the send buffer, Linux's SOCK_NOSPACE, and the
 * send-buffer-limited chronograph it drives. A write the buffer could not take whole
 * (tcp_sendmsg_locked's wait_for_space) and a poll that found the stream not writeable (tcp_poll)
 * set it; a segment whose arrival leaves the stream writeable clears it (tcp_check_space,
 * sk_stream_write_space) and stops the chronograph. While it is set, an output pass that sent the
 * last queued data with cwnd not the limit starts the chronograph (tcp_cwnd_validate): the flow
 * starves for want of data the buffer could not hold. One per connection.
 */
final class SendSpace {
  private final Connection c;
  private final Sender snd;
  private final Tcb tcb;
  private boolean noSpace;
  /** How many times sk_write_space woke the socket's waiters (see {@link #wakeups}). */
  private int wakeups;

  SendSpace(Connection c, Sender snd, Tcb tcb) {
    this.c = c;
    this.snd = snd;
    this.tcb = tcb;
  }

  /**
   * Linux __sk_stream_is_writeable, what tcp_poll reports as POLLOUT and what sk_stream_write_space
   * waits for before it wakes a blocked writer: the free space is at least half the memory queued
   * (sk_stream_wspace >= sk_stream_min_wspace, a third of the buffer once it is full), so that a
   * writer woken "can make significant progress" rather than one segment per ACK; and the memory
   * queued is below the buffer (__sk_stream_memory_free), the stack's memory allows more, and fewer
   * than half of TCP_NOTSENT_LOWAT bytes wait unsent (tcp_stream_memory_free with wake 1, as
   * tcp_poll and sk_stream_write_space ask it). The memory queued is Linux's sk_wmem_queued, the
   * skbs' truesize ({@link SendSkbs}).
   */
  boolean writeable() {
    long queued = snd.skbs.wmemQueued();
    long free = tcb.sendBuffer.capacity() - queued;
    return free > 0 && free >= queued >> 1 && c.stack().memory().sendMemoryFree(c)
        && belowNotsentLowat(true);
  }

  /**
   * Linux tcp_stream_memory_free: the bytes written but not sent (write_seq - snd_nxt), doubled
   * when the question is whether to wake a writer ({@code wake}), are below tcp_notsent_lowat: the
   * socket's TCP_NOTSENT_LOWAT, else the sysctl's (UINT_MAX by default, never a limit).
   */
  boolean belowNotsentLowat(boolean wake) {
    return ((long) snd.unsentBytes() << (wake ? 1 : 0)) < notsentLowat();
  }

  /** Linux tcp_notsent_lowat. */
  long notsentLowat() {
    long own = c.options().notsentLowat;
    return own != 0 ? own : c.stack().config().tcpNotsentLowat();
  }

  /**
   * sk_stream_write_space, as setsockopt(TCP_NOTSENT_LOWAT) calls it (do_tcp_setsockopt): when the
   * stream is writeable now, the application no longer waits for room and its waiters are woken.
   */
  void writeSpace() {
    if (!writeable()) return;
    noSpace = false;
    wakeups++;
  }

  /**
   * How many times sk_stream_write_space has woken the socket's waiters with EPOLLOUT so far (a
   * count that only grows): what an edge-triggered epoll waits for before it reports EPOLLOUT again.
   */
  int wakeups() {
    return wakeups;
  }

  /** tcp_poll's POLLOUT: a stream found not writeable marks the application as waiting for room. */
  boolean pollWriteable() {
    if (writeable()) return true;
    noSpace = true;
    return false;
  }

  /** tcp_sendmsg_locked's wait_for_space: a write found the buffer full (set before its push). */
  void bufferFull() {
    noSpace = true;
  }

  /** Whether the application waits for room (SOCK_NOSPACE). */
  boolean waiting() {
    return noSpace;
  }

  /**
   * The end of tcp_cwnd_validate after an output pass that sent {@code sent} segments: with cwnd
   * not the limit (tcp_is_cwnd_limited), nothing left unsent (tcp_write_queue_empty) and the
   * application waiting for room in ESTABLISHED or CLOSE-WAIT, the sender is send-buffer limited.
   */
  void outputPassEnded(int sent, boolean cwndLimited) {
    if (sent == 0 || cwndLimited || !noSpace || snd.unsentBytes() > 0) return;
    State st = c.state();
    if (st == State.ESTABLISHED || st == State.CLOSE_WAIT) {
      snd.chrono.start(SendChrono.SNDBUF_LIMITED, snd.nowMillis());
    }
  }

  /**
   * tcp_check_space after an arriving segment's output (tcp_data_snd_check): only with the
   * application waiting for room, tcp_new_space grows the send buffer (tcp_should_expand_sndbuf,
   * tcp_sndbuf_expand; a writer that never runs out of room keeps the buffer it has), then its
   * sk_stream_write_space clears SOCK_NOSPACE once the stream is writeable, and the
   * send-buffer-limited chronograph stops.
   */
  void checkSpace() {
    if (!noSpace) return;
    c.autotuning.newSpace();
    if (!writeable()) return;
    noSpace = false;
    wakeups++;
    snd.chrono.stop(SendChrono.SNDBUF_LIMITED, snd.nothingToSend(), c.clock.nowMillis());
  }
}
