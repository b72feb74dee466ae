package org.tcpspec.stack;

import java.util.EnumMap;
import java.util.Map;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.TcpInfo;
import org.tcpspec.abi.TcpInfo.Field;
import org.tcpspec.cc.CongestionControl;
import org.tcpspec.fsm.State;
import org.tcpspec.tcb.Tcb;

/**
 * getsockopt(TCP_INFO) of our stack, after Linux's tcp_get_info (net/ipv4/tcp.c): the fields of
 * struct tcp_info the stack keeps, in Linux's units (segments counted as Linux counts packets), and
 * 0 for the ones it does not keep (pacing, delivery rate, Accurate ECN's byte counters,
 * segment counters).
 */
public final class ConnectionInfo {
  private ConnectionInfo() {}

  /** A connection's tcp_info. */
  public static TcpInfo of(Connection c) {
    Tcb t = c.tcb;
    Sender sender = c.sender;
    CaStateMachine ca = sender.lossResponse();
    CongestionControl cc = ca.congestionControl();
    RetransmitQueue q = ca.queue;
    Map<Field, Long> f = new EnumMap<>(Field.class);
    f.put(Field.STATE, (long) linuxState(c.state()));
    f.put(Field.CA_STATE, (long) ca.state().linuxValue());
    f.put(Field.RETRANSMITS, (long) sender.retries());
    f.put(Field.PROBES, (long) c.probes.probesOut());
    f.put(Field.BACKOFF, (long) t.rtt.backoff());
    f.put(Field.OPTIONS, (long) ((t.tsOk ? Symbol.TCPI_OPT_TIMESTAMPS.value() : 0)
        | (t.sackOk ? Symbol.TCPI_OPT_SACK.value() : 0)
        | (t.wscaleOk ? Symbol.TCPI_OPT_WSCALE.value() : 0)
        // Linux: data in a SYN was acknowledged, ours or a Fast Open client's (syn_data_acked). Bit
        // 128, which packetdrill calls TCPI_OPT_TFO_CHILD, is TCPI_OPT_ECN_LOW in Linux 6.x: unset.
        | (c.fastOpen.synDataAcked ? Symbol.TCPI_OPT_SYN_DATA.value() : 0)));
    f.put(Field.FASTOPEN_CLIENT_FAIL, (long) c.fastOpen.clientFail);
    f.put(Field.SND_WSCALE, (long) t.sndWscale);
    f.put(Field.RCV_WSCALE, (long) t.rcvWscale);
    f.put(Field.RTO, t.rtt.rtoNanos() / 1000);
    f.put(Field.SND_MSS, (long) t.sndMss);
    // Linux icsk_pmtu_cookie: the path MTU of SND.MSS; before the handshake the route's.
    f.put(Field.PMTU, (long) (t.pmtu > 0 ? t.pmtu : c.stack().pathMtu(c.tuple.remoteAddr())));
    // Linux counts these in packets: one per segment sent.
    f.put(Field.UNACKED, (long) q.size());
    f.put(Field.SACKED, (long) q.sackedOut);
    f.put(Field.LOST, (long) q.lostOut);
    f.put(Field.RETRANS, (long) q.retransOut);
    f.put(Field.RTT, t.rtt.srttNanos() / 1000);
    f.put(Field.RTTVAR, t.rtt.rttvarNanos() / 1000);
    f.put(Field.SND_SSTHRESH, (long) cc.ssthresh());
    f.put(Field.SND_CWND, (long) cc.cwnd());
    f.put(Field.REORDERING, (long) ca.reordering());
    f.put(Field.RCV_RTT, c.autotuning.rcvRttMicros());
    f.put(Field.RCV_SPACE, (long) c.autotuning.rcvSpace());
    f.put(Field.TOTAL_RETRANS, ca.retransmissions.totalRetransmissions());
    f.put(Field.MIN_RTT, ca.minRttNanos() == Long.MAX_VALUE ? 0xFFFF_FFFFL : ca.minRttNanos() / 1000);
    f.put(Field.DELIVERED, ca.delivered());
    f.put(Field.DELIVERED_CE, ca.deliveredCe());
    f.put(Field.DSACK_DUPS, ca.tags.dsackDuplicates());
    f.put(Field.REORD_SEEN, (long) ca.tags.reorderingSeenCount());
    long now = c.clock.nowNanos();
    // Linux's last_* fields are milliseconds ago.
    f.put(Field.LAST_DATA_RECV, (now - c.receiver.lastDataNanos()) / 1_000_000L);
    f.put(Field.LAST_DATA_SENT, (now - ca.lastSendNanos()) / 1_000_000L);
    f.put(Field.LAST_ACK_RECV, (now - sender.lastAckNanos()) / 1_000_000L);
    f.put(Field.RCV_MSS, (long) c.receiver.rcvMss());
    f.put(Field.ADVMSS, (long) t.advMss);
    f.put(Field.BYTES_ACKED, c.tcb.bytesAcked);
    f.put(Field.BYTES_RECEIVED, c.receiver.bytesReceived());
    f.put(Field.TOTAL_RTO, (long) sender.totalRto());
    f.put(Field.SND_WND, t.sndWnd);
    f.put(Field.BUSY_TIME, sender.chrono.busyMicros(c.clock.nowMillis()));
    f.put(Field.RWND_LIMITED, sender.chrono.rwndLimitedMicros(c.clock.nowMillis()));
    f.put(Field.SNDBUF_LIMITED, sender.chrono.sndbufLimitedMicros(c.clock.nowMillis()));
    f.put(Field.RCV_WND, t.rcvWnd());
    return TcpInfo.of(f);
  }

  /** A listener's tcp_info: LISTEN with the default MSS and the initial window of 10 segments. */
  /** SO_MEMINFO's SK_MEMINFO_RMEM_ALLOC and SK_MEMINFO_RCVBUF of a connection (sk_get_meminfo). */
  public static long[] memInfo(Connection c) {
    return new long[] {c.receiver.window.rmemAlloc(), c.options.rcvBuf};
  }

  public static TcpInfo ofListener() {
    return ofSocketWithout(Symbol.TCP_LISTEN);
  }

  /** A socket without a connection, new or disconnected: Linux reports TCP_CLOSE. */
  public static TcpInfo ofUnconnected() {
    return ofSocketWithout(Symbol.TCP_CLOSE);
  }

  private static TcpInfo ofSocketWithout(Symbol state) {
    Map<Field, Long> f = new EnumMap<>(Field.class);
    f.put(Field.STATE, (long) state.value());
    f.put(Field.SND_MSS, (long) Symbol.TCP_MSS_DEFAULT.value());
    f.put(Field.SND_CWND, 10L);
    return TcpInfo.of(f);
  }

  /** Linux's TCP state numbers (include/net/tcp_states.h) for the RFC 9293 states. */
  private static int linuxState(State s) {
    Symbol linux = switch (s) {
      case ESTABLISHED -> Symbol.TCP_ESTABLISHED;
      case SYN_SENT -> Symbol.TCP_SYN_SENT;
      case SYN_RECEIVED -> Symbol.TCP_SYN_RECV;
      case FIN_WAIT_1 -> Symbol.TCP_FIN_WAIT1;
      case FIN_WAIT_2 -> Symbol.TCP_FIN_WAIT2;
      case TIME_WAIT -> Symbol.TCP_TIME_WAIT;
      case CLOSED -> Symbol.TCP_CLOSE;
      case CLOSE_WAIT -> Symbol.TCP_CLOSE_WAIT;
      case LAST_ACK -> Symbol.TCP_LAST_ACK;
      case LISTEN -> Symbol.TCP_LISTEN;
      case CLOSING -> Symbol.TCP_CLOSING;
    };
    return linux.value();
  }
}
