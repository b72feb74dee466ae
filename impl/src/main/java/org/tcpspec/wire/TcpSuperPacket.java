package org.tcpspec.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One TCP super-packet built in native memory from consecutive segments a stack sends, for a device
 * that segments on transmit (TSO/GSO through the virtio-net header): the first segment emitted whole,
 * each following one's payload appended while the kernel's segmentation (tcp_gso_segment) would give
 * back exactly the segments added: same addresses and ports, contiguous sequence numbers, the same
 * ACK, window, timestamps and IP TOS and TTL, no SACK blocks, every segment but the last of the first one's payload
 * size (the gso_size), flags ACK on all but the last, which may add PSH or FIN. The packet is then
 * closed; so it is after a segment that cannot be followed (a pure ACK, a SYN, a short one). A
 * segment that stands for a run ({@link OutboundSegment#segmentSize()}) starts a packet, with the
 * run's segment size as the gso_size, and single segments may follow it.
 *
 * <p>For such a device every packet's TCP checksum is left partial (the pseudo-header's sum, which
 * the device or the receiving kernel completes or skips, CHECKSUM_PARTIAL), so neither side sums
 * the payload. Nothing is allocated per segment: the stack's one {@link OutboundSegment} is copied
 * from, the emitter's views are reused. Without the offload ({@code offload} false) each packet
 * holds one segment with a complete checksum, as emitted: what a plain device takes.
 *
 * <p>With the offload, a packet whose first segment's payload lies in native memory and is sent for
 * the first time holds only the headers: its payload stays where it lies ({@link #slices()}, the
 * send buffer's ring) and the device's write gathers it, as long as every segment added lies so
 * too; see {@link OutboundSegment#repeated()} for why a retransmission's bytes are copied.
 */
public final class TcpSuperPacket {
  /** The most bytes an IP packet has (IPv4's total length field; IPv6's payload length less its header). */
  private static final int MAX_PACKET = 65_535;
  private static final int FOLLOWING_FLAGS = TcpFlags.ACK | TcpFlags.PSH | TcpFlags.FIN;
  /** Made once: a layout made per call costs an allocation and a var-handle cache lookup. */
  private static final ValueLayout.OfShort NET_U16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final MemorySegment buffer;
  private final boolean offload;
  private final SegmentEmitter emitter = new SegmentEmitter();
  private final Ipv4Header ip = new Ipv4Header();
  private final Ipv6Header ip6 = new Ipv6Header();
  /** Where the payload lies when {@link #gathered}: a run per segment at most, two where a ring wraps. */
  private final NativeSlices slices = new NativeSlices(SLICES);
  private static final int SLICES = 16;
  private boolean gathered;

  private int segments;
  private int length;
  private int tcpOffset;
  private int headerLength;
  private int gsoSize;
  private boolean closed;
  private boolean ipv6;
  private long srcHigh;
  private long srcLow;
  private long dstHigh;
  private long dstLow;
  private int srcPort;
  private int dstPort;
  private int firstSeq;
  private int firstFlags;
  private int sackBlocks;
  private int nextSeq;
  private int ack;
  private int window;
  private int optionsLength;
  private boolean timestamp;
  private int tsVal;
  private int tsEcr;
  private int ipTos;
  private int ipTtl;

  /**
   * @param buffer where the packet is built, at least {@value #MAX_PACKET} bytes (or the largest
   *     segment) long
   * @param offload whether the device segments and completes checksums: segments may be appended,
   *     checksums stay partial; false builds one packet per segment, checksum complete
   */
  public TcpSuperPacket(MemorySegment buffer, boolean offload) {
    this.buffer = buffer;
    this.offload = offload;
  }

  /**
   * Adds {@code s}: emits it as the packet's first segment when the packet is empty, else appends
   * its payload if it may follow. Returns false (nothing changed) when it may not; the caller then
   * sends the packet, {@link #clear()}s it and adds again.
   */
  public boolean add(SegmentView s) {
    if (segments == 0) {
      start(s);
      return true;
    }
    if (!follows(s)) return false;
    OutboundSegment o = (OutboundSegment) s;
    int n = o.payloadLength();
    if (gathered) {
      if (!o.payloadSlicesTo(slices)) return false;
    } else {
      o.copyPayloadTo(buffer, length);
    }
    length += n;
    nextSeq += n;
    segments++;
    buffer.set(ValueLayout.JAVA_BYTE, tcpOffset + TcpHeader.FLAGS, (byte) o.flags());
    if (n < gsoSize || o.flags() != TcpFlags.ACK) closed = true;
    return true;
  }

  private void start(SegmentView s) {
    gathered = offload && s instanceof OutboundSegment o && (s.flags() & TcpFlags.SYN) == 0 && o.payloadSlicesTo(slices);
    if (gathered) {
      emitter.writeHeadersWithPartialChecksum(s, buffer, 0);
      length = s.ipTotalLength();
    } else {
      length = offload ? emitter.writeWithPartialChecksum(s, buffer, 0) : emitter.write(s, buffer, 0);
    }
    // A run of segments (OutboundSegment.segmentSize) comes whole: its segment size is the gso_size.
    int payload = s.payloadLength();
    int runSegmentSize = s instanceof OutboundSegment o ? o.segmentSize() : 0;
    gsoSize = runSegmentSize > 0 ? runSegmentSize : payload;
    segments = runSegmentSize > 0 ? Math.ceilDiv(payload, runSegmentSize) : 1;
    ipv6 = s.isIpv6();
    tcpOffset = s.ipHeaderLength();
    headerLength = tcpOffset + s.tcpHeaderLength();
    srcHigh = s.srcAddrHigh();
    srcLow = s.srcAddrLow();
    dstHigh = s.dstAddrHigh();
    dstLow = s.dstAddrLow();
    srcPort = s.srcPort();
    dstPort = s.dstPort();
    firstSeq = s.seq();
    firstFlags = s.flags();
    sackBlocks = s.sackBlockCount();
    nextSeq = SeqNum.plus(s.seq(), payload);
    ack = s.ack();
    window = s.window();
    optionsLength = s.optionsLength();
    timestamp = s.hasTimestamp();
    tsVal = s.tsVal();
    tsEcr = s.tsEcr();
    ipTos = s.ipTos();
    ipTtl = s.ipTtl();
    closed = !offload || !(s instanceof OutboundSegment o) || o.hasExplicitOptions() || gsoSize == 0
        || s.flags() != TcpFlags.ACK || s.sackBlockCount() > 0 || payload % gsoSize != 0;
  }

  /** Whether the packet is one pure ACK: no payload, no flag but ACK, no SACK block. */
  public boolean pureAck() {
    return segments == 1 && gsoSize == 0 && firstFlags == TcpFlags.ACK && sackBlocks == 0;
  }

  /**
   * Whether the packet is one {@link #pureAck() pure ACK} that {@code s} makes redundant: {@code s}
   * is a pure ACK too, of the same connection, at the same sequence number, acknowledging more.
   * Every field of {@code s} is then as new as the packet's or newer (the window it offers, the
   * timestamp it echoes), and the peer loses nothing when only {@code s} is sent: ACKs are
   * cumulative, and neither carries SACK information. An ACK of the same number is never redundant:
   * it may be a duplicate ACK, which the peer counts (RFC 5681 §2).
   */
  public boolean supersededBy(SegmentView s) {
    return pureAck() && s.payloadLength() == 0 && s.flags() == TcpFlags.ACK && s.sackBlockCount() == 0
        && !(s instanceof OutboundSegment o && o.hasExplicitOptions())
        && s.seq() == firstSeq && SeqNum.gt(s.ack(), ack)
        && s.srcPort() == srcPort && s.dstPort() == dstPort
        && s.srcAddrHigh() == srcHigh && s.srcAddrLow() == srcLow
        && s.dstAddrHigh() == dstHigh && s.dstAddrLow() == dstLow;
  }

  /** Whether the kernel's segmentation of the packet with {@code s} appended gives back {@code s}. */
  private boolean follows(SegmentView s) {
    if (closed || !(s instanceof OutboundSegment o) || o.hasExplicitOptions()) return false;
    int n = o.payloadLength();
    return n > 0 && n <= gsoSize && length + n <= Math.min(MAX_PACKET, buffer.byteSize())
        && (o.flags() & ~FOLLOWING_FLAGS) == 0 && o.has(TcpFlags.ACK)
        && o.seq() == nextSeq && o.ack() == ack && o.window() == window
        && o.srcPort() == srcPort && o.dstPort() == dstPort
        && o.srcAddrHigh() == srcHigh && o.srcAddrLow() == srcLow
        && o.dstAddrHigh() == dstHigh && o.dstAddrLow() == dstLow
        && o.sackBlockCount() == 0 && o.optionsLength() == optionsLength
        && o.hasTimestamp() == timestamp && o.tsVal() == tsVal && o.tsEcr() == tsEcr
        // The kernel copies the first IP header to every segment: new data after a retransmission
        // goes ECT(0) where the retransmission went Not-ECT (RFC 3168 §6.1.5).
        && o.ipTos() == ipTos && o.ipTtl() == ipTtl;
  }

  /**
   * Makes the packet ready to send: with more than one segment, the IP length fields (and IPv4's
   * header checksum) for the whole, and the partial TCP checksum, the pseudo-header's sum, for the
   * whole length, as Linux's tcp_v4_send_check leaves it for a TSO device.
   */
  public void finish() {
    if (segments < 2) return;
    if (ipv6) {
      ip6.wrap(buffer, 0, length).payloadLength(length - Ipv6Header.LENGTH);
    } else {
      ip.wrap(buffer, 0, length).totalLength(length).headerChecksum(0).fillHeaderChecksum();
    }
    int pseudo = InternetChecksum.pseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, InternetChecksum.PROTOCOL_TCP,
        length - tcpOffset);
    buffer.set(NET_U16, tcpOffset + TcpHeader.CHECKSUM, (short) pseudo);
  }

  /** Empties the packet for the next one. */
  public void clear() {
    segments = 0;
    length = 0;
    closed = false;
    gathered = false;
    slices.clear();
  }

  public boolean isEmpty() {
    return segments == 0;
  }

  /** Whether the TCP checksum is partial (with the offload), else complete. */
  public boolean checksumPartial() {
    return offload;
  }

  /** Whether no further segment can be appended. */
  public boolean closed() {
    return closed;
  }

  /** The segments it stands for. */
  public int segments() {
    return segments;
  }

  /** The packet's bytes so far: from index 0 of the buffer, or the headers there and the {@link #slices()}. */
  public int length() {
    return length;
  }

  /** Whether the payload lies in {@link #slices()}, not behind the headers in the buffer. */
  public boolean gathered() {
    return gathered;
  }

  /** Where the payload lies when {@link #gathered()}, in order. */
  public NativeSlices slices() {
    return slices;
  }

  /** The buffer the packet is in, from index 0, {@link #length()} bytes. */
  public MemorySegment buffer() {
    return buffer;
  }

  /** Payload bytes of each segment but the last (the first one's). */
  public int gsoSize() {
    return gsoSize;
  }

  /** Where the TCP header starts: the IP header's length. */
  public int tcpOffset() {
    return tcpOffset;
  }

  /** IP and TCP header bytes. */
  public int headerLength() {
    return headerLength;
  }
}
