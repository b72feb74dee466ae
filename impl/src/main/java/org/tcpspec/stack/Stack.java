package org.tcpspec.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.tcpspec.fsm.Engine;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.Reaction;
import org.tcpspec.fsm.State;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.time.Clock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.FastOpenOption;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;

/**
 * A TCP endpoint on one IPv4 address and at most one IPv6 address ({@link #ipv6Address(IpAddress)}),
 * sans-IO: feed inbound segments with {@link #input}, collect
 * outbound ones with {@link #drainOutput}, run timers with {@link #runTimers} once the injected
 * clock has moved (ask {@link #nextDeadlineNanos} when to). Demultiplexes by four-tuple, then by
 * listening port; a segment that matches nothing meets a CLOSED endpoint (RST, never for a RST,
 * §3.10.7.1). Connections leave the table by the rows that delete their TCB (DELETE_TCB), on
 * reaching CLOSED or, for a passive child, falling back to LISTEN.
 */
public final class Stack {
  /** IPv6's fixed header is 20 bytes longer than IPv4's: the MSS is MTU - 60 (Linux tcp_v6_connect). */
  static final int IPV6_EXTRA_HEADER = 20;
  /** IPv6's minimum MTU 1280 less its 40-byte header and TCP's 20 (RFC 8200 §5). */
  static final int IPV6_MIN_MSS = 1220;
  /** Linux: ip_local_port_range 32768..60999. */
  private static final int EPHEMERAL_LOW = 32768;
  private static final int EPHEMERAL_HIGH = 60999;

  private final IpAddress ipv4Address;
  /** The IPv6 address, or null while the stack has none (IPv6 segments then meet nothing). */
  private IpAddress ipv6Address;
  private final Clock clock;
  private final TraceSink trace;
  private final IsnGenerator isn;
  private StackConfig config;
  private final Map<FourTuple, Connection> connections = new HashMap<>();
  /** The same connections in the order they were added, walked by index: no iterator per timer check. */
  private final List<Connection> live = new ArrayList<>();
  private final Map<Integer, Listener> listeners = new HashMap<>();
  /** The same listeners, walked by index for their SYN-ACK timers: no iterator per timer check. */
  private final List<Listener> listening = new ArrayList<>();
  private final PassiveOpen passiveOpen;
  private final List<Sent> outbound = new ArrayList<>();
  /** Filled by the senders for every segment they make; the sink uses it before it is refilled. */
  private final OutboundSegment outboundSegment = new OutboundSegment();
  private boolean sinkTakesRuns;
  private SegmentSink sink = s -> outbound.add(new Sent(Segment.copyOf(s), s.ipTos() == 0 && s.ipTtl() == DEFAULT_IP.ttl()
      ? DEFAULT_IP : new Ipv4Params(s.ipTos(), DEFAULT_IP.identification(), DEFAULT_IP.dontFragment(), s.ipTtl())));
  private static final Ipv4Params DEFAULT_IP = Ipv4Params.DEFAULT;
  /** The same connections, found from a segment's numbers without a key object. */
  private final ConnectionIndex index = new ConnectionIndex();
  private final List<Connection> timerSnapshot = new ArrayList<>();
  private final Connection closedEndpoint;
  private int nextEphemeral = EPHEMERAL_LOW;
  private long connectionCounter;
  private boolean strict;
  private long unreachableEvents;
  /** RFC 5961 §7 host-wide challenge ACK budget: the second it is for, what is left of it. */
  private long challengeSecond = -1;
  private long challengeBudget;
  private final SplittableRandom random;
  private final StackMemory memory = new StackMemory(this);
  private final FastOpenCache fastOpenCache = new FastOpenCache();

  public Stack(int localAddr, Clock clock, TraceSink trace, long isnSecret) {
    this(localAddr, clock, trace, isnSecret, StackConfig.linuxDefaults());
  }

  public Stack(int localAddr, Clock clock, TraceSink trace, long isnSecret, StackConfig config) {
    this.config = config;
    this.ipv4Address = IpAddress.ipv4(localAddr);
    this.clock = clock;
    this.trace = trace;
    this.isn = new IsnGenerator(isnSecret, clock);
    this.random = new SplittableRandom(isnSecret);
    this.passiveOpen = new PassiveOpen(this, random.nextLong());
    this.closedEndpoint = new Connection(new FourTuple(localAddr, 0, 0, 0), defaultOptions(), clock, isn, this, null,
        new Engine(TransitionTable.instance(), trace, clock, "closed"));
  }

  public StackConfig config() {
    return config;
  }

  /** Applies to connections opened from now on (as a sysctl does for new sockets). */
  public void config(StackConfig config) {
    this.config = config;
  }

  /** Default socket options under this stack's config (buffer sizes, keep-alive timing). */
  public SocketOptions defaultOptions() {
    SocketOptions o = new SocketOptions();
    o.rcvBuf = config.rmemDefault();
    o.sndBuf = config.wmemDefault();
    o.keepIdleNanos = config.keepaliveTimeNanos();
    o.keepIntervalNanos = config.keepaliveIntvlNanos();
    o.keepProbes = config.keepaliveProbes();
    return o;
  }

  /** The IPv4 address as a big-endian int. */
  public int localAddr() {
    return ipv4Address.ipv4();
  }

  /**
   * Gives the stack its IPv6 address (RFC 8200): from now on it takes IPv6 segments to it, and
   * listeners take SYNs of both families (a dual-stack listener, as Linux's AF_INET6 wildcard socket
   * without IPV6_V6ONLY).
   */
  public void ipv6Address(IpAddress address) {
    if (address.isIpv4()) throw new IllegalArgumentException("not an IPv6 address: " + address);
    this.ipv6Address = address;
  }

  public Optional<IpAddress> ipv6Address() {
    return Optional.ofNullable(ipv6Address);
  }

  /** Whether (high, low) is one of this stack's addresses (allocation-free: every received segment). */
  public boolean isLocal(long high, long low) {
    if (high == ipv4Address.high() && low == ipv4Address.low()) return true;
    return ipv6Address != null && high == ipv6Address.high() && low == ipv6Address.low();
  }

  /** Our address of {@code remote}'s family; the IPv4 one when the stack has no IPv6 address. */
  IpAddress localAddress(IpAddress remote) {
    return remote.isIpv4() || ipv6Address == null ? ipv4Address : ipv6Address;
  }

  /**
   * The MSS we advertise to {@code remote}: the config's MTU - 40 for IPv4; for IPv6 MTU - 60 (its
   * header is 20 bytes longer) and never below 1220, the MSS of IPv6's minimum link MTU of 1280
   * (RFC 8200 §5; Linux ip6_default_advmss with ip6_rt_min_advmss).
   */
  int localMss(IpAddress remote) {
    return remote.isIpv4() ? config.localMss() : Math.max(IPV6_MIN_MSS, config.localMss() - IPV6_EXTRA_HEADER);
  }

  /**
   * The MSS assumed of a peer that sends no MSS option (RFC 9293 MUST-15 and §3.7.1): 536 for IPv4,
   * 1220 for IPv6 (Linux's mss_clamp of tcp_request_sock_ipv6_ops and tcp_v6_connect).
   */
  static int defaultPeerMss(IpAddress remote) {
    return remote.isIpv4() ? Tcb.DEFAULT_MSS : IPV6_MIN_MSS;
  }

  public Clock clock() {
    return clock;
  }

  // ---------------------------------------------------------------- the device side

  /**
   * Processes one inbound segment addressed to this stack. Never throws on a segment, unless
   * {@link #strict(boolean)} and no row of the table accepts it.
   */
  public void input(SegmentView seg) {
    Connection c = index.get(seg);
    if (c != null) {
      c.onSegment(seg);
      return;
    }
    Listener l = listeners.get(seg.dstPort());
    if (l != null && isLocal(seg.dstAddrHigh(), seg.dstAddrLow())) {
      // ListenRcvSyn is taken by a child of its own (see Listener); the listener stays in LISTEN.
      passiveOpen.input(l, seg);
      return;
    }
    closedEndpoint.onSegment(seg);
  }

  /**
   * Processes one ICMP or ICMPv6 error message addressed to this stack (RFC 9293 §3.9.2.2): the
   * connection whose segment it quotes takes it ({@link Connection#onIcmpError}); an error about no
   * connection of ours, or about a listener's half-open request, is dropped (SPEC-GAP: Linux's
   * tcp_req_err drops such a request on some errors).
   */
  public void icmpInput(IcmpError e) {
    if (!isLocal(e.localAddr().high(), e.localAddr().low())) return;
    Connection c = connections.get(new FourTuple(e.localAddr(), e.localPort(), e.remoteAddr(), e.remotePort()));
    if (c != null) c.onIcmpError(e.seq(), IcmpInput.of(e));
  }

  /**
   * Strict: an arrival or timer event that no row accepts (a {@link Reaction.Unreachable}: the
   * classifier or the timers produced what the table says they cannot) throws instead of being
   * dropped and counted. Test fixtures set it; a running stack counts.
   */
  public void strict(boolean strict) {
    this.strict = strict;
  }

  /** How many arrivals and timer events no row accepted since the stack started (0 unless a bug). */
  /** The bytes this stack's connections hold in their buffers, bounded by tcp_mem, and its counters. */
  public StackMemory memory() {
    return memory;
  }

  /** tcp_sockets_allocated: the connections that may hold buffers (the fair share divides by it). */
  int connectionCount() {
    return connections.size();
  }

  public long unreachableEvents() {
    return unreachableEvents;
  }

  /**
   * RFC 5961 §7's host-wide limit on challenge ACKs, as Linux's tcp_send_challenge_ack: each
   * second a budget drawn between half of tcp_challenge_ack_limit and one and a half times it (so
   * an off-path attacker cannot count the ACKs to learn the window, CVE-2016-5696); INT_MAX, the
   * default since Linux 6.0, means no host-wide limit.
   */
  boolean challengeAckAllowed() {
    long limit = config.challengeAckLimit();
    if (limit == Integer.MAX_VALUE) return true;
    long second = clock.nowNanos() / 1_000_000_000L;
    if (second != challengeSecond) {
      challengeSecond = second;
      challengeBudget = limit <= 0 ? 0 : (limit + 1) / 2 + random.nextLong(limit);
    }
    if (challengeBudget <= 0) return false;
    challengeBudget--;
    return true;
  }

  void unreachable(Object c, Event e, Reaction r) {
    unreachableEvents++;
    if (strict) throw new IllegalStateException(c + ": no row for " + e + ": " + r.reason());
  }

  /** Where the segments a stack sends go, each as it is made. */
  @FunctionalInterface
  public interface SegmentSink {
    /** Uses or copies the segment before returning: the view is overwritten by the next one. */
    void transmit(SegmentView segment);
  }

  /**
   * Hands every segment to {@code sink} as it is made instead of queueing a {@link Segment} copy
   * for {@link #drainOutput}: with a sink that writes the bytes out (e.g. {@link
   * org.tcpspec.wire.SegmentEmitter#write}) the data path allocates nothing per segment.
   */
  public void transmitTo(SegmentSink sink) {
    transmitTo(sink, false);
  }

  /**
   * {@link #transmitTo(SegmentSink)}; with {@code segmentRuns} the sink also takes a segment
   * standing for a run of MSS-sized ones ({@link org.tcpspec.wire.OutboundSegment#segmentSize()}),
   * as a device that segments on transmit (TSO/GSO) does: the sender then hands over the new data
   * of one output pass as one such segment where the wire would carry identical headers.
   */
  public void transmitTo(SegmentSink sink, boolean segmentRuns) {
    this.sink = sink;
    this.sinkTakesRuns = segmentRuns;
  }

  /** Whether the sink takes segment runs (see {@link #transmitTo(SegmentSink, boolean)}). */
  boolean sinkTakesRuns() {
    return sinkTakesRuns;
  }

  /** Segments produced since the last call, in order (none when a sink is set). */
  public List<Segment> drainOutput() {
    List<Segment> out = new ArrayList<>(outbound.size());
    for (Sent s : outbound) out.add(s.segment());
    outbound.clear();
    return out;
  }

  /**
   * A segment the stack sent and the IP header fields it went with: the TOS byte or traffic class
   * and the TTL or hop limit its socket set (IP_TOS, IP_TTL, IPV6_TCLASS, IPV6_UNICAST_HOPS),
   * identification 0 and DF as {@link Ipv4Params#DEFAULT}.
   */
  public record Sent(Segment segment, Ipv4Params ip) {}

  /** As {@link #drainOutput}, each segment with its IP header fields. */
  public List<Sent> drainSent() {
    List<Sent> out = List.copyOf(outbound);
    outbound.clear();
    return out;
  }

  /** Runs every timer due at the clock's current time. */
  public void runTimers() {
    long now = clock.nowNanos();
    // A timer may close its connection and so change the table: walk a snapshot, in a list kept
    // for the purpose so that a delayed ACK in bulk transfer allocates nothing.
    for (int i = 0; i < live.size(); i++) timerSnapshot.add(live.get(i));
    try {
      for (int i = 0; i < timerSnapshot.size(); i++) {
        Connection c = timerSnapshot.get(i);
        if (c.tcb.timers.next() <= now) c.onTimers(now);
      }
    } finally {
      timerSnapshot.clear();
    }
    for (int i = 0; i < listening.size(); i++) {
      Listener l = listening.get(i);
      if (l.synQueue.nextDeadlineNanos() > now) continue;
      for (HalfOpen h : l.synQueue.due(now)) h.onTimer(now);
    }
  }

  /** The earliest timer deadline of any connection, {@link Long#MAX_VALUE} when none runs. */
  public long nextDeadlineNanos() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < live.size(); i++) min = Math.min(min, live.get(i).tcb.timers.next());
    for (int i = 0; i < listening.size(); i++) min = Math.min(min, listening.get(i).synQueue.nextDeadlineNanos());
    return min;
  }

  void transmit(SegmentView s) {
    sink.transmit(s);
  }

  OutboundSegment outboundSegment() {
    return outboundSegment;
  }

  /**
   * The reset reply of §3.10.7.1: <SEQ=SEG.ACK><CTL=RST> for a segment with ACK, else
   * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; nothing for a RST.
   */
  void replyRst(SegmentView seg) {
    if (seg.has(TcpFlags.RST)) return;
    Segment rst = seg.has(TcpFlags.ACK)
        ? new Segment(seg.dstIp(), seg.srcIp(), seg.dstPort(), seg.srcPort(), seg.ack(), 0, TcpFlags.RST, 0, 0,
            List.of(), new byte[0])
        : new Segment(seg.dstIp(), seg.srcIp(), seg.dstPort(), seg.srcPort(), 0,
            SeqNum.plus(seg.seq(), seg.segLen()), TcpFlags.RST | TcpFlags.ACK, 0, 0, List.of(), new byte[0]);
    transmit(rst);
  }

  // ---------------------------------------------------------------- the user side

  /**
   * Listens on {@code port} (0 picks an ephemeral one); empty if the port is taken. Linux
   * (__sys_listen): a backlog above net.core.somaxconn, or negative, is somaxconn.
   */
  public Optional<Listener> listen(int port, int backlog, SocketOptions options) {
    int p = port == 0 ? ephemeralPort(IpAddress.ipv4(0), 0) : port;
    if (listeners.containsKey(p)) return Optional.empty();
    FourTuple t = new FourTuple(ipv4Address, p, IpAddress.ipv4(0), 0);
    Connection c = newConnection(t, options, null);
    c.user(Event.PASSIVE_OPEN);
    int somaxconn = config.somaxconn();
    Listener l = new Listener(c, backlog < 0 || backlog > somaxconn ? somaxconn : backlog);
    // Linux inet_listen: tcp_fastopen's 0x400 with the server bit gives every listener without
    // TCP_FASTOPEN a Fast Open queue of its backlog (fastopen_queue_tune).
    int tfo = config.tcpFastopen();
    if ((tfo & StackConfig.TFO_SERVER_WO_SOCKOPT1) != 0 && (tfo & StackConfig.TFO_SERVER_ENABLE) != 0
        && options.fastopenQueue == 0) {
      options.fastopenQueue = Math.min(l.backlog(), somaxconn);
    }
    listeners.put(p, l);
    listening.add(l);
    return Optional.of(l);
  }

  public boolean portInUse(int port) {
    if (listeners.containsKey(port)) return true;
    for (FourTuple t : connections.keySet()) if (t.localPort() == port) return true;
    return false;
  }

  /**
   * Stops listening: the listener goes to CLOSED (CLOSE_LISTEN, which releases the port); Linux
   * resets children not yet accepted.
   */
  public void closeListener(Listener l) {
    for (HalfOpen h : l.synQueue.all()) h.abort();
    for (Connection child : l.allChildren()) abort(child);
    l.clear();
    l.listening.user(Event.CLOSE);
  }

  /** Active open from {@code localPort} (0: ephemeral) to the IPv4 remote endpoint. */
  public Optional<Connection> connect(int localPort, int remoteAddr, int remotePort, SocketOptions options) {
    return connect(localPort, IpAddress.ipv4(remoteAddr), remotePort, options);
  }

  /**
   * Active open from {@code localPort} (0: ephemeral) to the remote endpoint, from our address of its
   * family; empty when the tuple is taken or we have no address of that family.
   */
  public Optional<Connection> connect(int localPort, IpAddress remoteAddr, int remotePort, SocketOptions options) {
    Optional<Connection> c = newActiveConnection(localPort, remoteAddr, remotePort, options);
    c.ifPresent(x -> x.user(Event.ACTIVE_OPEN));
    return c;
  }

  /**
   * ACTIVE_OPEN_FAST_OPEN (RFC 7413 §4.2.1): sendto() with MSG_FASTOPEN, or the first write after a
   * TCP_FASTOPEN_CONNECT connect(): an active open whose SYN carries what it may of {@code data}
   * (see {@link #fastOpenSynData}); empty as {@link #connect} is.
   */
  public Optional<Connection> connectFastOpen(int localPort, IpAddress remoteAddr, int remotePort,
      SocketOptions options, byte[] data) {
    Optional<Connection> c = newActiveConnection(localPort, remoteAddr, remotePort, options);
    c.ifPresent(x -> x.openFastOpen(data, 0, data.length));
    return c;
  }

  /** A connection for an active open, registered and not yet opened; empty as {@link #connect} is. */
  private Optional<Connection> newActiveConnection(int localPort, IpAddress remoteAddr, int remotePort,
      SocketOptions options) {
    if (!remoteAddr.isIpv4() && ipv6Address == null) return Optional.empty();
    int p = localPort == 0 ? ephemeralPort(remoteAddr, remotePort) : localPort;
    FourTuple t = new FourTuple(localAddress(remoteAddr), p, remoteAddr, remotePort);
    if (connections.containsKey(t)) return Optional.empty();
    Connection c = newConnection(t, options, null);
    connections.put(t, c);
    index.put(c);
    live.add(c);
    return Optional.of(c);
  }

  /** The bytes a Fast Open connection's first SYN carried (Linux fastopen_req->copied). */
  public int fastOpenSynData(Connection c) {
    return c.fastOpen.synData;
  }

  /**
   * Linux tcp_fastopen_defer_connect: whether connect() with TCP_FASTOPEN_CONNECT may wait for the
   * first write, because a SYN to {@code server} could carry its data (a cached cookie, or none
   * needed).
   */
  public boolean fastOpenMayCarryData(IpAddress server, SocketOptions options) {
    return FastOpenClient.mayCarryData(this, server, options);
  }

  /** {@code ip tcp_metrics flush}: the client forgets its Fast Open cookies (and the MSS beside them). */
  public void flushTcpMetrics() {
    fastOpenCache.clear();
  }

  /** The client's Fast Open cookies per server (Linux's tcp_metrics entries). */
  FastOpenCache fastOpenCache() {
    return fastOpenCache;
  }

  /**
   * SEND (§3.10.2): the bytes the send buffer took, or -1 when the state refuses SEND (the table's
   * reaction for the state says why); no result object, so the data path allocates nothing.
   */
  public int write(Connection c, byte[] data, int off, int len) {
    return c.write(data, off, len, 0);
  }

  /**
   * SEND with send()'s flags: {@code endOfRecord} (MSG_EOR), no segment crosses the end of what
   * this call wrote; {@code more} (MSG_MORE), a short tail waits for the next write.
   */
  public int send(Connection c, byte[] data, int off, int len, boolean endOfRecord, boolean more) {
    return send(c, data, off, len, endOfRecord, more, false);
  }

  /** As above; {@code urgent} (MSG_OOB) makes what this call wrote urgent data (RFC 9293 §3.8.5). */
  public int send(Connection c, byte[] data, int off, int len, boolean endOfRecord, boolean more, boolean urgent) {
    return c.write(data, off, len, (endOfRecord ? Connection.END_OF_RECORD : 0) | (more ? Connection.MORE : 0)
        | (urgent ? Connection.URGENT : 0));
  }

  /** A socket option released what waited (TCP_NODELAY on, TCP_CORK off); see {@link Connection#pushPending}. */
  public void pushPending(Connection c, boolean pushAll) {
    c.pushPending(pushAll);
  }

  public int read(Connection c, byte[] dst, int off, int len) {
    return c.read(dst, off, len, true);
  }

  /**
   * SO_KEEPALIVE or TCP_KEEPIDLE changed. Linux: turning keep-alive on arms the timer a full idle
   * time from now (tcp_set_keepalive); a new TCP_KEEPIDLE counts from the last segment received
   * (tcp_sock_set_keepidle_locked, keepalive_time_elapsed).
   */
  public void keepaliveChanged(Connection c, boolean fromLastReceive) {
    c.probes.keepaliveOptionsChanged(fromLastReceive);
  }

  /** TCP_QUICKACK 1: Linux (__tcp_sock_set_quickack) sends a scheduled ACK now if all was read. */
  public void quickAck(Connection c) {
    c.quickAck();
  }

  /**
   * shutdown(SHUT_WR): CLOSE (§3.10.4), our FIN after the queued data, where Linux's tcp_shutdown
   * sends one; the reaction if the state refuses CLOSE.
   */
  public Optional<Reaction> shutdownWrite(Connection c) {
    return switch (c.state()) {
      case SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> c.user(Event.CLOSE);
      case CLOSED, LISTEN, SYN_SENT, FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT ->
          TransitionTable.instance().reaction(c.state(), Event.CLOSE);
    };
  }

  /**
   * shutdown(SHUT_RD): the application reads no more (Linux's inet_shutdown sets RCV_SHUTDOWN and
   * sends nothing). Once our FIN is out too, new text draws a RST (FinWait1RcvDataAfterClose).
   */
  public void shutdownRead(Connection c) {
    c.receiveShut = true;
  }

  /**
   * close(): Linux sends a RST instead of a FIN when unread data would be discarded (RFC 2525
   * §2.17) or SO_LINGER is on with a zero timeout; otherwise CLOSE and the connection lives on,
   * orphaned, until it reaches CLOSED.
   */
  public void close(Connection c) {
    c.orphaned = true;
    c.receiveShut = true;
    boolean discard = c.tcb.receiveBuffer.readable() > 0 || (c.options.lingerOn && c.options.lingerSeconds == 0);
    // Nobody reads any more: what is left unread gives its memory back.
    if (c.state() == State.CLOSED) c.tcb.receiveBuffer.clear();
    if (discard && c.state() != State.CLOSED) {
      c.tcb.receiveBuffer.clear();
      abort(c);
      return;
    }
    switch (c.state()) {
      case LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> c.user(Event.CLOSE);
      // Linux: an orphaned FIN-WAIT-2 connection lives at most tcp_fin_timeout.
      case FIN_WAIT_2 -> c.armFinWait2Timer();
      case CLOSED, FIN_WAIT_1, CLOSING, LAST_ACK, TIME_WAIT -> {
        // Already closing or closed: nothing to send.
      }
    }
  }

  public Optional<Reaction> abort(Connection c) {
    return c.user(Event.ABORT);
  }

  /** Live connections (not listeners), for diagnostics and tests. */
  public List<Connection> connections() {
    return List.copyOf(connections.values());
  }

  // ---------------------------------------------------------------- bookkeeping

  private Connection newConnection(FourTuple t, SocketOptions options, Listener parent) {
    return new Connection(t, options, clock, isn, this, parent, engineFor(t));
  }

  private Engine engineFor(FourTuple t) {
    return new Engine(TransitionTable.instance(), trace, clock, t + "#" + (++connectionCounter));
  }

  /**
   * The engine of a half-open connection; named (the tuple and a counter, as every connection)
   * only when a trace wants records, so that a SYN flood builds no strings.
   */
  Engine engineFor(int localPort, IpAddress remoteAddr, int remotePort) {
    if (!trace.enabled()) return new Engine(TransitionTable.instance(), trace, clock, "");
    return engineFor(new FourTuple(localAddress(remoteAddr), localPort, remoteAddr, remotePort));
  }

  int isn(FourTuple t) {
    return isn.isn(t);
  }

  /**
   * A half-open connection's handshake completes: the connection with a TCB that takes over its
   * engine (Linux tcp_create_openreq_child), in the tables and the listener's embryonic set until
   * SIGNAL_ESTABLISHED moves it to the accept queue.
   */
  Connection promote(HalfOpen h) {
    Listener l = h.listener;
    FourTuple key = new FourTuple(localAddress(h.remoteAddr()), l.localPort(), h.remoteAddr(), h.remotePort);
    Connection c = new Connection(key, l.listening.options.copy(), clock, isn, this, l, h.engine);
    Handshake.adopt(c, h);
    c.sender.synAckSent(h.synAckSentNanos, h.synAckRetransmits == 0 && !h.fromCookie(),
        passiveOpen.synAckWindow(h));
    l.adopt(c);
    connections.put(key, c);
    index.put(c);
    live.add(c);
    return c;
  }

  /**
   * ListenRcvSynFastOpen (RFC 7413 §4.2, Linux tcp_fastopen_create_child): the SYN makes a
   * connection with a TCB at once, in the listener's accept queue, that takes the SYN's data and
   * answers with a SYN-ACK acknowledging it (offering {@code synAckCookie} unless null).
   */
  void fastOpenChild(Listener l, SegmentView syn, FastOpenOption.Cookie synAckCookie) {
    FourTuple key = new FourTuple(localAddress(syn.srcIp()), l.localPort(), syn.srcIp(), syn.srcPort());
    Connection c = new Connection(key, l.listening.options.copy(), clock, isn, this, l, engineFor(key));
    c.fastOpen.child = true;
    c.fastOpen.synDataAcked = syn.payloadLength() > 0;
    c.fastOpen.synCookie(synAckCookie);
    connections.put(key, c);
    index.put(c);
    live.add(c);
    l.adoptFastOpen(c);
    c.user(Event.PASSIVE_OPEN);
    c.onArrival(syn, Event.RCV_SYN_FAST_OPEN);
    c.fastOpen.synCookie(null);
  }

  /**
   * The listener that could take a new SYN to {@code localPort}, or null (none, or its accept
   * queue is full).
   */
  Listener listenerFor(int localPort) {
    Listener l = listeners.get(localPort);
    return l == null || l.acceptQueueFull() ? null : l;
  }

  /**
   * DELETE_TCB: the connection leaves the tables (a passive child also its listener's queues); a
   * listener's own connection releases the port.
   */
  void forget(Connection c) {
    if (connections.remove(c.tuple, c)) {
      index.remove(c);
      live.remove(c);
    }
    Listener l = listeners.get(c.tuple.localPort());
    if (l != null && l.listening == c) {
      listeners.remove(c.tuple.localPort());
      listening.remove(l);
    }
    if (c.parent != null) c.parent.forget(c);
  }

  private int ephemeralPort(IpAddress remoteAddr, int remotePort) {
    for (int i = 0; i <= EPHEMERAL_HIGH - EPHEMERAL_LOW; i++) {
      int p = nextEphemeral;
      nextEphemeral = p == EPHEMERAL_HIGH ? EPHEMERAL_LOW : p + 1;
      if (!listeners.containsKey(p) && !connections.containsKey(new FourTuple(localAddress(remoteAddr), p, remoteAddr, remotePort))) {
        return p;
      }
    }
    throw new IllegalStateException("no ephemeral port left");
  }
}
