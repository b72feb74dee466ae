package org.tcpspec.stack;

import java.util.List;
import org.tcpspec.tcb.Tcb;

/** Per-connection settings the socket API exposes; defaults as Linux. */
public final class SocketOptions {
  public boolean noDelay;
  public boolean keepAlive;
  public boolean reuseAddr;
  public int sndBuf = Tcb.DEFAULT_BUFFER;
  public int rcvBuf = Tcb.DEFAULT_BUFFER;
  /** SO_RCVBUF was set: Linux then sizes the window scale to this buffer (SOCK_RCVBUF_LOCK). */
  public boolean rcvBufLocked;
  /** SO_SNDBUF was set: the send buffer keeps that size (SOCK_SNDBUF_LOCK, no tcp_sndbuf_expand). */
  public boolean sndBufLocked;
  /** TCP_MAXSEG: caps the MSS we advertise and use; 0 means the interface default. */
  public int maxSeg;
  public boolean lingerOn;
  public int lingerSeconds;
  /**
   * TCP_LINGER2 (Linux tp->linger2): how long an orphaned FIN-WAIT-2 connection waits for the
   * peer's FIN, in seconds, at most {@link #LINGER2_MAX_SECONDS}; 0 leaves it to
   * net.ipv4.tcp_fin_timeout; -1 lets no orphan wait in FIN-WAIT-2 at all. Linux keeps jiffies,
   * but only ever whole seconds times HZ (do_tcp_setsockopt), so seconds lose nothing.
   */
  public int linger2Seconds;

  /** Linux TCP_FIN_TIMEOUT_MAX / HZ: the most TCP_LINGER2 keeps, 120 s. */
  public static final int LINGER2_MAX_SECONDS = 120;
  // Linux: tcp_keepalive_time 7200 s, tcp_keepalive_intvl 75 s, tcp_keepalive_probes 9.
  public long keepIdleNanos = 7200L * 1_000_000_000L;
  public long keepIntervalNanos = 75L * 1_000_000_000L;
  public int keepProbes = 9;
  /** TCP_QUICKACK 0: Linux's "pingpong" mode, every ACK delayed, until a delayed ACK fires. */
  public boolean pingpong;
  /** SO_RCVTIMEO: how long a blocking read waits before EAGAIN; 0 waits for ever. */
  public long rcvTimeoutNanos;
  /**
   * TCP_USER_TIMEOUT (RFC 5482), in ms: how long data may stay unacknowledged, or a closed window
   * unopened, before the connection gives up; 0 leaves it to tcp_retries2.
   */
  public int userTimeoutMillis;

  /**
   * TCP_RTO_MAX_MS (Linux 6.15+ icsk_rto_max), in ms: the most the retransmission timeout backs
   * off to; net.ipv4.tcp_rto_max_ms when the socket was made, a listener's for its children.
   */
  public int rtoMaxMillis = StackConfig.RTO_MAX_MS_DEFAULT;

  /**
   * TCP_RTO_MIN_US (Linux 6.15+ icsk_rto_min), in jiffies of a 1000 Hz kernel, milliseconds: the
   * least the variance term adds to SRTT in the RTO; net.ipv4.tcp_rto_min_us when the socket was
   * made (usecs_to_jiffies, rounded up), a listener's for its children.
   */
  public int rtoMinMillis = StackConfig.RTO_MIN_US_DEFAULT / 1000;

  /** {@link #rtoMinMillis} in nanoseconds, the stack clock's unit. */
  public long rtoMinNanos() {
    return rtoMinMillis * 1_000_000L;
  }

  /** {@link #rtoMaxMillis} in nanoseconds, the stack clock's unit. */
  public long rtoMaxNanos() {
    return rtoMaxMillis * 1_000_000L;
  }

  /** {@link #userTimeoutMillis} in nanoseconds, the stack clock's unit; 0 when unset. */
  long userTimeoutNanos() {
    return userTimeoutMillis * 1_000_000L;
  }
  /** TCP_CORK: a short last segment waits until uncorked (Linux TCP_NAGLE_CORK). */
  public boolean cork;
  /** SO_ZEROCOPY: MSG_ZEROCOPY sends get completion notifications on the error queue. */
  public boolean zerocopy;
  /** TCP_INQ: recvmsg reports the bytes left to read (TCP_CM_INQ). */
  public boolean inq;
  /** SO_TIMESTAMPING: the SOF_TIMESTAMPING_* flags (Linux sk_tsflags), see {@link TxTimestamps}. */
  public int timestamping;
  /**
   * TCP_NOTSENT_LOWAT (Linux tp->notsent_lowat, an unsigned 32-bit value): the stream is writeable
   * only while fewer bytes than this wait unsent; 0 leaves it to net.ipv4.tcp_notsent_lowat.
   */
  public long notsentLowat;
  /**
   * TCP_FASTOPEN on a listener: how many Fast Open children may wait in SYN-RECEIVED (Linux
   * fastopenq.max_qlen, RFC 7413 §5.1's limit on pending requests); 0, no Fast Open.
   */
  public int fastopenQueue;
  /** TCP_FASTOPEN_CONNECT: connect() defers the SYN to the first write when a cookie is cached. */
  public boolean fastopenConnect;
  /** TCP_FASTOPEN_NO_COOKIE: Fast Open without cookies for this socket (both roles). */
  public boolean fastopenNoCookie;
  /** TCP_FASTOPEN_KEY on a listener: its own keys (primary, then backup); empty, the stack's. */
  public List<FastOpenKey> fastopenKeys = List.of();
  /** TCP_SYNCNT: SYN retransmissions before giving up; 0, tcp_syn_retries. */
  public int synCount;
  /**
   * SO_OOBINLINE: the out-of-band octet of urgent data stays in the stream, and recv(MSG_OOB) is
   * EINVAL (Linux SOCK_URGINLINE; RFC 9293 §3.8.5 leaves the choice to the application).
   */
  public boolean oobInline;
  /** IP_TOS: the TOS byte of IPv4 segments (RFC 9293 §3.9.1.9 MUST-48; Linux inet->tos). */
  public int tos;
  /** IP_TTL: the TTL of IPv4 segments (§3.9.2 MUST-49); -1, net.ipv4.ip_default_ttl (Linux uc_ttl). */
  public int ttl = -1;
  /** IPV6_TCLASS: the traffic class of IPv6 segments (Linux np->tclass). */
  public int tclass;
  /** IPV6_UNICAST_HOPS: the hop limit of IPv6 segments; -1, the route's, 64 (Linux np->hop_limit). */
  public int hopLimit = -1;

  /** Linux's default TTL and hop limit (net.ipv4.ip_default_ttl, net.ipv6.conf.*.hop_limit). */
  public static final int DEFAULT_TTL = 64;

  /** The ECN field of the TOS byte and of the traffic class (RFC 3168 §5), which TCP sets, not the application. */
  public static final int ECN_MASK = 0x3;
  /** ECT(0), the codepoint of an ECN-capable transport (RFC 3168 §5; Linux INET_ECN_ECT_0). */
  public static final int ECT_0 = 0x2;

  /**
   * Linux tcp_ecn_send on a connection that agreed ECN (RFC 3168 §6.1.2): INET_ECN_xmit, ECT(0), for
   * a segment of new data; INET_ECN_dontxmit, Not-ECT, for anything else, since pure ACKs (§6.1.4)
   * and retransmissions (§6.1.5) MUST NOT be ECT. Like Linux's inet->tos and np->tclass, the bits
   * stay until the next segment sets them: getsockopt(IP_TOS) reads them, IP_TOS keeps them.
   */
  public void ecnTransmit(boolean ect) {
    int ecn = ect ? ECT_0 : 0;
    tos = (tos & ~ECN_MASK) | ecn;
    tclass = (tclass & ~ECN_MASK) | ecn;
  }

  /**
   * Whether a segment of an ECN connection goes out as ECT (Linux tcp_ecn_send's test): it carries
   * data ({@code payloadLength}; a bare FIN does not) sent for the first time ({@code newData}: at
   * SND.NXT, not a retransmission). A SYN never comes here: Linux sends it with the socket's bits
   * (tcp_ecn_send_syn sets none without a congestion control that needs ECN).
   */
  public static boolean ect(int payloadLength, boolean newData) {
    return payloadLength > 0 && newData;
  }

  /** The TOS byte or traffic class of a segment of the family {@code ipv6} says. */
  public int ipTos(boolean ipv6) {
    return ipv6 ? tclass : tos;
  }

  /** The TTL or hop limit of a segment of the family {@code ipv6} says (Linux ip_select_ttl). */
  public int ipTtl(boolean ipv6) {
    int t = ipv6 ? hopLimit : ttl;
    return t < 0 ? DEFAULT_TTL : t;
  }

  public SocketOptions copy() {
    SocketOptions o = new SocketOptions();
    o.noDelay = noDelay;
    o.zerocopy = zerocopy;
    o.cork = cork;
    o.inq = inq;
    o.notsentLowat = notsentLowat;
    o.timestamping = timestamping;
    o.fastopenQueue = fastopenQueue;
    o.fastopenConnect = fastopenConnect;
    o.fastopenNoCookie = fastopenNoCookie;
    o.fastopenKeys = fastopenKeys;
    o.synCount = synCount;
    o.oobInline = oobInline;
    o.tos = tos;
    o.ttl = ttl;
    o.tclass = tclass;
    o.hopLimit = hopLimit;
    o.keepAlive = keepAlive;
    o.reuseAddr = reuseAddr;
    o.sndBuf = sndBuf;
    o.rcvBuf = rcvBuf;
    o.rcvBufLocked = rcvBufLocked;
    o.sndBufLocked = sndBufLocked;
    o.maxSeg = maxSeg;
    o.lingerOn = lingerOn;
    o.lingerSeconds = lingerSeconds;
    o.linger2Seconds = linger2Seconds;
    o.keepIdleNanos = keepIdleNanos;
    o.keepIntervalNanos = keepIntervalNanos;
    o.keepProbes = keepProbes;
    o.pingpong = pingpong;
    o.rcvTimeoutNanos = rcvTimeoutNanos;
    o.userTimeoutMillis = userTimeoutMillis;
    o.rtoMaxMillis = rtoMaxMillis;
    o.rtoMinMillis = rtoMinMillis;
    return o;
  }
}
