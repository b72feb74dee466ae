package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one segment a stack fills for every packet it sends, reused (nothing per segment is
 * allocated): header fields, a payload array that grows to the largest segment once, and the
 * per-segment options as plain values, laid out as Linux lays them out (RFC 7323 Appendix A):
 * NOP, NOP, timestamps, then NOP, NOP, SACK blocks. A handshake segment instead carries an
 * explicit option list (rare, so it may allocate).
 *
 * <p>Whoever receives it from the stack must use or copy it ({@link Segment#copyOf}, {@link
 * SegmentEmitter}) before returning: the next segment overwrites it, and a payload taken from a
 * {@link PayloadSource} (the send buffer) is read from there, which may change after.
 */
public final class OutboundSegment implements SegmentView {
  private static final int MAX_SACK_BLOCKS = 4;

  private IpAddress srcIp = IpAddress.IPV6_UNSPECIFIED;
  private IpAddress dstIp = IpAddress.IPV6_UNSPECIFIED;
  private int srcPort;
  private int dstPort;
  private int seq;
  private int ack;
  private int flags;
  private int window;
  private byte[] payload = new byte[0];
  private int payloadLength;
  /** Where the payload lies when not in {@link #payload} ({@link #payloadFrom}), or null. */
  private PayloadSource source;
  private int sourceFrom;
  /** The payload from the source was sent before ({@link #repeated()}). */
  private boolean repeated;
  private boolean timestamp;
  private int tsVal;
  private int tsEcr;
  private final int[] sack = new int[2 * MAX_SACK_BLOCKS];
  private int sackBlocks;
  private List<TcpOption> explicitOptions = List.of();
  private int urgentPointer;
  private int ipTos;
  private int ipTtl = Ipv4Params.DEFAULT.ttl();
  /** The size of the segments the payload stands for ({@link #segmentSize(int)}), or 0 for one segment. */
  private int segmentSize;

  /** Starts a new segment: these header fields, no options, no payload. */
  public OutboundSegment reset(IpAddress srcIp, IpAddress dstIp, int srcPort, int dstPort, int seq, int ack,
      int flags, int window) {
    this.srcIp = srcIp;
    this.dstIp = dstIp;
    this.srcPort = srcPort;
    this.dstPort = dstPort;
    this.seq = seq;
    this.ack = ack;
    this.flags = flags;
    this.window = window;
    this.payloadLength = 0;
    this.source = null;
    this.timestamp = false;
    this.tsVal = 0;
    this.tsEcr = 0;
    this.sackBlocks = 0;
    this.explicitOptions = List.of();
    this.urgentPointer = 0;
    this.ipTos = 0;
    this.ipTtl = Ipv4Params.DEFAULT.ttl();
    this.segmentSize = 0;
    return this;
  }

  /**
   * The payload stands for a run of segments of {@code size} bytes each, the last possibly
   * shorter, with this segment's headers (Linux's TSO skb with its gso_size): only for a sink that
   * segments on transmit ({@link org.tcpspec.stack.Stack#transmitTo(org.tcpspec.stack.Stack.SegmentSink,
   * boolean)}). Every segment of the run carries ACK and the same options; PSH, when set, belongs to
   * the last, as the kernel's tcp_gso_segment leaves it.
   */
  public OutboundSegment segmentSize(int size) {
    this.segmentSize = size;
    return this;
  }

  /** The size of the segments the payload stands for, or 0 when it is one segment. */
  public int segmentSize() {
    return segmentSize;
  }

  /** The IP header's TOS byte or traffic class, and TTL or hop limit (see {@link SegmentView#ipTos}). */
  public OutboundSegment ip(int tos, int ttl) {
    this.ipTos = tos;
    this.ipTtl = ttl;
    return this;
  }

  /** The urgent pointer field (RFC 9293 §3.8.5); the caller sets URG in the flags. */
  public OutboundSegment urgentPointer(int urgentPointer) {
    this.urgentPointer = urgentPointer;
    return this;
  }

  @Override
  public int ipTos() {
    return ipTos;
  }

  @Override
  public int ipTtl() {
    return ipTtl;
  }

  /** Adds the timestamps option (NOP, NOP, TS). */
  public OutboundSegment timestamp(int tsVal, int tsEcr) {
    this.timestamp = true;
    this.tsVal = tsVal;
    this.tsEcr = tsEcr;
    return this;
  }

  /** Adds a SACK block [left, right) after the timestamps (NOP, NOP, SACK); at most four. */
  public OutboundSegment sackBlock(int left, int right) {
    if (sackBlocks == MAX_SACK_BLOCKS) throw new IllegalStateException("at most 4 SACK blocks fit");
    sack[2 * sackBlocks] = left;
    sack[2 * sackBlocks + 1] = right;
    sackBlocks++;
    return this;
  }

  @Override
  public int sackBlockCount() {
    return sackBlocks;
  }

  /** Replaces the per-segment options with this list, written as given (SYN and SYN-ACK). */
  public OutboundSegment options(List<TcpOption> options) {
    this.explicitOptions = List.copyOf(options);
    this.timestamp = false;
    this.sackBlocks = 0;
    for (TcpOption o : explicitOptions) {
      if (o instanceof TcpOption.Timestamp ts && !timestamp) timestamp(ts.tsVal(), ts.tsEcr());
    }
    return this;
  }

  /** Sets the payload length and returns the array to fill from index 0 (valid until the next call). */
  public byte[] payload(int len) {
    if (payload.length < len) payload = new byte[Math.max(len, 2 * payload.length)];
    payloadLength = len;
    source = null;
    return payload;
  }

  /**
   * The payload, from the source, was sent before (a retransmission): its bytes may be
   * acknowledged, and the send buffer reuse their place, before a queued packet is written, so a
   * device that gathers its writes gets them copied ({@link #payloadSlicesTo}). New data cannot be
   * acknowledged before it is written, and packets are written in the order they were queued.
   */
  public OutboundSegment repeated() {
    repeated = true;
    return this;
  }

  /**
   * Adds where the payload lies in native memory to {@code out} and returns true, when it lies in
   * the source's native memory and is sent for the first time; false (nothing added) otherwise.
   */
  boolean payloadSlicesTo(NativeSlices out) {
    return source != null && !repeated && payloadLength > 0 && source.slicesTo(sourceFrom, payloadLength, out);
  }

  /**
   * The payload is bytes {@code [from, from + len)} of {@code src}, not copied here: whoever
   * writes the segment out copies them from {@code src} (which must not change before then).
   */
  public OutboundSegment payloadFrom(PayloadSource src, int from, int len) {
    payloadLength = len;
    source = src;
    sourceFrom = from;
    repeated = false;
    return this;
  }

  /** The payload array (index 0 on), filled from the source first if the payload lies there. */
  byte[] payloadArray() {
    if (source != null) {
      PayloadSource src = source;
      src.copyOut(sourceFrom, payload(payloadLength), 0, payloadLength);
    }
    return payload;
  }

  /** Writes the payload into {@code tcp}'s window at {@code to}: from the source, when it lies there, with no array between. */
  void copyPayloadInto(HeaderView tcp, int to) {
    if (source == null || !tcp.copyIn(to, source, sourceFrom, payloadLength)) {
      tcp.copyIn(to, payloadArray(), 0, payloadLength);
    }
  }

  /** Copies the payload into {@code dst} at {@code at}: from the source when it lies there, with no array between. */
  void copyPayloadTo(MemorySegment dst, long at) {
    if (source != null) source.copyOut(sourceFrom, dst, at, payloadLength);
    else MemorySegment.copy(payload, 0, dst, ValueLayout.JAVA_BYTE, at, payloadLength);
  }

  boolean hasExplicitOptions() {
    return !explicitOptions.isEmpty();
  }

  int sackEdge(int i) {
    return sack[i];
  }

  @Override
  public int sackLeft(int i) {
    return sack[2 * i];
  }

  @Override
  public int sackRight(int i) {
    return sack[2 * i + 1];
  }

  @Override
  public IpAddress srcIp() {
    return srcIp;
  }

  @Override
  public IpAddress dstIp() {
    return dstIp;
  }

  @Override
  public long srcAddrHigh() {
    return srcIp.high();
  }

  @Override
  public long srcAddrLow() {
    return srcIp.low();
  }

  @Override
  public long dstAddrHigh() {
    return dstIp.high();
  }

  @Override
  public long dstAddrLow() {
    return dstIp.low();
  }

  @Override
  public int srcPort() {
    return srcPort;
  }

  @Override
  public int dstPort() {
    return dstPort;
  }

  @Override
  public int seq() {
    return seq;
  }

  @Override
  public int ack() {
    return ack;
  }

  @Override
  public int flags() {
    return flags;
  }

  @Override
  public int window() {
    return window;
  }

  @Override
  public int urgentPointer() {
    return urgentPointer;
  }

  @Override
  public int payloadLength() {
    return payloadLength;
  }

  @Override
  public void copyPayload(int from, byte[] dst, int dstOff, int len) {
    Objects.checkFromIndexSize(from, len, payloadLength);
    if (source != null) source.copyOut(sourceFrom + from, dst, dstOff, len);
    else System.arraycopy(payload, from, dst, dstOff, len);
  }

  @Override
  public boolean hasTimestamp() {
    return timestamp;
  }

  @Override
  public int tsVal() {
    return tsVal;
  }

  @Override
  public int tsEcr() {
    return tsEcr;
  }

  @Override
  public int optionsLength() {
    if (hasExplicitOptions()) return Segment.optionsLength(explicitOptions);
    return (timestamp ? 12 : 0) + (sackBlocks > 0 ? 4 + 8 * sackBlocks : 0);
  }

  @Override
  public List<TcpOption> options() {
    if (hasExplicitOptions()) return explicitOptions;
    List<TcpOption> o = new ArrayList<>(6);
    if (timestamp) {
      o.add(new TcpOption.Nop());
      o.add(new TcpOption.Nop());
      o.add(new TcpOption.Timestamp(tsVal, tsEcr));
    }
    if (sackBlocks > 0) {
      List<TcpOption.SackBlock> blocks = new ArrayList<>(sackBlocks);
      for (int i = 0; i < sackBlocks; i++) blocks.add(new TcpOption.SackBlock(sack[2 * i], sack[2 * i + 1]));
      o.add(new TcpOption.Nop());
      o.add(new TcpOption.Nop());
      o.add(new TcpOption.Sack(blocks));
    }
    return o;
  }

  /** The packetdrill summary of {@link Segment#toString()} (allocates: traces and messages only). */
  @Override
  public String toString() {
    return Segment.copyOf(this).toString();
  }
}
