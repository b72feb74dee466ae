package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;

import org.tcpspec.tcb.ReceiveBuffer;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;

/**
 * The window a connection offers, as Linux 6.18 selects it from receive memory rather than from
 * payload room. Linux charges every queued packet's skb truesize (its payload plus the memory around
 * it) to sk_rmem_alloc and offers {@code tcp_win_from_space(sk_rcvbuf - sk_rmem_alloc)}: the free
 * memory scaled by scaling_ratio, the payload-to-truesize ratio it learned from a packet
 * (tcp_measure_rcv_mss). The offer is further held to rcv_ssthresh, which starts at the initial
 * window and grows by at least twice each in-order packet (tcp_grow_window), and to window_clamp
 * (tcp_init_buffer_space, tcp_set_window_clamp); __tcp_select_window rounds it (to the MSS without
 * window scaling, up to the scale's unit with it) and tcp_select_window never shrinks the window
 * offered. The receive buffer ({@link ReceiveBuffer}) keeps holding payload bytes up to its capacity,
 * Linux's sk_rcvbuf; only the accounting and the window follow Linux.
 *
 * <p>Truesize: our packets do not come in skbs, so each is charged what Linux charges for a packet
 * of its size read from a TUN device (packetdrill's and our own path): {@link #tunTruesize}. The
 * charge is held in stream order and given back when the application has read past a packet's last
 * byte (Linux frees an skb once it is consumed, tcp_eat_recv_skb); out-of-order packets are charged
 * as a whole and, when a hole fills or they are pruned, moved or dropped in proportion to their
 * bytes. Linux merges a packet into the queue's tail skb only when its linear head fits the tail's
 * room (tcp_try_coalesce), which a TUN-read packet of some size seldom does: not modelled, nor is
 * tcp_collapse's repacking of a full queue.
 */
final class ReceiveWindow {
  /** TCP_RMEM_TO_WIN_SCALE: scaling_ratio counts 256ths. */
  private static final int RMEM_TO_WIN_SCALE = 8;
  /** Linux 6.18's TCP_DEFAULT_SCALING_RATIO: half of the memory holds payload until measured. */
  static final int DEFAULT_SCALING_RATIO = Handshake.DEFAULT_SCALING_RATIO;
  /** SKB_DATA_ALIGN(sizeof(struct sk_buff)) on x86-64. */
  private static final int SK_BUFF = 256;
  /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64. */
  private static final int SHARED_INFO = 320;
  /** tun's align (NET_SKB_PAD) reserved before the packet in its skb's head. */
  private static final int NET_SKB_PAD = 64;
  private static final int PAGE = 4096;
  /** skb_small_head_cache's object size (SKB_SMALL_HEAD_CACHE_SIZE): heads up to it come from there. */
  private static final int SMALL_HEAD = 640;
  /** PAGE_ALLOC_COSTLY_ORDER: tun's paged skbs take page runs of at most 2^3 pages. */
  private static final int COSTLY_ORDER = 3;
  /** Charges held in stream order; past this many, a packet's charge joins the newest one's. */
  private static final int RING = 256;

  private final Connection c;
  private final Tcb tcb;

  /** scaling_ratio, in 256ths. */
  private int scalingRatio = DEFAULT_SCALING_RATIO;
  /** window_clamp: the most window ever offered; 0 until established. */
  private int windowClamp;
  /** rcv_ssthresh: the most window offered now (it grows per in-order packet). */
  private int rcvSsthresh;
  /** rcv_wnd and rcv_wup: the last window offered, and RCV.NXT when it was offered. */
  private int rcvWnd;
  private int rcvWup;
  /** The most recent window selection found free memory below half the full space. */
  private boolean belowHalf;

  /** Charges of in-order packets: the stream offset past each one's end and its truesize. */
  private final long[] ends = new long[RING];
  private final int[] sizes = new int[RING];
  private int first;
  private int count;
  private long inOrderCharge;
  /** The charge of the out-of-order text, and the bytes it was for when last counted. */
  private long outOfOrderCharge;
  private int outOfOrderBytes;

  ReceiveWindow(Connection c) {
    this.c = c;
    this.tcb = c.tcb;
  }

  /**
   * The truesize of a TUN-read skb for an IP packet of {@code ipLength} bytes on Linux 6.18 (x86-64,
   * 4 KB pages): tun_get_user reserves NET_SKB_PAD before the packet; a packet that fits a page with
   * it is linear (a kmalloc'd head: the small-head cache's 640 bytes, else the next power of two,
   * each with its skb_shared_info), a larger one keeps SKB_MAX_HEAD's 3712 bytes in a 4 KB head and
   * the rest in page runs of at most 32 KB (alloc_skb_with_frags, each run sized down to the page-
   * rounded bytes left). Plus the sk_buff itself. The selftests pin it: 8448 for a 4000-byte payload
   * (tcp_rcv_big_endseq's window 5000), 20736 for 20000 (tcp_rcv_toobig's 18000), 12544 for 9000 and
   * 10000 (tcp_ooo_rcv_mss's 81, tcp_rcv_wnd_shrink_allowed's 15), 2304 for 1023 (its 13).
   */
  static int tunTruesize(int ipLength) {
    if (NET_SKB_PAD + ipLength < PAGE) {
      int size = align64(NET_SKB_PAD + ipLength) + SHARED_INFO;
      int object = size <= SMALL_HEAD ? SMALL_HEAD : Integer.highestOneBit(size - 1) << 1;
      return object + SK_BUFF;
    }
    int head = PAGE - NET_SKB_PAD - SHARED_INFO;
    int truesize = PAGE + SK_BUFF;
    int left = ipLength - head;
    int order = COSTLY_ORDER;
    while (left > 0) {
      int pages = (left + PAGE - 1) / PAGE;
      while (order > 0 && pages < 1 << order) order--;
      int run = PAGE << order;
      truesize += run;
      left -= Math.min(left, run);
    }
    return truesize;
  }

  private static int align64(int n) {
    return (n + 63) & ~63;
  }

  /** tcp_win_from_space: the window {@code space} bytes of memory offer at the learned ratio. */
  int winFromSpace(long space) {
    return (int) (space * scalingRatio >> RMEM_TO_WIN_SCALE);
  }

  /** tcp_space_from_win: the memory a window of {@code win} bytes takes at the learned ratio. */
  long spaceFromWin(long win) {
    return (win << RMEM_TO_WIN_SCALE) / scalingRatio;
  }

  /** sk_rmem_alloc: the truesize of every packet held, read or not yet read. */
  long rmemAlloc() {
    release();
    return inOrderCharge + outOfOrderCharge;
  }

  /** tcp_space: the window the free receive memory offers (negative past the limit). */
  int space() {
    return winFromSpace(rcvbuf() - rmemAlloc());
  }

  /** tcp_full_space: the window the whole buffer offers. */
  int fullSpace() {
    return winFromSpace(rcvbuf());
  }

  /**
   * sk_rcvbuf: the socket's receive buffer as SO_RCVBUF or autotuning last set it (the receive
   * buffer's capacity follows it, but never below the bytes it holds).
   */
  int rcvbuf() {
    return c.options.rcvBuf;
  }

  int rcvSsthresh() {
    return rcvSsthresh;
  }

  int windowClamp() {
    return windowClamp;
  }

  int scalingRatio() {
    return scalingRatio;
  }

  /**
   * The peer's SYN was recorded: rcv_wup is RCV.NXT, so the window our SYN offered counts from
   * there (tcp_rcv_synsent_state_process; a request's, tcp_create_openreq_child).
   */
  void synReceived() {
    rcvWup = tcb.rcvNxt;
  }

  /** rcv_wup: RCV.NXT when the window was last offered, RFC 7323's Last.ACK.sent. */
  int rcvWup() {
    return rcvWup;
  }

  /** rcv_wnd: the window last offered. */
  int rcvWnd() {
    return rcvWnd;
  }

  /** tcp_receive_window: what is left of the window last offered, beyond RCV.NXT. */
  int receiveWindow() {
    return Math.max(0, rcvWup + rcvWnd - tcb.rcvNxt);
  }

  /** The right edge last offered (rcv_wup + rcv_wnd). */
  int advertisedEdge() {
    return rcvWup + rcvWnd;
  }

  /**
   * A SYN or SYN-ACK offered {@code window} bytes: tcp_select_initial_window's rcv_wnd, and the
   * rcv_ssthresh it starts from (tcp_connect_init, tcp_create_openreq_child).
   */
  void initialWindow(int window) {
    rcvWnd = window;
    rcvWup = tcb.rcvNxt;
    rcvSsthresh = window;
  }

  /**
   * tcp_init_buffer_space at establishment. window_clamp starts as the handshake left it (the
   * largest window the scale can show, and at most the full space when SO_RCVBUF fixed the buffer:
   * tcp_select_initial_window, tcp_openreq_init_rwin, tcp_connect_init); at least the full space it
   * becomes the full space, and one MSS is kept back (tcp_app_win's "force reservation of one
   * segment"); rcv_ssthresh is at most that. Returns the first receive space autotuning measures
   * against (rcvq_space.space).
   */
  int established(int advMss, int wscale, boolean rcvBufLocked) {
    rcvWup = tcb.rcvNxt;
    int maxwin = fullSpace();
    long scaled = 0xFFFFL << wscale;
    int clamp = (int) Math.min(scaled, rcvBufLocked ? maxwin : Integer.MAX_VALUE);
    if (clamp >= maxwin) clamp = maxwin;
    if (clamp > 2 * advMss && clamp + advMss > maxwin) clamp = Math.max(2 * advMss, maxwin - advMss);
    windowClamp = clamp;
    rcvSsthresh = Math.min(rcvSsthresh, windowClamp);
    return Math.min(Math.min(rcvSsthresh, rcvWnd), 10 * advMss);
  }

  /**
   * tcp_measure_rcv_mss's scaling_ratio: {@code len} payload bytes came in {@code truesize}; when
   * the ratio changes, window_clamp follows the buffer (tcp_set_window_clamp: rcv_ssthresh may rise
   * to the window offered, or falls with a smaller clamp). Returns the new window_clamp, or -1 when
   * the ratio did not change.
   */
  int measured(int len, int truesize) {
    int ratio = (int) Math.max(1, ((long) len << RMEM_TO_WIN_SCALE) / truesize);
    ratio = Math.min(ratio, 255);
    if (ratio == scalingRatio) return -1;
    scalingRatio = ratio;
    setWindowClamp(fullSpace());
    return windowClamp;
  }

  /** tcp_set_window_clamp (SOCK_MIN_RCVBUF / 2 at least). */
  private void setWindowClamp(int value) {
    int old = windowClamp;
    int clamp = Math.max(SOCK_MIN_RCVBUF / 2, value);
    if (clamp == old) return;
    windowClamp = clamp;
    if (clamp < old) rcvSsthresh = Math.min(rcvSsthresh, clamp);
    else rcvSsthresh = Math.max(Math.min(rcvWnd, clamp), rcvSsthresh);
  }

  /** SOCK_MIN_RCVBUF: 2048 + sizeof(struct sk_buff), rounded as Linux's skb truesize. */
  private static final int SOCK_MIN_RCVBUF = 2048 + SK_BUFF;

  /** tcp_rcvbuf_grow moved sk_rcvbuf: "make the window clamp follow along". */
  void rcvbufGrew(int rcvbuf) {
    windowClamp = winFromSpace(rcvbuf);
  }

  /**
   * Text was taken ({@code inOrderBefore}: RCV.NXT's stream offset before it, {@code oooBefore}:
   * the out-of-order bytes held before it): the packet's {@code truesize} is charged where its bytes
   * went (skb_set_owner_r), and out-of-order text that became readable moves its charge along.
   */
  void charge(int truesize, long inOrderBefore, int oooBefore) {
    release();
    ReceiveBuffer rb = tcb.receiveBuffer;
    int oooAfter = rb.held() - rb.readable();
    long next = rb.nextOffset();
    if (next == inOrderBefore) {
      // Out of order: a packet that added nothing new is dropped (tcp_data_queue_ofo) uncharged.
      if (oooAfter > oooBefore) outOfOrderCharge += truesize;
      outOfOrderBytes = oooAfter;
      return;
    }
    long moved = 0;
    if (oooBefore > 0 && oooAfter < oooBefore) {
      moved = outOfOrderCharge * (oooBefore - oooAfter) / oooBefore;
      outOfOrderCharge -= moved;
    }
    outOfOrderBytes = oooAfter;
    queue(next, truesize + moved);
  }

  private void queue(long end, long truesize) {
    if (count == RING) {
      int last = (first + count - 1) % RING;
      ends[last] = end;
      sizes[last] += (int) truesize;
    } else {
      int at = (first + count) % RING;
      ends[at] = end;
      sizes[at] = (int) truesize;
      count++;
    }
    inOrderCharge += truesize;
  }

  /**
   * Gives back what the application has read past (every packet whose last byte it read), and the
   * charge of out-of-order text dropped (pruned, purged by a FIN or a reset) in proportion.
   */
  private void release() {
    ReceiveBuffer rb = tcb.receiveBuffer;
    long copied = rb.nextOffset() - rb.readable();
    while (count > 0 && ends[first] <= copied) {
      inOrderCharge -= sizes[first];
      first = (first + 1) % RING;
      count--;
    }
    int ooo = rb.held() - rb.readable();
    if (ooo < outOfOrderBytes) {
      outOfOrderCharge = ooo == 0 ? 0 : outOfOrderCharge * ooo / outOfOrderBytes;
      outOfOrderBytes = ooo;
    }
  }

  /**
   * tcp_grow_window for a packet of {@code len} bytes and {@code truesize} (an in-order one after it
   * was charged, an {@code outOfOrder} one before): while rcv_ssthresh is below what the clamp and the free memory allow, it
   * grows by twice the advertised MSS or twice the packet, whichever is more, if a packet of this
   * overhead would still fit the buffer (check #2; the slow part, __tcp_grow_window, halves the
   * packet's and tcp_rmem max's windows until one fits). Returns whether it grew (Linux then asks for
   * a quick ACK, icsk_ack.quick |= 1).
   */
  boolean grow(int len, int truesize, boolean outOfOrder, int advMss, int rcvMss, boolean underPressure) {
    // Out-of-order text is charged after Linux grows the window for it (tcp_data_queue_ofo).
    int free = outOfOrder ? winFromSpace(rcvbuf() - rmemAlloc() + truesize) : space();
    int room = Math.min(windowClamp, free) - rcvSsthresh;
    if (room <= 0 || underPressure) return false;
    int incr;
    if (winFromSpace(truesize) <= len) {
      incr = 2 * advMss;
    } else {
      incr = 0;
      int t = winFromSpace(truesize) >> 1;
      int w = winFromSpace(c.stack().config().rmemMax()) >> 1;
      while (rcvSsthresh <= w) {
        if (t <= len) {
          incr = 2 * rcvMss;
          break;
        }
        t >>= 1;
        w >>= 1;
      }
    }
    if (incr == 0) return false;
    incr = Math.max(incr, 2 * len);
    rcvSsthresh += Math.min(room, incr);
    return true;
  }

  /** tcp_clamp_window with more memory held than the buffer: at most two segments more. */
  void clampToMemory(int advMss) {
    rcvSsthresh = Math.min(windowClamp, 2 * advMss);
  }

  /**
   * tcp_adjust_rcv_ssthresh under memory pressure: at most four segments beyond what is offered.
   */
  void clampToPressure(int advMss) {
    rcvSsthresh = Math.min(rcvSsthresh, 4 * advMss);
  }

  /**
   * __tcp_select_window (shrinking not allowed): the free memory's window, zero when it is below an
   * MSS or a sixteenth of the full space while under half of the full space (which also ends
   * quick-ACK mode: {@link #belowHalf}), at most rcv_ssthresh, rounded to the MSS without window
   * scaling (keeping the window offered when it is within an MSS) or up to the scale's unit.
   */
  int select(int rcvMss, int wscale, boolean shrink, boolean underPressure, int advMss) {
    int mss = rcvMss;
    int free = space();
    int allowed = fullSpace();
    // Before establishment no clamp is set here yet (tcp_select_initial_window's is no lower).
    int full = windowClamp == 0 ? allowed : Math.min(windowClamp, allowed);
    belowHalf = false;
    if (mss > full) {
      mss = full;
      if (mss <= 0) return 0;
    }
    if (shrink && wscale > 0) return selectShrinking(free, full, allowed, mss, wscale, underPressure, advMss);
    if (free < full >> 1) {
      belowHalf = true;
      if (underPressure) clampToPressure(advMss);
      free = free >> wscale << wscale;
      if (free < allowed >> 4 || free < mss) return 0;
    }
    if (free > rcvSsthresh) free = rcvSsthresh;
    if (wscale > 0) return (free + (1 << wscale) - 1) >> wscale << wscale;
    int window = rcvWnd;
    if (window <= free - mss || window > free) window = free / mss * mss;
    else if (mss == full && free > window + (full >> 1)) window = free;
    return window;
  }

  /**
   * __tcp_select_window with tcp_shrink_window set and a window scale: the free memory's window in
   * whole units of the scale, zero when below an MSS, a unit or a sixteenth of the full space while
   * under half of it, at most rcv_ssthresh rounded up to the unit. {@link #offer} then lets it shrink.
   */
  private int selectShrinking(int space, int full, int allowed, int mss, int wscale, boolean underPressure,
      int advMss) {
    int free = space >> wscale << wscale;
    if (free < full >> 1) {
      belowHalf = true;
      if (underPressure) clampToPressure(advMss);
      if (free < allowed >> 4 || free < mss || free < 1 << wscale) return 0;
    }
    if (free > rcvSsthresh) free = (rcvSsthresh + (1 << wscale) - 1) >> wscale << wscale;
    return free;
  }

  /** Whether the last {@link #select} found free memory below half the full space. */
  boolean belowHalf() {
    return belowHalf;
  }

  /**
   * tcp_select_window: the window a segment sent now offers, never less than what is left of the
   * one offered before (rounded up to the scale's unit) unless tcp_shrink_window lets a scaled
   * window shrink, noted as rcv_wnd and rcv_wup; the field is
   * that window scaled, at most 16 bits (rcv_wnd keeps what the field could not show).
   */
  int offer(int selected, int wscale, boolean shrink) {
    int cur = receiveWindow();
    int win = selected;
    if (win < cur && !(shrink && wscale > 0)) win = (cur + (1 << wscale) - 1) >> wscale << wscale;
    // Linux keeps rcv_wnd as selected, before the clip to what the 16-bit field can show.
    rcvWnd = win;
    rcvWup = tcb.rcvNxt;
    return (int) (Math.min(win, 0xFFFFL << wscale) >> wscale);
  }

  /** An ACK offering a zero window for want of memory (ICSK_ACK_NOMEM): nothing is left offered. */
  void offeredNothing() {
    rcvWnd = 0;
    rcvWup = tcb.rcvNxt;
  }

  /** Distance from RCV.NXT to the edge last offered, for callers in sequence space. */
  int leftOffered() {
    return Math.max(0, distance(tcb.rcvNxt, advertisedEdge()));
  }
}
