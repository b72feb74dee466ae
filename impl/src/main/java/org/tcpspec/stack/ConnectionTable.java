package org.tcpspec.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tcpspec.fsm.Engine;
import org.tcpspec.fsm.Event;
import org.tcpspec.fsm.TransitionTable;
import org.tcpspec.time.Clock;
import org.tcpspec.trace.TraceSink;
import org.tcpspec.wire.FastOpenOption;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.wire.SegmentView;

/**
 * A {@link Stack}'s connections by four-tuple and its listeners by port, which {@link Stack#input}
 * demultiplexes to: how connections enter the tables (an active open, a listener's child whose
 * handshake completed, a Fast Open child), how they leave them (DELETE_TCB), the ephemeral ports
 * and the engines' names. One per stack.
 */
final class ConnectionTable {
  /** Linux: ip_local_port_range 32768..60999. */
  private static final int EPHEMERAL_LOW = 32768;
  private static final int EPHEMERAL_HIGH = 60999;

  private final Stack stack;
  private final IpAddress ipv4Address;
  private final Clock clock;
  private final TraceSink trace;
  private final IsnGenerator isn;
  private final PassiveOpen passiveOpen;
  final Map<FourTuple, Connection> connections = new HashMap<>();
  /** The same connections in the order they were added, walked by index: no iterator per timer check. */
  final List<Connection> live = new ArrayList<>();
  final Map<Integer, Listener> listeners = new HashMap<>();
  /** The same listeners, walked by index for their SYN-ACK timers: no iterator per timer check. */
  final List<Listener> listening = new ArrayList<>();
  /** The same connections, found from a segment's numbers without a key object. */
  final ConnectionIndex index = new ConnectionIndex();
  private int nextEphemeral = EPHEMERAL_LOW;
  private long connectionCounter;

  ConnectionTable(Stack stack, IpAddress ipv4Address, Clock clock, TraceSink trace, IsnGenerator isn,
      PassiveOpen passiveOpen) {
    this.stack = stack;
    this.ipv4Address = ipv4Address;
    this.clock = clock;
    this.trace = trace;
    this.isn = isn;
    this.passiveOpen = passiveOpen;
  }

  /** See {@link Stack#listen}. */
  Optional<Listener> listen(int port, int backlog, SocketOptions options) {
    int p = port == 0 ? ephemeralPort(IpAddress.ipv4(0), 0) : port;
    if (listeners.containsKey(p)) return Optional.empty();
    FourTuple t = new FourTuple(ipv4Address, p, IpAddress.ipv4(0), 0);
    Connection c = newConnection(t, options, null);
    c.user(Event.PASSIVE_OPEN);
    int somaxconn = stack.config().somaxconn();
    Listener l = new Listener(c, backlog < 0 || backlog > somaxconn ? somaxconn : backlog);
    // Linux inet_listen: tcp_fastopen's 0x400 with the server bit gives every listener without
    // TCP_FASTOPEN a Fast Open queue of its backlog (fastopen_queue_tune).
    int tfo = stack.config().tcpFastopen();
    if ((tfo & StackConfig.TFO_SERVER_WO_SOCKOPT1) != 0 && (tfo & StackConfig.TFO_SERVER_ENABLE) != 0
        && options.fastopenQueue == 0) {
      options.fastopenQueue = Math.min(l.backlog(), somaxconn);
    }
    listeners.put(p, l);
    listening.add(l);
    return Optional.of(l);
  }

  boolean portInUse(int port) {
    if (listeners.containsKey(port)) return true;
    for (FourTuple t : connections.keySet()) if (t.localPort() == port) return true;
    return false;
  }

  /** A connection for an active open, registered and not yet opened; empty as {@link Stack#connect} is. */
  Optional<Connection> newActiveConnection(int localPort, IpAddress remoteAddr, int remotePort,
      SocketOptions options) {
    if (!remoteAddr.isIpv4() && stack.ipv6Address().isEmpty()) return Optional.empty();
    int p = localPort == 0 ? ephemeralPort(remoteAddr, remotePort) : localPort;
    FourTuple t = new FourTuple(stack.localAddress(remoteAddr), p, remoteAddr, remotePort);
    if (connections.containsKey(t)) return Optional.empty();
    Connection c = newConnection(t, options, null);
    connections.put(t, c);
    index.put(c);
    live.add(c);
    return Optional.of(c);
  }

  /** Live connections (not listeners), for diagnostics and tests. */
  List<Connection> connections() {
    return List.copyOf(connections.values());
  }

  /** tcp_sockets_allocated: the connections that may hold buffers (the fair share divides by it). */
  int connectionCount() {
    return connections.size();
  }

  private Connection newConnection(FourTuple t, SocketOptions options, Listener parent) {
    return new Connection(t, options, clock, isn, stack, parent, engineFor(t));
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
    return engineFor(new FourTuple(stack.localAddress(remoteAddr), localPort, remoteAddr, remotePort));
  }

  /**
   * A half-open connection's handshake completes: the connection with a TCB that takes over its
   * engine (Linux tcp_create_openreq_child), in the tables and the listener's embryonic set until
   * SIGNAL_ESTABLISHED moves it to the accept queue.
   */
  Connection promote(HalfOpen h) {
    Listener l = h.listener;
    FourTuple key = new FourTuple(stack.localAddress(h.remoteAddr()), l.localPort(), h.remoteAddr(), h.remotePort);
    Connection c = new Connection(key, l.listening.options.copy(), clock, isn, stack, l, h.engine);
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
    FourTuple key = new FourTuple(stack.localAddress(syn.srcIp()), l.localPort(), syn.srcIp(), syn.srcPort());
    Connection c = new Connection(key, l.listening.options.copy(), clock, isn, stack, l, engineFor(key));
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
      if (!listeners.containsKey(p) && !connections.containsKey(new FourTuple(stack.localAddress(remoteAddr), p, remoteAddr, remotePort))) {
        return p;
      }
    }
    throw new IllegalStateException("no ephemeral port left");
  }
}
