package org.tcpspec.tcb;

import static org.tcpspec.wire.SeqNum.gt;
import static org.tcpspec.wire.SeqNum.lt;

import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.TcpFlags;

/**
 * The transmission control block of RFC 9293 §3.3.1, fields under their RFC names, plus what the
 * RFC 7323 / RFC 2018 options negotiated. A struct on purpose (as gVisor's sender and receiver
 * state): the connection code writes these fields, the classifier reads them through the
 * connection's {@code fsm.TcbView}, and the state itself lives in the engine, never here.
 */
public final class Tcb {
  /** Linux: tcp_rmem default 131072; the window we offer is what the receive buffer can hold. */
  public static final int DEFAULT_BUFFER = 131072;
  /** RFC 9293 §3.7.1 (MUST-15): assume 536 when the peer sends no MSS option. */
  public static final int DEFAULT_MSS = 536;

  // Send sequence variables.
  public int iss;
  public int sndUna;
  public int sndNxt;
  /** SND.WND in bytes, already scaled by the peer's shift. */
  public long sndWnd;
  public int sndWl1;
  public int sndWl2;
  /** The largest window the peer ever offered (RFC 5961 §5 MAX.SND.WND). */
  public long maxSndWnd;
  /**
   * Sequence space the peer has acknowledged (RFC 4898 ThruOctetsAcked, Linux bytes_acked): our
   * SYN counts for an active open, not for a passive one (Linux's child starts at SND.UNA = ISS + 1).
   */
  public long bytesAcked;

  // Receive sequence variables; RCV.WND is the receive buffer's window.
  public int irs;
  public int rcvNxt;

  // Negotiated options.
  /**
   * Largest payload we send: the peer's MSS (536 if absent), capped by the path MTU, less our
   * per-segment options (Linux mss_cache, set by tcp_sync_mss).
   */
  public int sndMss = DEFAULT_MSS;
  /** The peer's MSS capped by TCP_MAXSEG (Linux rx_opt.mss_clamp); 0 before the handshake set it. */
  public int mssClamp;
  /**
   * The MSS we advertise, and the receiver's measure of a full segment (Linux tp->advmss,
   * tcpi_advmss): what our SYN or SYN-ACK offered, 12 bytes less once the connection is
   * established with timestamps (the option rides in every segment); 0 before we offered one.
   */
  public int advMss;
  /** The path MTU {@link #sndMss} was computed for (Linux icsk_pmtu_cookie, tcpi_pmtu); 0 until then. */
  public int pmtu;
  /** Shift applied to the peer's window field (RFC 7323 §2.3), 0 unless both sent the option. */
  public int sndWscale;
  /** Shift applied to our window field. */
  public int rcvWscale;
  public boolean wscaleOk;
  public boolean tsOk;
  /** TS.Recent (RFC 7323 §4.3). */
  public int tsRecent;
  /**
   * When TS.Recent was last stored, on the stack's clock (Linux ts_recent_stamp, whole seconds
   * there): tcp_paws_reject lets a RST that fails PAWS through once TS.Recent is {@link
   * #PAWS_MSL_NANOS} old.
   */
  public long tsRecentStampNanos;
  /** Our first SYN carried a timestamp option, whose TSval is {@link #synTsVal}. */
  public boolean synTimestamped;
  /**
   * The TSval of our first SYN (Linux retrans_stamp in SYN-SENT): the oldest TSecr a SYN-ACK may
   * echo (tcp_rcv_synsent_state_process).
   */
  public int synTsVal;
  public boolean sackOk;
  /** ECN was negotiated (RFC 3168 §6.1.1; Linux TCP_ECN_OK). */
  public boolean ecnOk;
  /** Our first SYN was an ECN-setup SYN (ECE and CWR: tcp_ecn 1). */
  public boolean ecnSetupSent;
  /** A CE mark arrived: our segments carry ECE until a CWR arrives (RFC 3168 §6.1.3; TCP_ECN_DEMAND_CWR). */
  public boolean ecnDemandCwr;
  /**
   * Our window was reduced (ECE, a fast retransmit, an RTO): the next segment of new data carries
   * CWR (RFC 3168 §6.1.2; Linux TCP_ECN_QUEUE_CWR, set by tcp_ecn_queue_cwr, taken by tcp_ecn_send).
   */
  public boolean ecnQueueCwr;

  /** The user asked for a FIN (CLOSE or shutdown(SHUT_WR)). */
  public boolean finQueued;
  /** Our FIN went out: SND.NXT - 1 is its sequence number from then on. */
  public boolean finSent;

  public final SendBuffer sendBuffer;
  public final ReceiveBuffer receiveBuffer;
  public final RttEstimator rtt = new RttEstimator();
  public final Timers timers = new Timers();

  public Tcb(int sndBuf, int rcvBuf) {
    this(sndBuf, rcvBuf, BufferAccount.NONE);
  }

  /** A TCB whose buffers report the bytes they hold to {@code account}, with a chunk pool of its own. */
  public Tcb(int sndBuf, int rcvBuf, BufferAccount account) {
    this(sndBuf, rcvBuf, account, new ChunkPool());
  }

  /**
   * A TCB whose buffers report the bytes they hold to {@code account} (the stack's memory) and whose
   * receive buffer takes its chunks from {@code chunks} (the stack's pool).
   */
  public Tcb(int sndBuf, int rcvBuf, BufferAccount account, ChunkPool chunks) {
    sendBuffer = new SendBuffer(sndBuf, account);
    receiveBuffer = new ReceiveBuffer(rcvBuf, account, chunks);
  }

  /** RCV.WND in bytes: what the receive buffer can still take. */
  public long rcvWnd() {
    return receiveBuffer.window();
  }

  /**
   * Linux TCP_PAWS_WINDOW: how many ticks a TSval may lag TS.Recent and still pass PAWS on a full
   * socket (tcp_validate_incoming's tcp_paws_check(&tp->rx_opt, TCP_PAWS_WINDOW)), where RFC
   * 7323 §5.3 R1 fails any TSval "less than TS.Recent".
   */
  public static final int PAWS_WINDOW = 1;

  /**
   * RFC 7323 §5.3 R1: with timestamps on, a non-RST segment whose TSval is older than TS.Recent is
   * a duplicate from an earlier wrap, unless TS.Recent is 0 ({@link #tsValPasses}). Linux tests
   * two ways. A {@code fullSocket} (tcp_validate_incoming) lets a TSval lag by {@link
   * #PAWS_WINDOW} ticks and takes a {@link #disorderedAck}; its TIME-WAIT socket
   * (tcp_timewait_state_process) and its request socket (tcp_check_req, which a Fast Open child in
   * SYN-RECEIVED passes first) use tcp_paws_reject: a window of 0 and no disordered ACK. Linux: a
   * segment without the option is accepted (RFC 7323 §3.2 says SHOULD drop). SPEC-GAP: the 24-day
   * TS.Recent expiry (§5.5, Linux's TCP_PAWS_WRAP) is not kept.
   */
  public boolean pawsRejects(SegmentView seg, boolean fullSocket) {
    if (!tsOk || seg.has(TcpFlags.RST) || !seg.hasTimestamp()) return false;
    if (!fullSocket) return !tsValPasses(seg.tsVal(), tsRecent);
    return !tsValPasses(seg.tsVal(), tsRecent, PAWS_WINDOW) && !disorderedAck(seg);
  }

  /**
   * Linux tcp_disordered_ack_check's old ACK, since 6.14 ("tcp: add TCP_RFC7323_PAWS_ACK drop
   * reason"): a pure ACK (no text, SYN or FIN) whose SEG.SEQ is below RCV.NXT and which fails a
   * full socket's PAWS is taken for an old ACK, common and harmless, and tcp_validate_incoming drops
   * it without the duplicate ACK PAWS sends otherwise (SKB_DROP_REASON_TCP_RFC7323_PAWS_ACK,
   * LINUX_MIB_PAWS_OLD_ACK). Text, and a pure ACK at or above RCV.NXT, failing PAWS still get one.
   */
  public boolean pawsOldAck(SegmentView seg, boolean fullSocket) {
    if (!fullSocket || !seg.has(TcpFlags.ACK) || seg.segLen() != 0 || !lt(seg.seq(), rcvNxt)) return false;
    return pawsRejects(seg, true);
  }

  /** Linux TCP_PAWS_MSL: how long a RST is held to PAWS by tcp_paws_reject, 60 s. */
  public static final long PAWS_MSL_NANOS = 60_000_000_000L;

  /**
   * Linux tcp_paws_reject as its timewait socket asks it (tcp_timewait_state_process), of every
   * segment in substate FIN_WAIT2 and of a RST in TIME-WAIT: a window of 0 and no disordered ACK,
   * as {@link #pawsRejects} for a socket that is not full, and a RST is no exception until
   * TS.Recent is {@link #PAWS_MSL_NANOS} old ("we can relax time bounds for RST segments to
   * MSL"), where a full socket takes a RST whatever its TSval.
   */
  public boolean timewaitPawsRejects(SegmentView seg, long nowNanos) {
    if (!tsOk || !seg.hasTimestamp() || tsValPasses(seg.tsVal(), tsRecent)) return false;
    return !seg.has(TcpFlags.RST) || nowNanos - tsRecentStampNanos < PAWS_MSL_NANOS;
  }

  /**
   * Linux tcp_paws_check with a window of 0: {@link #tsValPasses(int, int, int)}. It decides
   * whether a TSval may become TS.Recent (tcp_replace_ts_recent, whatever window PAWS used), and
   * PAWS on Linux's TIME-WAIT and request sockets (tcp_paws_reject).
   */
  public static boolean tsValPasses(int tsVal, int tsRecent) {
    return tsValPasses(tsVal, tsRecent, 0);
  }

  /**
   * Linux tcp_paws_check: a TSval behind TS.Recent by at most {@code windowTicks} (serial
   * arithmetic, (s32)(ts_recent - rcv_tsval) <= paws_win), or any TSval while TS.Recent is 0. Some
   * peers send TSval 0 in their SYN and real values after it ("Ignore 0 value, or else 'negative'
   * tsval might forbid us to accept their packets"); Linux takes 0 as a TS.Recent that is not
   * valid, which RFC 7323 §5.3 makes a condition of PAWS ("TS.Recent is valid") and §3.2 ties to
   * the value 0 (a TSecr of 0 when there is nothing to echo).
   */
  public static boolean tsValPasses(int tsVal, int tsRecent, int windowTicks) {
    return tsRecent == 0 || tsRecent - tsVal <= windowTicks;
  }

  /**
   * Linux tcp_disordered_ack_check (tcp_validate_incoming's PAWS step): a pure duplicate ACK at
   * RCV.NXT that would not update the send window (tcp_may_update_window), its TSval behind
   * TS.Recent by no more than one RTO's ticks of a 1200 Hz clock (tcp_tsval_replay), is an ACK
   * overtaken by newer ones, not an old duplicate: it is taken, without the ACK PAWS would send.
   * TS.Recent does not go back for it (RFC 7323 §4.3's newest-timestamp rule).
   */
  private boolean disorderedAck(SegmentView seg) {
    if (!seg.has(TcpFlags.ACK) || seg.segLen() != 0 || seg.seq() != rcvNxt || seg.ack() != sndUna) return false;
    long window = Integer.toUnsignedLong(seg.window()) << sndWscale;
    boolean mayUpdateWindow = gt(seg.seq(), sndWl1) || (seg.seq() == sndWl1 && (window > sndWnd || window == 0));
    long replayTicks = rtt.rtoNanos() * 1200 / 1_000_000_000L;
    return !mayUpdateWindow && tsRecent - seg.tsVal() <= replayTicks;
  }

  /** RFC 6191 §2: timestamps are on and the segment's TSval is newer than TS.Recent. */
  public boolean timestampNewer(SegmentView seg) {
    return tsOk && seg.hasTimestamp() && lt(tsRecent, seg.tsVal());
  }

  /** Bytes sent and not yet acknowledged, SYN and FIN included (the "flight size"). */
  public long inFlight() {
    return Integer.toUnsignedLong(sndNxt - sndUna);
  }
}
