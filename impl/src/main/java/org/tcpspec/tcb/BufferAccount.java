package org.tcpspec.tcb;

/**
 * Where a connection's buffers report the bytes they hold, so that a stack can account them
 * across all its connections: Linux charges a socket's queued receive memory (sk_rmem_alloc, the
 * receive and out-of-order queues) and queued send memory (sk_wmem_queued) to one protocol-wide
 * total, tcp_memory_allocated, which tcp_mem bounds.
 */
@FunctionalInterface
public interface BufferAccount {
  /** Accounts nothing: a buffer on its own (tests, the TCB of the closed endpoint). */
  BufferAccount NONE = delta -> {};

  /** The bytes held grew ({@code delta > 0}) or shrank. */
  void held(int delta);
}
