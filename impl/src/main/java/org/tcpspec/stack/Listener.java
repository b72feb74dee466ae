package org.tcpspec.stack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A listening socket: its own connection in LISTEN (which answers RST, stray ACKs and other
 * segments per §3.10.7.2), the SYN queue of half-open connections ({@link HalfOpen} request
 * records, no buffers), and the accept queue. Linux keeps the listener in LISTEN and spawns a
 * child per SYN; each child's trace starts with PASSIVE_OPEN and ListenRcvSyn, the RFC's picture
 * of one TCB per connection. Both queues are bounded by the backlog, min(listen()'s, somaxconn).
 */
public final class Listener {
  final Connection listening;
  /** Linux sk_max_ack_backlog: listen()'s backlog, at most net.core.somaxconn. */
  private final int backlog;
  final SynQueue synQueue = new SynQueue();
  /** Passive connections in SYN-RECEIVED with a full TCB: reopened from TIME-WAIT, or just promoted. */
  private final Set<Connection> embryonic = new LinkedHashSet<>();
  private final Deque<Connection> acceptQueue = new ArrayDeque<>();
  private long queued;
  /** When this listener last answered a SYN with a cookie (Linux tcp_synq_overflow). */
  long lastCookieNanos;
  boolean cookieSent;
  /** Fast Open children still in SYN-RECEIVED (Linux fastopenq.qlen). */
  private final Set<Connection> fastOpenChildren = new LinkedHashSet<>();

  Listener(Connection listening, int backlog) {
    this.listening = listening;
    this.backlog = backlog;
  }

  public int localPort() {
    return listening.tuple.localPort();
  }

  /** Linux sk_max_ack_backlog. */
  public int backlog() {
    return backlog;
  }

  /** Half-open connections held (request records in the SYN queue). */
  public int halfOpen() {
    return synQueue.size();
  }

  /**
   * Linux (sk_acceptq_is_full): a SYN, or the ACK completing a handshake, is dropped while the
   * accept queue holds more than backlog, so backlog + 1 connections may wait.
   */
  boolean acceptQueueFull() {
    return acceptQueue.size() > backlog;
  }

  /** Linux (inet_csk_reqsk_queue_is_full): the SYN queue is full at backlog requests. */
  boolean synQueueFull() {
    return synQueueLength() >= backlog;
  }

  int synQueueLength() {
    return synQueue.size() + embryonic.size();
  }

  void adopt(Connection child) {
    embryonic.add(child);
  }

  void established(Connection child) {
    if (embryonic.remove(child)) queue(child);
  }

  /** A child joins the accept queue: the listener's sk_data_ready (tcp_child_process). */
  private void queue(Connection child) {
    acceptQueue.add(child);
    queued++;
  }

  /** How many children have joined the accept queue so far (a count that only grows: an epoll's wake-ups). */
  public long queuedSoFar() {
    return queued;
  }

  void forget(Connection child) {
    embryonic.remove(child);
    fastOpenChildren.remove(child);
  }

  /**
   * A Fast Open child goes into the accept queue at once, in SYN-RECEIVED (Linux
   * inet_csk_reqsk_queue_add from tcp_conn_request), and counts against the Fast Open queue until
   * its handshake completes or it dies (reqsk_fastopen_remove).
   */
  void adoptFastOpen(Connection child) {
    fastOpenChildren.add(child);
    queue(child);
  }

  /** The Fast Open child's handshake completed: it no longer counts against the Fast Open queue. */
  void fastOpenEstablished(Connection child) {
    fastOpenChildren.remove(child);
  }

  int fastOpenPending() {
    return fastOpenChildren.size();
  }

  /** The oldest established connection not yet accepted. */
  public Optional<Connection> accept() {
    Connection child = acceptQueue.poll();
    if (child != null) child.accepted = true;
    return Optional.ofNullable(child);
  }

  public boolean acceptable() {
    return !acceptQueue.isEmpty();
  }

  /** Children with a TCB not yet accepted, for close(): Linux resets them. */
  Iterable<Connection> allChildren() {
    Deque<Connection> all = new ArrayDeque<>(embryonic);
    all.addAll(acceptQueue);
    return all;
  }

  void clear() {
    embryonic.clear();
    fastOpenChildren.clear();
    acceptQueue.clear();
  }
}
