package org.tcpspec.stack;

import java.util.ArrayList;
import java.util.List;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.FastOpenOption;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;
import org.tcpspec.wire.TcpOption;

/**
 * The options of the SYN exchange: what we offer (MSS, SACK-permitted, timestamps, window scale,
 * in Linux's order) and what the peer's SYN makes us agree to (RFC 9293 §3.7.1, RFC 7323 §2.2 and
 * §3.2, RFC 2018 §2).
 */
final class Handshake {
  private Handshake() {}

  /** Linux's SYN option layout: MSS, SACK-permitted, timestamps, NOP, window scale. */
  static List<TcpOption> synOptions(Connection c, boolean synAck, long nowMillis) {
    Tcb tcb = c.tcb;
    boolean offerAll = !synAck || c.state() == State.SYN_SENT;
    StackConfig cfg = c.stack().config();
    boolean sack = cfg.sack() && (offerAll || tcb.sackOk);
    boolean ts = cfg.timestamps() && (offerAll || tcb.tsOk);
    boolean ws = cfg.windowScaling() && (offerAll || tcb.wscaleOk);
    // Linux tcp_advertise_mss (a SYN) and tcp_v4_syn_recv_sock (a Fast Open child): tp->advmss is
    // what the route gives, clamped by TCP_MAXSEG.
    tcb.advMss = localMss(c);
    return withFastOpen(synOptions(tcb.advMss, sack, ts, (int) nowMillis, synAck ? tcb.tsRecent : 0,
        ws ? localWscale(c) : -1), c.fastOpen.synCookie());
  }

  /**
   * The connection is established: with timestamps agreed, every segment carries their 12 bytes, so
   * the advertised MSS the receiver measures by is that much less (Linux: tcp_rcv_synsent_state_process
   * and tcp_rcv_state_process's SYN-RECEIVED case, tp->advmss -= TCPOLEN_TSTAMP_ALIGNED).
   */
  static void timestampsTakeAdvMss(Tcb tcb) {
    if (tcb.tsOk) tcb.advMss -= TSTAMP_ALIGNED;
  }

  /**
   * The options of a SYN or SYN-ACK in Linux's layout (tcp_options_write): MSS, then SACK-permitted
   * and timestamps (NOP-padded when only one of them), then NOP and window scale ({@code wscale}
   * -1 for none).
   */
  static List<TcpOption> synOptions(int mss, boolean sack, boolean ts, int tsVal, int tsEcr, int wscale) {
    List<TcpOption> o = new ArrayList<>(5);
    o.add(new TcpOption.Mss(mss));
    if (sack && ts) {
      o.add(new TcpOption.SackPermitted());
      o.add(new TcpOption.Timestamp(tsVal, tsEcr));
    } else if (ts) {
      o.add(new TcpOption.Nop());
      o.add(new TcpOption.Nop());
      o.add(new TcpOption.Timestamp(tsVal, tsEcr));
    } else if (sack) {
      o.add(new TcpOption.Nop());
      o.add(new TcpOption.Nop());
      o.add(new TcpOption.SackPermitted());
    }
    if (wscale >= 0) {
      o.add(new TcpOption.Nop());
      o.add(new TcpOption.WindowScale(wscale));
    }
    return o;
  }

  /**
   * {@code options} with the Fast Open option of {@code cookie} at their end, where Linux's
   * tcp_options_write puts it; {@code options} alone when the cookie is null or does not fit the
   * 40 bytes (tcp_synack_options checks the room left).
   */
  static List<TcpOption> withFastOpen(List<TcpOption> options, FastOpenOption.Cookie cookie) {
    if (cookie == null) return options;
    List<TcpOption> fo = FastOpenOption.options(cookie);
    int room = MAX_OPTION_BYTES - options.stream().mapToInt(TcpOption::wireLength).sum();
    if (fo.stream().mapToInt(TcpOption::wireLength).sum() > room) return options;
    List<TcpOption> all = new ArrayList<>(options);
    all.addAll(fo);
    return all;
  }

  /** RFC 9293 §3.1: the data offset leaves at most 40 bytes of options. */
  private static final int MAX_OPTION_BYTES = 40;

  /**
   * The MSS we advertise (Linux tp->advmss): the path MTU less the headers of the family
   * (Stack#advertisedMss), capped by TCP_MAXSEG.
   */
  static int localMss(Connection c) {
    return localMss(c.stack().advertisedMss(c.tuple.remoteAddr()), c.options);
  }

  static int localMss(int deviceMss, SocketOptions options) {
    return options.maxSeg > 0 ? Math.min(options.maxSeg, deviceMss) : deviceMss;
  }

  /** The shift we offer and then apply to our window field (StackConfig#windowScale, as Linux). */
  static int localWscale(Connection c) {
    return localWscale(c.stack().config(), c.options);
  }

  static int localWscale(StackConfig cfg, SocketOptions options) {
    return cfg.windowScale(fullSpace(options.rcvBuf), options.rcvBufLocked);
  }

  /**
   * Linux's TCP_DEFAULT_SCALING_RATIO, in 256ths (TCP_RMEM_TO_WIN_SCALE 8): before a packet has been
   * measured, half of a receive buffer's memory (sk_rcvbuf) is taken to hold payload, the rest
   * being skb overhead.
   */
  static final int DEFAULT_SCALING_RATIO = 128;
  /** TCPOLEN_TSTAMP_ALIGNED: the bytes the timestamp option takes in every segment. */
  static final int TSTAMP_ALIGNED = 12;

  /**
   * tcp_full_space of a socket no packet has reached yet: tcp_win_from_space of its buffer at
   * {@link #DEFAULT_SCALING_RATIO}, the window that buffer can offer.
   */
  static int fullSpace(int rcvBuf) {
    return (int) ((long) rcvBuf * DEFAULT_SCALING_RATIO >> 8);
  }

  /**
   * The window of our SYN-ACK before it is clipped to 16 bits: tcp_select_initial_window's rcv_wnd
   * as tcp_openreq_init_rwin asks for it, the listener's {@link #fullSpace} rounded down to a
   * multiple of {@code mss} (the MSS we offer, less the timestamp option's bytes when the
   * connection will carry it). No window clamp is lower: the socket's own is its full space when
   * SO_RCVBUF set the buffer (SOCK_RCVBUF_LOCK), none otherwise.
   */
  static int initialWindow(int rcvBuf, int mss) {
    int space = fullSpace(rcvBuf);
    return space > mss ? space / mss * mss : space;
  }

  /** The ECN codepoint of an IP header's TOS byte or traffic class (RFC 3168 §5): 0 is Not-ECT. */
  static final int ECN_MASK = SocketOptions.ECN_MASK;

  /**
   * Whether a listener takes ECN from {@code syn} (Linux tcp_ecn_create_request): an ECN-setup SYN
   * (ECE and CWR, RFC 3168 §6.1.1) that is not itself ECT, unless tcp_ecn is 0.
   */
  static boolean acceptsEcn(SegmentView syn, StackConfig cfg) {
    return cfg.tcpEcn() != 0 && syn.has(TcpFlags.ECE) && syn.has(TcpFlags.CWR) && (syn.ipTos() & ECN_MASK) == 0;
  }

  /**
   * A half-open connection completes: its TCB is made from the request record, as Linux's
   * tcp_create_openreq_child makes the child socket from the request sock (SND.UNA = ISS, SND.NXT
   * = ISS + 1, RCV.NXT = IRS + 1, the SYN's window unscaled, the options agreed to).
   */
  static void adopt(Connection c, HalfOpen h) {
    Tcb tcb = c.tcb;
    tcb.iss = h.iss;
    tcb.sndUna = h.iss;
    tcb.sndNxt = SeqNum.plus(h.iss, 1);
    tcb.irs = h.irs;
    tcb.rcvNxt = SeqNum.plus(h.irs, 1);
    tcb.sndWnd = h.peerWindow;
    tcb.sndWl1 = h.irs;
    tcb.sndWl2 = h.iss;
    tcb.wscaleOk = h.wscaleOk();
    tcb.sndWscale = h.wscaleOk() ? h.sndWscale : 0;
    tcb.rcvWscale = h.wscaleOk() ? localWscale(c) : 0;
    tcb.tsOk = h.tsOk();
    tcb.tsRecent = h.tsRecent;
    // tcp_create_openreq_child stamps the child's TS.Recent when it is made.
    tcb.tsRecentStampNanos = c.clock.nowNanos();
    tcb.sackOk = h.sackOk();
    tcb.ecnOk = h.ecnOk();
    tcb.mssClamp = Math.min(h.peerMss, localMss(c));
    // tcp_v4_syn_recv_sock: the child's advmss from the route, clamped by the listener's TCP_MAXSEG.
    tcb.advMss = localMss(c);
    PathMtuDiscovery.syncMss(c, c.stack().pathMtu(c.tuple.remoteAddr()));
    c.sender.negotiated();
  }

  /**
   * RECORD_SYN: IRS and RCV.NXT from the peer's SYN (§3.10.7.2, §3.10.7.3), its window unscaled
   * (RFC 7323 §2.2: the window of a SYN is never scaled), and the options both sides agreed to.
   * In SYN-SENT we offered everything, so the peer's SYN decides; in LISTEN we offer back only
   * what the peer offered.
   */
  static void recordSyn(Connection c, SegmentView syn) {
    Tcb tcb = c.tcb;
    tcb.irs = syn.seq();
    tcb.rcvNxt = SeqNum.plus(syn.seq(), 1);
    c.receiver.synReceived();
    tcb.sndWnd = syn.window();
    // Linux: a passive connection's largest window starts with the window of the ACK that
    // completes the handshake (tcp_create_openreq_child), an active one's with the SYN-ACK or
    // SYN; sender SWS avoidance (§3.8.6.2.1) measures against it.
    if (c.state() == State.SYN_SENT) tcb.maxSndWnd = Math.max(tcb.maxSndWnd, tcb.sndWnd);
    tcb.sndWl1 = syn.seq();
    tcb.sndWl2 = syn.has(TcpFlags.ACK) ? syn.ack() : tcb.iss;
    // MUST-15: 536 (1220 over IPv6) when the peer sent no MSS option; never more than we can receive either.
    int peerMss = syn.option(TcpOption.Mss.class).map(TcpOption.Mss::mss).orElse(StackAddresses.defaultPeerMss(c.tuple.remoteAddr()));
    // MUST-5..7: options we do not know, and known options in odd places, are ignored; the wire
    // parser keeps unknown kinds as Unknown and we never look at them.
    StackConfig cfg = c.stack().config();
    syn.option(TcpOption.WindowScale.class).filter(ws -> cfg.windowScaling()).ifPresentOrElse(ws -> {
      tcb.wscaleOk = true;
      // RFC 7323 §2.3: a shift above 14 is used as 14.
      tcb.sndWscale = Math.min(14, ws.shift());
      tcb.rcvWscale = localWscale(c);
    }, () -> {
      tcb.wscaleOk = false;
      tcb.sndWscale = 0;
      tcb.rcvWscale = 0;
    });
    syn.option(TcpOption.Timestamp.class).filter(ts -> cfg.timestamps()).ifPresentOrElse(ts -> {
      tcb.tsOk = true;
      tcb.tsRecent = ts.tsVal();
      tcb.tsRecentStampNanos = c.clock.nowNanos();
    }, () -> tcb.tsOk = false);
    tcb.sackOk = cfg.sack() && syn.option(TcpOption.SackPermitted.class).isPresent();
    // RFC 3168 §6.1.1. After our ECN-setup SYN: a SYN-ACK with ECE and without CWR (Linux
    // tcp_ecn_rcv_synack), or a simultaneous open's ECN-setup SYN (tcp_ecn_rcv_syn); in LISTEN
    // (a Fast Open child) as a listener's request takes it.
    if (c.state() == State.SYN_SENT) {
      boolean ece = syn.has(TcpFlags.ECE);
      tcb.ecnOk = tcb.ecnSetupSent && ece && syn.has(TcpFlags.CWR) != syn.has(TcpFlags.ACK);
    } else {
      tcb.ecnOk = acceptsEcn(syn, cfg);
    }
    tcb.mssClamp = Math.min(peerMss, localMss(c));
    PathMtuDiscovery.syncMss(c, c.stack().pathMtu(c.tuple.remoteAddr()));
    c.sender.negotiated();
  }
}
