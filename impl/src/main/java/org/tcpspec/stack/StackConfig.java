package org.tcpspec.stack;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.tcpspec.tcb.Tcb;

/**
 * Stack-wide settings under the names of the Linux sysctls they mirror, Linux's defaults unless
 * changed: what a packetdrill script sets with {@code sysctl net.ipv4.tcp_...} maps here through
 * {@link #withSysctl}. {@code mtu} is the device's MTU, from which the local MSS follows.
 */
public record StackConfig(
    int synRetries, int synLinearTimeouts, int synackRetries, int retries2, int orphanRetries, long finTimeoutNanos, boolean timestamps,
    boolean sack, boolean windowScaling, int rmemDefault, int rmemMax, int coreRmemMax, int wmemDefault,
    long keepaliveTimeNanos, long keepaliveIntvlNanos, int keepaliveProbes, int mtu, int challengeAckLimit,
    long invalidRatelimitNanos, int syncookies, int maxSynBacklog, int somaxconn, int tcpRecovery,
    int tcpEarlyRetrans, int tcpFrto, boolean tcpDsack, int tcpReordering, int tcpMaxReordering,
    String congestionControl, int rmemMin, int wmemMin, TcpMem tcpMem, int tcpFastopen,
    List<FastOpenKey> fastopenKeys, int wmemMax, boolean moderateRcvbuf, int tcpEcn, long tcpNotsentLowat,
    boolean shrinkWindow, int rtoMaxMillis, int rtoMinMicros) {

  public StackConfig {
    fastopenKeys = List.copyOf(fastopenKeys);
  }

  /**
   * net.ipv4.tcp_mem: the stack-wide limits on buffered bytes, in pages of {@link #PAGE} bytes
   * (Linux's sk_prot_mem_limits 0, 1, 2). Above {@code pressure} the stack is under memory
   * pressure until it falls to {@code low}; above {@code high} no more is charged. See {@link
   * StackMemory}.
   */
  public record TcpMem(long low, long pressure, long high) {
    /** Linux's page, the unit of tcp_mem. */
    public static final int PAGE = 4096;

    /**
     * Linux's tcp_init_mem sizes tcp_mem from the free memory: limit = pages / 16 (at least 128),
     * low = limit / 4 * 3, pressure = limit, high = low * 2. The stack's memory is the JVM's
     * heap, so its pages count here.
     */
    static TcpMem forHeap(long heapBytes) {
      long limit = Math.max(heapBytes / PAGE / 16, 128);
      return new TcpMem(limit / 4 * 3, limit, limit / 4 * 3 * 2);
    }
  }

  private static final long SECOND = 1_000_000_000L;
  /** tcp_fastopen bit (Linux TFO_CLIENT_ENABLE): clients may send data in their SYN (RFC 7413). */
  public static final int TFO_CLIENT_ENABLE = 0x1;
  /** tcp_fastopen bit (TFO_SERVER_ENABLE): listeners with a Fast Open queue accept data in SYNs. */
  public static final int TFO_SERVER_ENABLE = 0x2;
  /** tcp_fastopen bit (TFO_CLIENT_NO_COOKIE): a client sends data in its SYN without a cookie. */
  public static final int TFO_CLIENT_NO_COOKIE = 0x4;
  /** tcp_fastopen bit (TFO_SERVER_COOKIE_NOT_REQD): a server takes data in a SYN without a cookie. */
  public static final int TFO_SERVER_COOKIE_NOT_REQD = 0x200;
  /** tcp_fastopen bit (TFO_SERVER_WO_SOCKOPT1): every listener has a Fast Open queue of its backlog. */
  public static final int TFO_SERVER_WO_SOCKOPT1 = 0x400;

  /** tcp_ecn 1 (Linux): ask for ECN in our SYNs (RFC 3168 §6.1.1) and accept it when asked. */
  public static final int ECN_ALWAYS = 1;
  /** tcp_ecn 2 (Linux's default): accept ECN when a peer's SYN asks for it, never ask. */
  public static final int ECN_WHEN_ASKED = 2;

  /**
   * tcp_notsent_lowat's default (Linux: UINT_MAX): unsent bytes never keep a stream from being
   * writeable. See {@code SendSpace}.
   */
  public static final long NOTSENT_LOWAT_NONE = 0xFFFF_FFFFL;

  /** tcp_rto_max_ms's default and highest value (Linux TCP_RTO_MAX_SEC * MSEC_PER_SEC). */
  public static final int RTO_MAX_MS_DEFAULT = 120_000;
  /** tcp_rto_max_ms's lowest value (Linux TCP_RTO_MAX_MIN_SEC * MSEC_PER_SEC). */
  public static final int RTO_MAX_MS_LOWEST = 1_000;

  /** tcp_rto_min_us's default (Linux TCP_RTO_MIN, 200 ms), and the highest TCP_RTO_MIN_US. */
  public static final int RTO_MIN_US_DEFAULT = 200_000;
  /** The fewest jiffies TCP_RTO_MIN_US takes (Linux TCP_TIMEOUT_MIN). */
  public static final int RTO_MIN_JIFFIES_LOWEST = 2;

  /**
   * Linux usecs_to_jiffies for the stack's kernel of 1000 Hz (jiffies are milliseconds, as for
   * {@code Cubic}): rounded up; a negative int, an unsigned value past the jiffies Linux can count,
   * gives Integer.MAX_VALUE.
   */
  public static int usecsToJiffies(int micros) {
    return micros < 0 ? Integer.MAX_VALUE : (int) ((micros + 999L) / 1000);
  }

  /** tcp_recovery bit: RACK loss detection (RFC 8985 §6). */
  public static final int RACK_LOSS_DETECTION = 0x1;
  /** tcp_recovery bit: RACK's reordering window does not grow on DSACKs. */
  public static final int RACK_STATIC_REO_WND = 0x2;
  /** tcp_recovery bit: RACK keeps its reordering window when DupThresh segments are SACKed. */
  public static final int RACK_NO_DUPTHRESH = 0x4;

  /** Linux's tcp_wmem default (its second field): a socket's send buffer before establishment. */
  public static final int WMEM_DEFAULT = 16384;

  /**
   * Linux defaults: tcp_syn_retries 6, tcp_syn_linear_timeouts 4 (recent kernels, 6.18 here;
   * older ones back off from the first SYN retransmission, as 0 does), tcp_synack_retries 5,
   * tcp_retries2 15, tcp_orphan_retries 0 (which means 8 while the RTO is below its maximum,
   * tcp_orphan_retries()), tcp_fin_timeout 60, tcp_rmem max 6 MiB, net.core.rmem_max 212992,
   * keep-alive 7200/75/9, MTU 1500; tcp_challenge_ack_limit INT_MAX (no host-wide limit since
   * Linux 6.0), tcp_invalid_ratelimit 500 ms, tcp_syncookies 1 (cookies when the SYN queue
   * overflows), tcp_max_syn_backlog 2048 (it matters only without cookies), net.core.somaxconn 4096;
   * loss recovery: tcp_recovery 1 (RACK), tcp_early_retrans 3 (tail loss probes), tcp_frto 2,
   * tcp_dsack 1, tcp_reordering 3, tcp_max_reordering 300; tcp_congestion_control cubic; tcp_rmem
   * and tcp_wmem minimum 4096 (what a socket may always hold under memory pressure); tcp_mem from
   * the JVM's maximum heap as Linux's tcp_init_mem sizes it from free memory; tcp_fastopen 1 (Fast
   * Open for clients only), no tcp_fastopen_key (the stack draws one, as tcp_fastopen_init_key_once);
   * tcp_wmem default 16384 and max 4 MiB, tcp_moderate_rcvbuf 1 (the buffers grow as {@link BufferAutotuning} says);
   * tcp_ecn 2 (ECN when the peer asks for it, {@link #ECN_WHEN_ASKED}); tcp_notsent_lowat UINT_MAX
   * ({@link #NOTSENT_LOWAT_NONE}); tcp_shrink_window 0 (an offered window is never taken back);
   * tcp_rto_max_ms 120000 (Linux 6.15+: a new socket's maximum RTO, TCP_RTO_MAX); tcp_rto_min_us
   * 200000 (Linux 6.11+: a new socket's minimum RTO, TCP_RTO_MIN).
   */
  public static StackConfig linuxDefaults() {
    return new StackConfig(6, 4, 5, 15, 0, 60 * SECOND, true, true, true, Tcb.DEFAULT_BUFFER, 6 * 1024 * 1024, 212992,
        WMEM_DEFAULT, 7200 * SECOND, 75 * SECOND, 9, 1500, Integer.MAX_VALUE, 500_000_000L, 1, 2048, 4096,
        RACK_LOSS_DETECTION, 3, 2, true, 3, 300, "cubic", 4096, 4096, TcpMem.forHeap(Runtime.getRuntime().maxMemory()),
        TFO_CLIENT_ENABLE, List.of(), 4 * 1024 * 1024, true, ECN_WHEN_ASKED, NOTSENT_LOWAT_NONE, false,
        RTO_MAX_MS_DEFAULT, RTO_MIN_US_DEFAULT);
  }

  /**
   * Linux 6.16+'s tcp_rmem[2], 32 MiB (commit "tcp: increase tcp_rmem[2] to 32 MB"): what a
   * network namespace of this kernel (6.18) starts with, where {@link #linuxDefaults()} keeps the
   * older 6 MiB.
   */
  public static final int RMEM_MAX_LINUX_6_16 = 32 << 20;

  /**
   * {@link #linuxDefaults()} with tcp_rmem's max at {@link #RMEM_MAX_LINUX_6_16}: the values a
   * fresh namespace of Linux 6.16+ holds, so a script's {@code sysctl} line that writes the value
   * already there (a change only the stack would see) leaves the stack where Linux is. The window
   * scale of a SYN shows the difference: 10 here, 7 with 6 MiB (tcp_select_initial_window).
   */
  public static StackConfig linux616Defaults() {
    StackConfig d = linuxDefaults();
    return d.with(b -> b.rmemMax = RMEM_MAX_LINUX_6_16);
  }

  /** This config with the device MTU changed (the local MSS is MTU - 40). */
  public StackConfig withMtu(int mtu) {
    return with(b -> b.mtu = mtu);
  }

  /** The MSS we advertise: MTU less the IPv4 and TCP headers (RFC 9293 §3.7.1, RFC 879). */
  public int localMss() {
    return mtu - 40;
  }

  /**
   * The window scale we offer (RFC 7323 §2.2). Linux (tcp_select_initial_window): the shift that
   * lets the largest window the socket could ever grow to fit 16 bits, that largest window being
   * the most of its receive space (tcp_full_space: the window its buffer offers), tcp_rmem's max
   * and net.core.rmem_max, clamped to the receive space when the application fixed SO_RCVBUF:
   * ilog2(space) - 15, within 0..14.
   */
  public int windowScale(int rcvSpace, boolean rcvBufLocked) {
    long space = rcvBufLocked ? rcvSpace : Math.max(rcvSpace, Math.max(rmemMax, coreRmemMax));
    int ilog2 = 63 - Long.numberOfLeadingZeros(Math.max(1, space));
    return Math.clamp(ilog2 - 15, 0, 14);
  }

  /**
   * This config with one sysctl applied ({@code name} with or without "net.ipv4."; net.core ones
   * in full); empty when the sysctl is not one the stack models or the value does not parse.
   * tcp_congestion_control accepts the algorithms of {@link CongestionControls}.
   */
  public Optional<StackConfig> withSysctl(String name, String value) {
    String n = name.startsWith("net.ipv4.") ? name.substring("net.ipv4.".length()) : name;
    String v = value.replace("\"", "").strip();
    try {
      return switch (n) {
        case "tcp_syn_retries" -> Optional.of(with(b -> b.synRetries = Integer.parseInt(v)));
        case "tcp_syn_linear_timeouts" -> {
          int linear = Integer.parseInt(v);
          yield linear < 0 ? Optional.empty() : Optional.of(with(b -> b.synLinearTimeouts = linear));
        }
        case "tcp_synack_retries" -> Optional.of(with(b -> b.synackRetries = Integer.parseInt(v)));
        case "tcp_retries2" -> Optional.of(with(b -> b.retries2 = Integer.parseInt(v)));
        case "tcp_orphan_retries" -> Optional.of(with(b -> b.orphanRetries = Integer.parseInt(v)));
        case "tcp_fin_timeout" -> Optional.of(with(b -> b.finTimeoutNanos = Long.parseLong(v) * SECOND));
        case "tcp_timestamps" -> Optional.of(with(b -> b.timestamps = !v.equals("0")));
        case "tcp_sack" -> Optional.of(with(b -> b.sack = !v.equals("0")));
        case "tcp_window_scaling" -> Optional.of(with(b -> b.windowScaling = !v.equals("0")));
        case "tcp_moderate_rcvbuf" -> Optional.of(with(b -> b.moderateRcvbuf = !v.equals("0")));
        // Linux 6.5+: 1 lets a scaled window shrink with the free memory (ReceiveWindow#select).
        case "tcp_shrink_window" -> Optional.of(with(b -> b.shrinkWindow = !v.equals("0")));
        // "min default max".
        case "tcp_rmem" -> {
          String[] f = v.split("\\s+");
          yield Optional.of(with(b -> {
            b.rmemMin = Integer.parseInt(f[0]);
            b.rmemDefault = Integer.parseInt(f[1]);
            b.rmemMax = Integer.parseInt(f[2]);
          }));
        }
        case "tcp_wmem" -> {
          String[] f = v.split("\\s+");
          yield Optional.of(with(b -> {
            b.wmemMin = Integer.parseInt(f[0]);
            b.wmemDefault = Integer.parseInt(f[1]);
            b.wmemMax = Integer.parseInt(f[2]);
          }));
        }
        // "low pressure high", pages; Linux's proc_doulongvec_minmax takes any three longs.
        case "tcp_mem" -> {
          String[] f = v.split("\\s+");
          if (f.length != 3) yield Optional.empty();
          TcpMem mem = new TcpMem(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
          yield Optional.of(with(b -> b.tcpMem = mem));
        }
        // Linux proc_dointvec: a decimal or 0x-prefixed hex bit mask (gtests' defaults.sh writes 0x70403).
        case "tcp_fastopen" -> Optional.of(with(b -> b.tcpFastopen = Integer.decode(v)));
        case "tcp_fastopen_key" -> FastOpenKey.parseSysctl(v).map(keys -> with(b -> b.fastopenKeys = keys));
        case "net.core.rmem_max" -> Optional.of(with(b -> b.coreRmemMax = Integer.parseInt(v)));
        case "tcp_keepalive_time" -> Optional.of(with(b -> b.keepaliveTimeNanos = Long.parseLong(v) * SECOND));
        case "tcp_keepalive_intvl" -> Optional.of(with(b -> b.keepaliveIntvlNanos = Long.parseLong(v) * SECOND));
        case "tcp_keepalive_probes" -> Optional.of(with(b -> b.keepaliveProbes = Integer.parseInt(v)));
        case "tcp_challenge_ack_limit" -> Optional.of(with(b -> b.challengeAckLimit = Integer.parseInt(v)));
        case "tcp_invalid_ratelimit" ->
            Optional.of(with(b -> b.invalidRatelimitNanos = Long.parseLong(v) * 1_000_000L));
        // 0 to 2: classic ECN (RFC 3168); Linux 6.18's 3 to 5 are Accurate ECN, which the stack lacks.
        case "tcp_ecn" -> {
          int ecn = Integer.parseInt(v);
          yield ecn < 0 || ecn > ECN_WHEN_ASKED ? Optional.empty() : Optional.of(with(b -> b.tcpEcn = ecn));
        }
        // Linux proc_douintvec: an unsigned 32-bit value.
        case "tcp_notsent_lowat" -> {
          long lowat = Long.parseLong(v);
          yield lowat < 0 || lowat > NOTSENT_LOWAT_NONE ? Optional.empty() : Optional.of(with(b -> b.tcpNotsentLowat = lowat));
        }
        // Linux 6.15+ proc_dointvec_minmax: 1000..120000 ms, read by tcp_init_sock into a new
        // socket's icsk_rto_max (a child inherits its listener's).
        case "tcp_rto_max_ms" -> {
          int ms = Integer.parseInt(v);
          yield ms < RTO_MAX_MS_LOWEST || ms > RTO_MAX_MS_DEFAULT ? Optional.empty() : Optional.of(with(b -> b.rtoMaxMillis = ms));
        }
        // Linux 6.11+ proc_dointvec_minmax with extra1 SYSCTL_ONE: any int from 1 (no maximum),
        // read by tcp_init_sock into a new socket's icsk_rto_min in jiffies (a child inherits its
        // listener's); TCP_RTO_MIN_US takes less.
        case "tcp_rto_min_us" -> {
          int us = Integer.parseInt(v);
          yield us < 1 ? Optional.empty() : Optional.of(with(b -> b.rtoMinMicros = us));
        }
        case "tcp_syncookies" -> {
          int cookies = Integer.parseInt(v);
          yield cookies < 0 || cookies > 2 ? Optional.empty() : Optional.of(with(b -> b.syncookies = cookies));
        }
        case "tcp_max_syn_backlog" -> Optional.of(with(b -> b.maxSynBacklog = Integer.parseInt(v)));
        case "net.core.somaxconn" -> Optional.of(with(b -> b.somaxconn = Integer.parseInt(v)));
        case "tcp_recovery" -> Optional.of(with(b -> b.tcpRecovery = Integer.parseInt(v)));
        case "tcp_early_retrans" -> Optional.of(with(b -> b.tcpEarlyRetrans = Integer.parseInt(v)));
        case "tcp_frto" -> Optional.of(with(b -> b.tcpFrto = Integer.parseInt(v)));
        case "tcp_dsack" -> Optional.of(with(b -> b.tcpDsack = !v.equals("0")));
        case "tcp_reordering" -> Optional.of(with(b -> b.tcpReordering = Math.max(1, Integer.parseInt(v))));
        case "tcp_max_reordering" -> Optional.of(with(b -> b.tcpMaxReordering = Math.max(1, Integer.parseInt(v))));
        case "tcp_congestion_control" ->
            CongestionControls.known(v) ? Optional.of(with(b -> b.congestionControl = v)) : Optional.empty();
        default -> Optional.empty();
      };
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private StackConfig with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** A mutable copy, so that each sysctl names only the field it changes. */
  private static final class Builder {
    int synRetries, synLinearTimeouts, synackRetries, retries2, orphanRetries, rmemDefault, rmemMax, coreRmemMax, wmemDefault;
    int keepaliveProbes, mtu, challengeAckLimit, syncookies, maxSynBacklog, somaxconn, tcpRecovery,
        tcpEarlyRetrans, tcpFrto, tcpReordering, tcpMaxReordering, rmemMin, wmemMin, wmemMax;
    TcpMem tcpMem;
    int tcpFastopen, tcpEcn, rtoMaxMillis, rtoMinMicros;
    List<FastOpenKey> fastopenKeys;
    long finTimeoutNanos, keepaliveTimeNanos, keepaliveIntvlNanos, invalidRatelimitNanos, tcpNotsentLowat;
    boolean timestamps, sack, windowScaling, tcpDsack, moderateRcvbuf, shrinkWindow;
    String congestionControl;

    Builder(StackConfig c) {
      synRetries = c.synRetries;
      synLinearTimeouts = c.synLinearTimeouts;
      synackRetries = c.synackRetries;
      retries2 = c.retries2;
      orphanRetries = c.orphanRetries;
      finTimeoutNanos = c.finTimeoutNanos;
      timestamps = c.timestamps;
      sack = c.sack;
      windowScaling = c.windowScaling;
      rmemDefault = c.rmemDefault;
      rmemMax = c.rmemMax;
      coreRmemMax = c.coreRmemMax;
      wmemDefault = c.wmemDefault;
      keepaliveTimeNanos = c.keepaliveTimeNanos;
      keepaliveIntvlNanos = c.keepaliveIntvlNanos;
      keepaliveProbes = c.keepaliveProbes;
      mtu = c.mtu;
      challengeAckLimit = c.challengeAckLimit;
      invalidRatelimitNanos = c.invalidRatelimitNanos;
      syncookies = c.syncookies;
      maxSynBacklog = c.maxSynBacklog;
      somaxconn = c.somaxconn;
      tcpRecovery = c.tcpRecovery;
      tcpEarlyRetrans = c.tcpEarlyRetrans;
      tcpFrto = c.tcpFrto;
      tcpDsack = c.tcpDsack;
      tcpReordering = c.tcpReordering;
      tcpMaxReordering = c.tcpMaxReordering;
      congestionControl = c.congestionControl;
      rmemMin = c.rmemMin;
      wmemMin = c.wmemMin;
      tcpMem = c.tcpMem;
      tcpFastopen = c.tcpFastopen;
      fastopenKeys = c.fastopenKeys;
      wmemMax = c.wmemMax;
      moderateRcvbuf = c.moderateRcvbuf;
      tcpEcn = c.tcpEcn;
      tcpNotsentLowat = c.tcpNotsentLowat;
      shrinkWindow = c.shrinkWindow;
      rtoMaxMillis = c.rtoMaxMillis;
      rtoMinMicros = c.rtoMinMicros;
    }

    StackConfig build() {
      return new StackConfig(synRetries, synLinearTimeouts, synackRetries, retries2, orphanRetries, finTimeoutNanos, timestamps, sack,
          windowScaling, rmemDefault, rmemMax, coreRmemMax, wmemDefault, keepaliveTimeNanos, keepaliveIntvlNanos,
          keepaliveProbes, mtu, challengeAckLimit, invalidRatelimitNanos, syncookies, maxSynBacklog, somaxconn,
          tcpRecovery, tcpEarlyRetrans, tcpFrto, tcpDsack, tcpReordering, tcpMaxReordering, congestionControl,
          rmemMin, wmemMin, tcpMem, tcpFastopen, fastopenKeys, wmemMax, moderateRcvbuf, tcpEcn, tcpNotsentLowat,
          shrinkWindow, rtoMaxMillis, rtoMinMicros);
    }
  }
}
