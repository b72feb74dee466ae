package org.tcpspec.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed, validated TCP segment over IPv4 or IPv6: everything the protocol needs from one packet,
 * immutable. Parsing produces it only from a well-formed packet (see {@code SegmentParser});
 * emitting it produces exactly {@link #ipTotalLength()} bytes with correct checksums.
 *
 * <p>Addresses are {@link IpAddress}es of one family (an IPv4 address in its mapped form; the
 * constructor taking ints makes an IPv4 segment); ports 0..65535; {@code seq} and {@code ack}
 * are unsigned 32-bit values held in ints (compare them with {@link SeqNum}); {@code flags} is an
 * OR of {@link TcpFlags}; {@code window} is the raw 16-bit field, before any window scaling.
 * {@code ack} is meaningful only when ACK is set, {@code urgentPointer} only when URG is set; both
 * are carried as they were on the wire.
 */
public record Segment(
    IpAddress srcIp,
    IpAddress dstIp,
    int srcPort,
    int dstPort,
    int seq,
    int ack,
    int flags,
    int window,
    int urgentPointer,
    List<TcpOption> options,
    byte[] payload) implements SegmentView {

  /** IPv4 header length we emit (no IP options). */
  public static final int IPV4_HEADER_LENGTH = 20;
  /** TCP header length without options. */
  public static final int TCP_MIN_HEADER_LENGTH = 20;
  /** TCP options take at most 40 bytes (data offset 15 words). */
  public static final int TCP_MAX_OPTIONS_LENGTH = 40;

  public Segment {
    if (srcIp.isIpv4() != dstIp.isIpv4()) {
      throw new IllegalArgumentException("addresses of two families: " + srcIp + " and " + dstIp);
    }
    checkRange("srcPort", srcPort, 0xFFFF);
    checkRange("dstPort", dstPort, 0xFFFF);
    checkRange("flags", flags, 0x1FF);
    checkRange("window", window, 0xFFFF);
    checkRange("urgentPointer", urgentPointer, 0xFFFF);
    options = List.copyOf(options);
    payload = payload.clone();
    int optionBytes = optionsLength(options);
    if (optionBytes > TCP_MAX_OPTIONS_LENGTH) {
      throw new IllegalArgumentException("options take " + optionBytes + " bytes, at most 40 fit");
    }
  }

  /** An IPv4 segment: addresses as big-endian ints (192.0.2.1 is 0xC0000201). */
  public Segment(int srcAddr, int dstAddr, int srcPort, int dstPort, int seq, int ack, int flags, int window,
      int urgentPointer, List<TcpOption> options, byte[] payload) {
    this(IpAddress.ipv4(srcAddr), IpAddress.ipv4(dstAddr), srcPort, dstPort, seq, ack, flags, window,
        urgentPointer, options, payload);
  }

  /** This segment between other addresses (of one family): the same header, options and payload. */
  public Segment withAddresses(IpAddress src, IpAddress dst) {
    return new Segment(src, dst, srcPort, dstPort, seq, ack, flags, window, urgentPointer, options, payload);
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

  /** An immutable copy of any view (a flyweight's bytes stay valid only until it is re-wrapped). */
  public static Segment copyOf(SegmentView v) {
    if (v instanceof Segment s) return s;
    byte[] payload = new byte[v.payloadLength()];
    v.copyPayload(0, payload, 0, payload.length);
    return new Segment(v.srcIp(), v.dstIp(), v.srcPort(), v.dstPort(), v.seq(), v.ack(), v.flags(), v.window(),
        v.urgentPointer(), v.options(), payload);
  }

  private static void checkRange(String field, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(field + " out of range 0.." + max + ": " + value);
    }
  }

  /** Bytes the options take on the wire, before padding to a multiple of 4. */
  public static int optionsLength(List<TcpOption> options) {
    int n = 0;
    for (TcpOption o : options) n += o.wireLength();
    return n;
  }

  @Override
  public int optionsLength() {
    return optionsLength(options);
  }

  /** TCP header length in bytes: 20 plus the options padded to a 4-byte boundary. */
  public int tcpHeaderLength() {
    return TCP_MIN_HEADER_LENGTH + ((optionsLength(options) + 3) & ~3);
  }

  /** Bytes of the packet this segment emits to (IPv4's total length; IPv6's payload length + 40). */
  @Override
  public int ipTotalLength() {
    return ipHeaderLength() + tcpHeaderLength() + payload.length;
  }

  /** A copy of the payload (the record keeps its own). */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public int payloadLength() {
    return payload.length;
  }

  @Override
  public void copyPayload(int from, byte[] dst, int dstOff, int len) {
    System.arraycopy(payload, from, dst, dstOff, len);
  }

  /** The record's own payload array, for the emitter only: never hand it out. */
  byte[] payloadArray() {
    return payload;
  }

  @Override
  public boolean hasTimestamp() {
    return timestamp() != null;
  }

  @Override
  public int tsVal() {
    TcpOption.Timestamp ts = timestamp();
    return ts == null ? 0 : ts.tsVal();
  }

  @Override
  public int tsEcr() {
    TcpOption.Timestamp ts = timestamp();
    return ts == null ? 0 : ts.tsEcr();
  }

  @Override
  public int sackBlockCount() {
    TcpOption.Sack sack = sack();
    return sack == null ? 0 : sack.blocks().size();
  }

  @Override
  public int sackLeft(int i) {
    return sack().blocks().get(i).left();
  }

  @Override
  public int sackRight(int i) {
    return sack().blocks().get(i).right();
  }

  private TcpOption.Sack sack() {
    for (int i = 0; i < options.size(); i++) {
      if (options.get(i) instanceof TcpOption.Sack sack) return sack;
    }
    return null;
  }

  /** The first timestamps option or null (private: indexed, so no iterator on the data path). */
  private TcpOption.Timestamp timestamp() {
    for (int i = 0; i < options.size(); i++) {
      if (options.get(i) instanceof TcpOption.Timestamp ts) return ts;
    }
    return null;
  }

  @Override
  public boolean has(int flagMask) {
    return TcpFlags.has(flags, flagMask);
  }

  /**
   * Sequence space the segment occupies, RFC 9293 §3.4 (SEG.LEN): payload plus one for SYN and one
   * for FIN.
   */
  @Override
  public int segLen() {
    return payload.length + (has(TcpFlags.SYN) ? 1 : 0) + (has(TcpFlags.FIN) ? 1 : 0);
  }

  /** The first option of the given type, if present. */
  @Override
  public <T extends TcpOption> Optional<T> option(Class<T> type) {
    for (TcpOption o : options) {
      if (type.isInstance(o)) return Optional.of(type.cast(o));
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Segment s
        && s.srcIp.equals(srcIp)
        && s.dstIp.equals(dstIp)
        && s.srcPort == srcPort
        && s.dstPort == dstPort
        && s.seq == seq
        && s.ack == ack
        && s.flags == flags
        && s.window == window
        && s.urgentPointer == urgentPointer
        && s.options.equals(options)
        && Arrays.equals(s.payload, payload);
  }

  @Override
  public int hashCode() {
    int h = srcPort * 31 + dstPort;
    h = h * 31 + seq;
    h = h * 31 + ack;
    h = h * 31 + flags;
    return h * 31 + Arrays.hashCode(payload);
  }

  /** A one-line summary in packetdrill's notation, used by traces and failure messages. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(srcPort).append('>').append(dstPort).append(' ');
    b.append(TcpFlags.toPacketdrill(flags)).append(' ');
    b.append(SeqNum.unsigned(seq)).append(':').append(SeqNum.unsigned(seq + payload.length));
    b.append('(').append(payload.length).append(')');
    if (has(TcpFlags.ACK)) b.append(" ack ").append(SeqNum.unsigned(ack));
    b.append(" win ").append(window);
    if (!options.isEmpty()) b.append(" <").append(TcpOption.toPacketdrill(options)).append('>');
    return b.toString();
  }
}
