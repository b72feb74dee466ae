package org.tcpspec.stack;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.tcpspec.fsm.Engine;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.Reaction;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.time.Clock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.FastOpenOption;
import org.tcpspec.wire.IcmpError;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentView;

/**
 * A TCP endpoint on one IPv4 address and at most one IPv6 address ({@link #ipv6Address(IpAddress)}),
 * sans-IO: feed inbound segments with {@link #input}, collect
 * outbound ones with {@link #drainOutput}, run timers with {@link #runTimers} once the injected
 * clock has moved (ask {@link #nextDeadlineNanos} when to). Demultiplexes by four-tuple, then by
 * listening port; a segment that matches nothing meets a CLOSED endpoint (RST, never for a RST,
 * §3.10.7.1). Connections leave the table by the rows that delete their TCB (DELETE_TCB), on
 * reaching CLOSED or, for a passive child, falling back to LISTEN.
 *
 * <p>Split by concern into parts made once per stack: {@link ConnectionTable} (the connections by
 * four-tuple and the listeners by port, how connections enter and leave them, ephemeral ports),
 * {@link StackTimers} (running the connections' and SYN queues' timers), {@link StackOutput} (the
 * transmit sink and the reset reply of a CLOSED endpoint), {@link ChallengeAckLimit} (RFC 5961
 * §7's host-wide budget), {@link StackAddresses} (the addresses, the MSS and the path MTU to a
 * remote address) and {@link CloseCalls} (close(), shutdown(SHUT_WR) and a listener's close as
 * Linux decides them). Stack keeps the demultiplexing of segments and ICMP errors, the config and
 * the user calls.
 */
public final class Stack {
  private final StackAddresses addresses;
  private final Clock clock;
  private final TraceSink trace;
  private final IsnGenerator isn;
  private StackConfig config;
  private final PassiveOpen passiveOpen;
  private final ConnectionTable table;
  private final StackTimers timers;
  private final StackOutput output = new StackOutput();
  private final ChallengeAckLimit challengeAcks;
  private final CloseCalls closeCalls = new CloseCalls(this);
  private final Connection closedEndpoint;
  private boolean strict;
  private long unreachableEvents;
  private final StackMemory memory = new StackMemory(this);
  private final LinuxMib mib = new LinuxMib();
  private final FastOpenCache fastOpenCache = new FastOpenCache();

  public Stack(int localAddr, Clock clock, TraceSink trace, long isnSecret) {
    this(localAddr, clock, trace, isnSecret, StackConfig.linuxDefaults());
  }

  public Stack(int localAddr, Clock clock, TraceSink trace, long isnSecret, StackConfig config) {
    this.config = config;
    IpAddress ipv4Address = IpAddress.ipv4(localAddr);
    this.addresses = new StackAddresses(this, ipv4Address, clock);
    this.clock = clock;
    this.trace = trace;
    this.isn = new IsnGenerator(isnSecret, clock);
    SplittableRandom random = new SplittableRandom(isnSecret);
    this.passiveOpen = new PassiveOpen(this, random.nextLong());
    this.challengeAcks = new ChallengeAckLimit(this, clock, random);
    this.table = new ConnectionTable(this, ipv4Address, clock, trace, isn, passiveOpen);
    this.timers = new StackTimers(clock, table);
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

  /**
   * Default socket options under this stack's config (buffer sizes, keep-alive timing, the maximum
   * and minimum RTO: tcp_init_sock reads tcp_rto_max_ms into icsk_rto_max and tcp_rto_min_us, in
   * jiffies, into icsk_rto_min when the socket is made).
   */
  public SocketOptions defaultOptions() {
    SocketOptions o = new SocketOptions();
    o.rtoMaxMillis = config.rtoMaxMillis();
    o.rtoMinMillis = StackConfig.usecsToJiffies(config.rtoMinMicros());
    o.rcvBuf = config.rmemDefault();
    o.sndBuf = config.wmemDefault();
    o.keepIdleNanos = config.keepaliveTimeNanos();
    o.keepIntervalNanos = config.keepaliveIntvlNanos();
    o.keepProbes = config.keepaliveProbes();
    return o;
  }

  /** The IPv4 address as a big-endian int. */
  public int localAddr() {
    return addresses.ipv4Address().ipv4();
  }

  /**
   * Gives the stack its IPv6 address (RFC 8200): from now on it takes IPv6 segments to it, and
   * listeners take SYNs of both families (a dual-stack listener, as Linux's AF_INET6 wildcard socket
   * without IPV6_V6ONLY).
   */
  public void ipv6Address(IpAddress address) {
    addresses.ipv6Address(address);
  }

  public Optional<IpAddress> ipv6Address() {
    return addresses.ipv6Address();
  }

  /** Whether (high, low) is one of this stack's addresses (allocation-free: every received segment). */
  public boolean isLocal(long high, long low) {
    return addresses.isLocal(high, low);
  }

  /** See {@link StackAddresses#localAddress}. */
  IpAddress localAddress(IpAddress remote) {
    return addresses.localAddress(remote);
  }

  /** The MSS the device takes from {@code remote}: see {@link StackAddresses#localMss}. */
  int localMss(IpAddress remote) {
    return addresses.localMss(remote);
  }

  /** The MSS a SYN or SYN-ACK to {@code remote} advertises: see {@link StackAddresses#advertisedMss}. */
  int advertisedMss(IpAddress remote) {
    return addresses.advertisedMss(remote);
  }

  /** See {@link StackAddresses#pathMtu}. */
  int pathMtu(IpAddress remote) {
    return addresses.pathMtu(remote);
  }

  /** See {@link StackAddresses#pathMtuReported}. */
  void pathMtuReported(IpAddress remote, long mtu) {
    addresses.pathMtuReported(remote, mtu);
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
    Connection c = table.index.get(seg);
    if (c != null) {
      c.onSegment(seg);
      return;
    }
    Listener l = table.listeners.get(seg.dstPort());
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
   * tcp_req_err drops such a request on some errors). tcp_req_err counts an error about a request
   * that quotes another sequence number than the SYN-ACK's as OutOfWindowIcmps.
   */
  public void icmpInput(IcmpError e) {
    if (!isLocal(e.localAddr().high(), e.localAddr().low())) return;
    Connection c = table.connections.get(new FourTuple(e.localAddr(), e.localPort(), e.remoteAddr(), e.remotePort()));
    if (c != null) {
      c.onIcmpError(e.seq(), IcmpInput.of(e));
      return;
    }
    Listener l = table.listeners.get(e.localPort());
    HalfOpen request = l == null ? null : l.synQueue.get(e.remoteAddr().high(), e.remoteAddr().low(), e.remotePort());
    if (request != null && e.seq() != request.iss()) mib.increment(LinuxMib.Counter.OUT_OF_WINDOW_ICMPS);
  }

  /**
   * Strict: an arrival or timer event that no row accepts (a {@link Reaction.Unreachable}: the
   * classifier or the timers produced what the table says they cannot) throws instead of being
   * dropped and counted. Test fixtures set it; a running stack counts.
   */
  public void strict(boolean strict) {
    this.strict = strict;
  }

  /** The bytes this stack's connections hold in their buffers, bounded by tcp_mem, and its counters. */
  public StackMemory memory() {
    return memory;
  }

  /** The Linux MIB counters the stack keeps (what nstat shows of a Linux namespace). */
  public LinuxMib mib() {
    return mib;
  }

  /** tcp_sockets_allocated: the connections that may hold buffers (the fair share divides by it). */
  int connectionCount() {
    return table.connectionCount();
  }

  /** How many arrivals and timer events no row accepted since the stack started (0 unless a bug). */
  public long unreachableEvents() {
    return unreachableEvents;
  }

  /** RFC 5961 §7's host-wide limit on challenge ACKs: see {@link ChallengeAckLimit}. */
  boolean challengeAckAllowed() {
    return challengeAcks.challengeAckAllowed();
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
    output.transmitTo(sink, segmentRuns);
  }

  /** Whether the sink takes segment runs (see {@link #transmitTo(SegmentSink, boolean)}). */
  boolean sinkTakesRuns() {
    return output.sinkTakesRuns();
  }

  /** Segments produced since the last call, in order (none when a sink is set). */
  public List<Segment> drainOutput() {
    return output.drainOutput();
  }

  /**
   * A segment the stack sent and the IP header fields it went with: the TOS byte or traffic class
   * and the TTL or hop limit its socket set (IP_TOS, IP_TTL, IPV6_TCLASS, IPV6_UNICAST_HOPS),
   * identification 0 and DF as {@link Ipv4Params#DEFAULT}.
   */
  public record Sent(Segment segment, Ipv4Params ip) {}

  /** As {@link #drainOutput}, each segment with its IP header fields. */
  public List<Sent> drainSent() {
    return output.drainSent();
  }

  /** Runs every timer due at the clock's current time. */
  public void runTimers() {
    timers.runTimers();
  }

  /** The earliest timer deadline of any connection, {@link Long#MAX_VALUE} when none runs. */
  public long nextDeadlineNanos() {
    return timers.nextDeadlineNanos();
  }

  void transmit(SegmentView s) {
    output.transmit(s);
  }

  OutboundSegment outboundSegment() {
    return output.outboundSegment();
  }

  /** The reset reply of §3.10.7.1: see {@link StackOutput#replyRst}. */
  void replyRst(SegmentView seg) {
    output.replyRst(seg);
  }

  // ---------------------------------------------------------------- the user side

  /**
   * Listens on {@code port} (0 picks an ephemeral one); empty if the port is taken. Linux
   * (__sys_listen): a backlog above net.core.somaxconn, or negative, is somaxconn.
   */
  public Optional<Listener> listen(int port, int backlog, SocketOptions options) {
    return table.listen(port, backlog, options);
  }

  public boolean portInUse(int port) {
    return table.portInUse(port);
  }

  /**
   * Stops listening: the listener goes to CLOSED (CLOSE_LISTEN, which releases the port); Linux
   * resets children not yet accepted.
   */
  public void closeListener(Listener l) {
    closeCalls.closeListener(l);
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
    Optional<Connection> c = table.newActiveConnection(localPort, remoteAddr, remotePort, options);
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
    Optional<Connection> c = table.newActiveConnection(localPort, remoteAddr, remotePort, options);
    c.ifPresent(x -> x.openFastOpen(data, 0, data.length));
    return c;
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
    return closeCalls.shutdownWrite(c);
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
    closeCalls.close(c);
  }

  public Optional<Reaction> abort(Connection c) {
    return c.user(Event.ABORT);
  }

  /** Live connections (not listeners), for diagnostics and tests. */
  public List<Connection> connections() {
    return table.connections();
  }

  // ---------------------------------------------------------------- bookkeeping

  /** The engine of a half-open connection: see {@link ConnectionTable#engineFor}. */
  Engine engineFor(int localPort, IpAddress remoteAddr, int remotePort) {
    return table.engineFor(localPort, remoteAddr, remotePort);
  }

  int isn(FourTuple t) {
    return isn.isn(t);
  }

  /** A half-open connection's handshake completes: see {@link ConnectionTable#promote}. */
  Connection promote(HalfOpen h) {
    return table.promote(h);
  }

  /** ListenRcvSynFastOpen: see {@link ConnectionTable#fastOpenChild}. */
  void fastOpenChild(Listener l, SegmentView syn, FastOpenOption.Cookie synAckCookie) {
    table.fastOpenChild(l, syn, synAckCookie);
  }

  /** The listener that could take a new SYN to {@code localPort}: see {@link ConnectionTable#listenerFor}. */
  Listener listenerFor(int localPort) {
    return table.listenerFor(localPort);
  }

  /** DELETE_TCB: see {@link ConnectionTable#forget}. */
  void forget(Connection c) {
    table.forget(c);
  }
}
