package org.tcpspec.stack;

import java.util.ArrayList;
import java.util.List;
import org.tcpspec.stack.Stack.SegmentSink;
import org.tcpspec.stack.Stack.Sent;
import org.tcpspec.wire.Ipv4Params;
import org.tcpspec.wire.OutboundSegment;
import org.tcpspec.wire.Segment;
import org.tcpspec.wire.SegmentView;
import org.tcpspec.wire.SeqNum;
import org.tcpspec.wire.TcpFlags;

/**
 * Where a {@link Stack}'s segments go: the sink each is handed to as it is made (by default a
 * {@link Segment} copy queued for {@link Stack#drainOutput}), the one {@link OutboundSegment} every
 * sender fills, and the reset reply of a CLOSED endpoint. One per stack.
 */
final class StackOutput {
  private final List<Sent> outbound = new ArrayList<>();
  /** Filled by the senders for every segment they make; the sink uses it before it is refilled. */
  private final OutboundSegment outboundSegment = new OutboundSegment();
  private boolean sinkTakesRuns;
  private SegmentSink sink = s -> outbound.add(new Sent(Segment.copyOf(s), s.ipTos() == 0 && s.ipTtl() == DEFAULT_IP.ttl()
      ? DEFAULT_IP : new Ipv4Params(s.ipTos(), DEFAULT_IP.identification(), DEFAULT_IP.dontFragment(), s.ipTtl())));
  private static final Ipv4Params DEFAULT_IP = Ipv4Params.DEFAULT;

  /** See {@link Stack#transmitTo(SegmentSink, boolean)}. */
  void transmitTo(SegmentSink sink, boolean segmentRuns) {
    this.sink = sink;
    this.sinkTakesRuns = segmentRuns;
  }

  /** Whether the sink takes segment runs (see {@link Stack#transmitTo(SegmentSink, boolean)}). */
  boolean sinkTakesRuns() {
    return sinkTakesRuns;
  }

  /** Segments produced since the last call, in order (none when a sink is set). */
  List<Segment> drainOutput() {
    List<Segment> out = new ArrayList<>(outbound.size());
    for (Sent s : outbound) out.add(s.segment());
    outbound.clear();
    return out;
  }

  /** As {@link #drainOutput}, each segment with its IP header fields. */
  List<Sent> drainSent() {
    List<Sent> out = List.copyOf(outbound);
    outbound.clear();
    return out;
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
}
