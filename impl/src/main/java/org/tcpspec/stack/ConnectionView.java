package org.tcpspec.stack;

import static org.tcpspec.wire.SeqNum.distance;

import org.tcpspec.fsm.State;
import org.tcpspec.fsm.TcbView;
import org.tcpspec.tcb.Tcb;
import org.tcpspec.wire.SegmentView;

/**
 * A connection as the classifier sees it: the variables of its current TCB (read through the
 * connection, since REOPEN replaces the TCB) and whether a new incarnation could take its place.
 * One per connection, so classifying a segment allocates nothing.
 */
final class ConnectionView implements TcbView {
  private final Connection c;

  ConnectionView(Connection c) {
    this.c = c;
  }

  @Override
  public int iss() {
    return c.tcb.iss;
  }

  @Override
  public int irs() {
    return c.tcb.irs;
  }

  @Override
  public int sndUna() {
    return c.tcb.sndUna;
  }

  @Override
  public int sndNxt() {
    return c.tcb.sndNxt;
  }

  @Override
  public int rcvNxt() {
    return c.tcb.rcvNxt;
  }

  @Override
  public long rcvWnd() {
    return c.tcb.rcvWnd();
  }

  @Override
  public int offeredEdge() {
    return c.tcb.rcvNxt + c.receiver.window.receiveWindow();
  }

  @Override
  public boolean receiveQueueEmpty() {
    return c.tcb.receiveBuffer.readable() == 0;
  }

  @Override
  public long maxSndWnd() {
    return Math.min(c.tcb.maxSndWnd, c.tcb.bytesAcked);
  }

  @Override
  public boolean finSent() {
    return c.tcb.finSent;
  }

  @Override
  public boolean activeOpener() {
    return !c.engine.passive();
  }

  @Override
  public boolean pawsRejects(SegmentView seg) {
    return c.tcb.pawsRejects(seg, pawsAsFullSocket(c));
  }

  @Override
  public boolean pawsOldAck(SegmentView seg) {
    return c.tcb.pawsOldAck(seg, pawsAsFullSocket(c));
  }

  @Override
  public boolean finWait2TimeWait() {
    return c.finWait2TimeWait;
  }

  @Override
  public boolean finWait2Refused() {
    return c.timeWait.finWait2Refused();
  }

  @Override
  public boolean timewaitPawsRejects(SegmentView seg) {
    return c.tcb.timewaitPawsRejects(seg, c.clock.nowNanos());
  }

  /**
   * Whether Linux would test PAWS on {@code c} as a full socket (tcp_validate_incoming, {@link
   * Tcb#pawsRejects}): not in TIME-WAIT or an orphan's FIN-WAIT-2 timewait socket
   * (tcp_timewait_state_process), nor for a Fast Open child in SYN-RECEIVED, which tcp_check_req's
   * tcp_paws_reject tests first.
   */
  static boolean pawsAsFullSocket(Connection c) {
    boolean fastOpenChildHalfOpen = c.state() == State.SYN_RECEIVED && c.fastOpen.child;
    return c.state() != State.TIME_WAIT && !c.finWait2TimeWait && !fastOpenChildHalfOpen;
  }

  /**
   * Linux tcp_rcv_synsent_state_process: !between(rcv_tsecr, retrans_stamp, tcp_time_stamp_ts),
   * serial arithmetic on 32-bit millisecond stamps, checked when the SYN carried timestamps.
   */
  @Override
  public boolean synSentTsEcrRejected(SegmentView seg) {
    if (!c.tcb.synTimestamped || !seg.hasTimestamp() || seg.tsEcr() == 0) return false;
    int first = c.tcb.synTsVal;
    int now = (int) c.clock.nowMillis();
    return Integer.compareUnsigned(seg.tsEcr() - first, now - first) > 0;
  }

  @Override
  public boolean timestampNewer(SegmentView seg) {
    return c.tcb.timestampNewer(seg);
  }

  @Override
  public boolean receiveShut() {
    return c.receiveShut;
  }

  @Override
  public boolean heldFinReachedBy(int end) {
    return c.tcb.receiveBuffer.finReachedBy(c.tcb.receiveBuffer.nextOffset() + distance(c.tcb.rcvNxt, end));
  }

  /**
   * Linux (tcp_v4_rcv, TCP_TW_SYN): a new SYN reopens only when a listener takes it. We also keep
   * a TIME-WAIT connection a socket still refers to (after shutdown(), not close()): its socket
   * must not see a new incarnation. Linux detaches it (the socket reads CLOSE) and reopens anyway.
   */
  @Override
  public boolean reopenable() {
    return c.orphaned && c.stack().listenerFor(c.tuple.localPort()) != null;
  }
}
