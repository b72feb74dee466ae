package org.tcpspec.stack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A listening socket: its own connection in LISTEN (which answers RST, stray ACKs and other
 * segments per §3.10.7.2), the half-open children it spawned, and the accept queue. Linux keeps
 * the listener in LISTEN and spawns a child per SYN; each child's trace starts with PASSIVE_OPEN
 * and ListenRcvSyn, the RFC's picture of one TCB per connection.
 */
public final class Listener {
  final Connection listening;
  private int backlog;
  private final Set<Connection> embryonic = new LinkedHashSet<>();
  private final Deque<Connection> acceptQueue = new ArrayDeque<>();

  Listener(Connection listening, int backlog) {
    this.listening = listening;
    this.backlog = backlog;
  }

  public int localPort() {
    return listening.tuple.localPort();
  }

  void backlog(int backlog) {
    this.backlog = backlog;
  }

  /**
   * Linux: a SYN is dropped while the accept queue is over the backlog (sk_acceptq_is_full tests
   * "more than backlog", so backlog + 1 connections may wait).
   */
  boolean full() {
    return acceptQueue.size() > backlog;
  }

  void adopt(Connection child) {
    embryonic.add(child);
  }

  void established(Connection child) {
    if (embryonic.remove(child)) acceptQueue.add(child);
  }

  void forget(Connection child) {
    embryonic.remove(child);
  }

  /** The oldest established connection not yet accepted. */
  public Optional<Connection> accept() {
    return Optional.ofNullable(acceptQueue.poll());
  }

  public boolean acceptable() {
    return !acceptQueue.isEmpty();
  }

  /** Children not yet accepted, for close(): Linux resets them. */
  Iterable<Connection> allChildren() {
    Deque<Connection> all = new ArrayDeque<>(embryonic);
    all.addAll(acceptQueue);
    return all;
  }

  void clear() {
    embryonic.clear();
    acceptQueue.clear();
  }
}
