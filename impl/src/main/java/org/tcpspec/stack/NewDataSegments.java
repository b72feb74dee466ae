package org.tcpspec.stack;

import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.TcpFlags;

/**
 * The new data and the FIN of a {@link SendOutput} pass (Linux tcp_write_xmit) as they go out:
 * each segment on its own, or, for a sink that segments on transmit, the new data gathered into
 * {@link SegmentRun}s, as Linux hands a TSO skb to the device. {@link SegmentBuilder} builds them.
 * One per connection.
 */
final class NewDataSegments extends SenderPart {
  /**
   * The new data of this pass gathered for one segment standing for a run of them (see {@link
   * SegmentRun}); {@link #runs}: whether this pass may gather.
   */
  private final SegmentRun run = new SegmentRun();
  private boolean runs;

  NewDataSegments(Connection c, Sender snd, CaStateMachine ca) {
    super(c, snd, ca);
  }

  /** A run is pending: nothing else may be emitted before it ({@link SegmentBuilder#emit}). */
  boolean runPending() {
    return !run.isEmpty();
  }

  /**
   * Whether the pass's segments would carry identical headers but for SEQ and the last one's PSH,
   * so that a sink which segments on transmit may take them as one: no SACK blocks (a DSACK goes
   * once), no ECE (segments carrying it go one per packet, as {@code TcpSuperPacket} takes them),
   * no CWR queued (only the first new segment carries it; the pass sends one at a time), no urgent
   * pointer (it differs per segment).
   */
  private boolean runsAllowed() {
    return c.stack().sinkTakesRuns() && c.receiver.sackOptionBytes() == 0 && !tcb.ecnDemandCwr
        && !tcb.ecnQueueCwr && !c.urgent.sendingUrgent();
  }

  /** A tcp_write_xmit pass begins sending: it gathers runs if {@link #runsAllowed}. */
  void runsBegin() {
    runs = runsAllowed();
  }

  /** The pass ended (after {@link #flushRun}, or by an exception: what is pending is dropped). */
  void runsEnded() {
    runs = false;
    run.clear();
  }

  /** Hands the pending run over as one segment, under the pass's clock reading (its timestamps). */
  void flushRun() {
    if (run.isEmpty()) return;
    OutboundSegment s = snd.segments.dataSegment(run.seq(), run.flags(), run.from(), run.length(), true);
    if (run.length() > run.segmentSize()) s.segmentSize(run.segmentSize());
    run.clear();
    snd.segments.emit(s);
  }

  /**
   * New data [seq, seq + len) with {@code flags}, {@code from} bytes into the send buffer: into the
   * pass's run when it gathers and the segment carries no FIN, else one segment of its own after
   * the pending run.
   */
  void sendData(int seq, int from, int len, int flags, int mss) {
    c.txTimestamps.transmitted(seq, len, snd.now());
    if (runs && (flags & TcpFlags.FIN) == 0) {
      if (!run.takes(seq, len, mss)) flushRun();
      run.add(seq, from, len, flags, mss);
      if (run.closed()) flushRun();
    } else {
      flushRun();
      snd.segments.emit(snd.segments.dataSegment(seq, flags, from, len, true));
    }
  }

  /** <SEQ=seq><CTL=FIN,ACK>, no data, after the pending run. */
  void sendFin(int seq) {
    flushRun();
    SegmentBuilder segments = snd.segments;
    segments.emit(segments.withOptions(segments.segment(seq, TcpFlags.FIN | TcpFlags.ACK)));
  }
}
