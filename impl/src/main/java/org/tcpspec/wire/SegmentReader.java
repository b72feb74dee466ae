package org.tcpspec.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A reusable, allocation-free view of one received IPv4/TCP packet in a byte array: {@link #wrap}
 * accepts exactly the packets {@link SegmentParser} parses (the same checks in the same order;
 * {@code SegmentReaderTest} holds the two together) and then reads every field straight from the
 * bytes, as Aeron's flyweights do. The timestamps option is located once during the wrap, since
 * the data path needs it for every segment; the other options are decoded only when {@link
 * #options()} is asked for (allocating, for the handshake and traces).
 *
 * <p>When {@link #wrap} returns false, {@link SegmentParser#parse(byte[], int, int)} on the same
 * bytes says why. The view is valid while the bytes stay unchanged and until the next wrap.
 */
public final class SegmentReader implements SegmentView {
  private final Ipv4Header ip = new Ipv4Header();
  private final TcpHeader tcp = new TcpHeader();
  private int tcpHeaderLength;
  /** Where reading the options stopped (SegmentParser.optionsEnd). */
  private int optionsEnd;
  private int payloadLength;
  private boolean timestamp;
  private int tsVal;
  private int tsEcr;

  /** Wraps {@code packet[offset, offset + length)}; false (and nothing usable) if malformed. */
  public boolean wrap(byte[] packet, int offset, int length) {
    Objects.requireNonNull(packet);
    if (offset < 0 || length < Ipv4Header.MIN_LENGTH || offset > packet.length - length) return false;
    ip.wrap(packet, offset, length);
    // The order of SegmentParser.parse(Ipv4Header), which cites Linux for each check.
    if (ip.version() != 4 || ip.ihl() < 5 || ip.headerLength() > ip.length() || !ip.headerChecksumValid()) {
      return false;
    }
    int total = ip.totalLength();
    if (total > ip.length() || total < ip.headerLength() || ip.moreFragments() || ip.fragmentOffset() != 0
        || ip.protocol() != InternetChecksum.PROTOCOL_TCP) {
      return false;
    }
    int tcpLength = total - ip.headerLength();
    if (tcpLength < TcpHeader.MIN_LENGTH) return false;
    tcp.wrap(ip, ip.headerLength(), tcpLength);
    if (tcp.dataOffset() < 5 || tcp.headerLength() > tcpLength) return false;
    if (!tcp.checksumValid(ip.srcAddr(), ip.dstAddr())) return false;
    tcpHeaderLength = tcp.headerLength();
    payloadLength = tcpLength - tcpHeaderLength;
    scanOptions();
    return true;
  }

  /** The rules of SegmentParser.readOptions without building the list; finds the timestamps. */
  private void scanOptions() {
    timestamp = false;
    tsVal = 0;
    tsEcr = 0;
    optionsEnd = SegmentParser.optionsEnd(tcp, tcpHeaderLength);
    int i = TcpHeader.OPTIONS;
    while (i < optionsEnd) {
      int kind = tcp.byteAt(i);
      if (kind == TcpOption.KIND_NOP) {
        i++;
        continue;
      }
      int len = tcp.byteAt(i + 1);
      if (kind == TcpOption.KIND_TIMESTAMP && !timestamp && TcpOption.isDefinedLength(kind, len)) {
        timestamp = true;
        tsVal = tcp.u32(i + 2);
        tsEcr = tcp.u32(i + 6);
      }
      i += len;
    }
  }

  @Override
  public int srcAddr() {
    return ip.srcAddr();
  }

  @Override
  public int dstAddr() {
    return ip.dstAddr();
  }

  @Override
  public int srcPort() {
    return tcp.srcPort();
  }

  @Override
  public int dstPort() {
    return tcp.dstPort();
  }

  @Override
  public int seq() {
    return tcp.seq();
  }

  @Override
  public int ack() {
    return tcp.ack();
  }

  @Override
  public int flags() {
    return tcp.flags();
  }

  @Override
  public int window() {
    return tcp.window();
  }

  @Override
  public int urgentPointer() {
    return tcp.urgentPointer();
  }

  @Override
  public int payloadLength() {
    return payloadLength;
  }

  @Override
  public void copyPayload(int from, byte[] dst, int dstOff, int len) {
    Objects.checkFromIndexSize(from, len, payloadLength);
    tcp.copyOut(tcpHeaderLength + from, dst, dstOff, len);
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

  /** Up to where reading stopped: what {@link #options()} decodes (EOL and what follows not counted). */
  @Override
  public int optionsLength() {
    return optionsEnd - TcpHeader.OPTIONS;
  }

  @Override
  public List<TcpOption> options() {
    List<TcpOption> out = new ArrayList<>();
    SegmentParser.readOptions(tcp, out);
    return out;
  }

  /**
   * Looks for the option's kind in the raw bytes first, so that asking for an option the segment
   * lacks (SACK blocks on an ordinary ACK, say) allocates nothing; only a present one is decoded.
   */
  @Override
  public <T extends TcpOption> Optional<T> option(Class<T> type) {
    int kind = kindOf(type);
    if (kind >= 0 && !hasKind(kind)) return Optional.empty();
    return SegmentView.super.option(type);
  }

  private static int kindOf(Class<?> type) {
    if (type == TcpOption.Mss.class) return TcpOption.KIND_MSS;
    if (type == TcpOption.WindowScale.class) return TcpOption.KIND_WSCALE;
    if (type == TcpOption.SackPermitted.class) return TcpOption.KIND_SACK_PERMITTED;
    if (type == TcpOption.Sack.class) return TcpOption.KIND_SACK;
    if (type == TcpOption.Timestamp.class) return TcpOption.KIND_TIMESTAMP;
    return -1;
  }

  /** Whether an option of this kind (any length) is in the list; the wrap found where it ends. */
  private boolean hasKind(int wanted) {
    int i = TcpHeader.OPTIONS;
    while (i < optionsEnd) {
      int kind = tcp.byteAt(i);
      if (kind == wanted) return true;
      i += kind == TcpOption.KIND_NOP ? 1 : tcp.byteAt(i + 1);
    }
    return false;
  }

  /** The packetdrill summary of {@link Segment#toString()} (allocates: traces and messages only). */
  @Override
  public String toString() {
    return Segment.copyOf(this).toString();
  }
}
