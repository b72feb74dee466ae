package org.tcpspec.stack;

import org.tcpspec.stack.StackConfig.TcpMem;
import org.tcpspec.tcb.BufferAccount;
import org.tcpspec.tcb.ChunkPool;
import org.tcpspec.tcb.ReceiveBuffer;

/**
 * The bytes all connections of one stack hold in their buffers (receive queue, out-of-order blocks,
 * send queue), bounded by tcp_mem as Linux bounds tcp_memory_allocated (net/core/sock.c,
 * net/ipv4/tcp_input.c). The buffers report every change ({@link BufferAccount}); the receiver and
 * the write path ask before they take more:
 *
 * <ul>
 *   <li>at or under {@code low} pages the stack leaves memory pressure (sk_leave_memory_pressure,
 *       from __sk_mem_raise_allocated, and from __sk_mem_reduce_allocated once under {@code low});
 *   <li>above {@code pressure} it enters it (tcp_enter_memory_pressure, counted as Linux's
 *       TCPMemoryPressures): receive windows are clamped ({@link Receiver}'s rcv_ssthresh) and a
 *       connection gets more only while it is under tcp_rmem/tcp_wmem's minimum or its fair share
 *       (tcp_mem's high over the number of connections);
 *   <li>above {@code high} nothing more is charged: text that cannot be charged, after the
 *       out-of-order blocks beyond it were pruned, is dropped unacknowledged (TCPRcvQDrop,
 *       TCPOFODrop), and writes take nothing (EAGAIN, or a blocking write waits).
 * </ul>
 *
 * Linux charges an skb's truesize in whole pages of forward allocation; this stack charges the
 * bytes held and rounds the total up to pages.
 */
public final class StackMemory implements BufferAccount {
  private final Stack stack;
  /**
   * The chunks all receive buffers of the stack keep their bytes in, made for the buffers'
   * capacities up to tcp_mem's high (see ChunkPool).
   */
  private final ChunkPool chunks;
  /** The arrays of the connections' per-segment send rings, handed from one connection to the next. */
  private final SegmentRingPool segmentRings = new SegmentRingPool();
  private long allocatedBytes;
  private boolean underPressure;
  private long pressureSinceNanos;
  private long memoryPressuresNanos;
  private long ofoPruned;

  StackMemory(Stack stack) {
    this.stack = stack;
    this.chunks = new ChunkPool(() -> limits().high() * TcpMem.PAGE);
  }

  @Override
  public void held(int delta) {
    allocatedBytes += delta;
    // __sk_mem_reduce_allocated: memory given back leaves pressure once under tcp_mem's low.
    if (delta < 0 && underPressure && pages(allocatedBytes) < limits().low()) leavePressure();
  }

  /** The pool of the receive buffers' chunks. */
  public ChunkPool chunks() {
    return chunks;
  }

  /** The pool of the send side's per-segment ring arrays. */
  SegmentRingPool segmentRings() {
    return segmentRings;
  }

  /** The bytes all buffers hold now. */
  public long allocatedBytes() {
    return allocatedBytes;
  }

  /** tcp_memory_allocated: the bytes held, in pages (what tcp_mem is compared with). */
  public long allocatedPages() {
    return pages(allocatedBytes);
  }

  /** tcp_under_memory_pressure. */
  public boolean underPressure() {
    return underPressure;
  }

  /** Times the stack entered memory pressure (Linux's TCPMemoryPressures, kept in the stack's MIB). */
  public long memoryPressures() {
    return stack.mib().get(LinuxMib.Counter.TCP_MEMORY_PRESSURES);
  }

  /** Nanoseconds spent under memory pressure, ended periods only (TCPMemoryPressuresChrono, in ms there). */
  public long memoryPressuresNanos() {
    return memoryPressuresNanos;
  }

  /** In-order text dropped because it could not be charged (TCPRcvQDrop, kept in the stack's MIB). */
  public long rcvQueueDrops() {
    return stack.mib().get(LinuxMib.Counter.TCP_RCVQ_DROP);
  }

  /** Out-of-order text dropped because it could not be charged (TCPOFODrop, kept in the stack's MIB). */
  public long ofoDrops() {
    return stack.mib().get(LinuxMib.Counter.TCP_OFO_DROP);
  }

  /** Times out-of-order blocks were pruned to make room (OfoPruned). */
  public long ofoPruned() {
    return ofoPruned;
  }

  /**
   * tcp_try_rmem_schedule: may {@code c} take {@code len} more bytes of text that start at stream
   * offset {@code start}? When the charge is refused: under pressure the receive window is clamped
   * (tcp_prune_queue's tcp_adjust_rcv_ssthresh), then out-of-order blocks beyond {@code start} go
   * (tcp_prune_ofo_queue) until the charge fits; false when nothing more can go.
   */
  boolean tryReceive(Connection c, long start, int len) {
    if (mayReceive(c, len)) return true;
    if (underPressure) c.receiver.clampWindow();
    while (!mayReceive(c, len)) {
      if (!pruneOutOfOrder(c, start, len)) return false;
    }
    return true;
  }

  /**
   * tcp_prune_ofo_queue: drops out-of-order blocks from the highest one down, an eighth of the
   * receive buffer at a time, stopping once the charge fits and the stack is no longer under
   * pressure (under pressure everything beyond {@code start} goes). Linux then resets the SACK
   * state: blocks it no longer holds must not be reported (RFC 2018 §8: the sender keeps SACKed
   * data until it is cumulatively acknowledged, so reneging is safe).
   */
  private boolean pruneOutOfOrder(Connection c, long start, int len) {
    ReceiveBuffer rb = c.tcb.receiveBuffer;
    int goal = Math.max(1, rb.capacity() >> 3);
    boolean pruned = false;
    while (rb.pruneOutOfOrder(start, goal) > 0) {
      pruned = true;
      if (!underPressure && mayReceive(c, len)) break;
    }
    if (pruned) {
      ofoPruned++;
      c.receiver.sackReset();
    }
    return pruned;
  }

  /** Text was dropped: counted as Linux's TCPRcvQDrop (in order) or TCPOFODrop. */
  void textDropped(boolean inOrder) {
    stack.mib().increment(inOrder ? LinuxMib.Counter.TCP_RCVQ_DROP : LinuxMib.Counter.TCP_OFO_DROP);
  }

  private boolean mayReceive(Connection c, int n) {
    int rmem = c.tcb.receiveBuffer.held();
    return schedule(n, rmem < stack.config().rmemMin(), rmem + c.tcb.sendBuffer.size());
  }

  /**
   * How many of {@code n} bytes a write on {@code c} may queue (tcp_sendmsg's tcp_wmem_schedule):
   * all when they can be charged, else as many as the limits leave room for (Linux charges a write
   * skb by skb and stops at the one refused), else what keeps the connection at tcp_wmem's minimum
   * (forced, so a connection with nothing queued always makes progress), else none.
   */
  int sendAllowance(Connection c, int n) {
    int wmem = c.tcb.sendBuffer.size();
    boolean belowMinimum = wmem < stack.config().wmemMin();
    long connectionBytes = wmem + c.tcb.receiveBuffer.held();
    if (schedule(n, belowMinimum, connectionBytes)) return n;
    long room = limits().high() * TcpMem.PAGE - allocatedBytes;
    if (underPressure) room = Math.min(room, fairShareBytes() - connectionBytes);
    int fits = (int) Math.clamp(room, 0, n);
    if (fits > 0 && schedule(fits, belowMinimum, connectionBytes)) return fits;
    return Math.clamp(stack.config().wmemMin() - wmem, 0, n);
  }

  /**
   * sk_stream_memory_free as poll sees it under the stack's limit: a write of one byte would be
   * charged. No side effect (it neither enters nor leaves pressure).
   */
  public boolean sendMemoryFree(Connection c) {
    int wmem = c.tcb.sendBuffer.size();
    return allowed(pages(allocatedBytes + 1), wmem < stack.config().wmemMin(), wmem + c.tcb.receiveBuffer.held() + 1);
  }

  /**
   * __sk_mem_raise_allocated: whether {@code n} more bytes may be charged to a connection that
   * holds {@code connectionBytes} and is under its tcp_rmem/tcp_wmem minimum or not; entering or
   * leaving pressure on the way.
   */
  private boolean schedule(int n, boolean belowMinimum, long connectionBytes) {
    long pages = pages(allocatedBytes + n);
    if (pages <= limits().low()) leavePressure();
    else if (pages > limits().pressure()) enterPressure();
    return allowed(pages, belowMinimum, connectionBytes + n);
  }

  private boolean allowed(long pages, boolean belowMinimum, long connectionBytes) {
    TcpMem m = limits();
    if (pages <= m.low()) return true;
    if (pages > m.high()) return false;
    return belowMinimum || !underPressure || fairShare(connectionBytes);
  }

  /** Under pressure a connection may hold its share: tcp_mem's high over the connections. */
  private boolean fairShare(long connectionBytes) {
    return limits().high() > Math.max(1, stack.connectionCount()) * pages(connectionBytes);
  }

  /** The most bytes {@link #fairShare} allows a connection. */
  private long fairShareBytes() {
    return (limits().high() - 1) / Math.max(1, stack.connectionCount()) * TcpMem.PAGE;
  }

  private void enterPressure() {
    if (underPressure) return;
    underPressure = true;
    pressureSinceNanos = stack.clock().nowNanos();
    stack.mib().increment(LinuxMib.Counter.TCP_MEMORY_PRESSURES);
  }

  private void leavePressure() {
    if (!underPressure) return;
    underPressure = false;
    memoryPressuresNanos += stack.clock().nowNanos() - pressureSinceNanos;
  }

  private TcpMem limits() {
    return stack.config().tcpMem();
  }

  private static long pages(long bytes) {
    return (bytes + TcpMem.PAGE - 1) / TcpMem.PAGE;
  }
}
