package org.tcpspec.abi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Linux's struct tcp_info (include/uapi/linux/tcp.h, Linux 6.18): what getsockopt(TCP_INFO)
 * returns, for the kernel's sockets and the Java stack's alike. Every field is an unsigned value in
 * a long, under its C name ({@code tcpi_snd_cwnd}) or its {@link Field}. A kernel returns as many
 * bytes as it knows and the caller asked for; only fields wholly within those {@link #length()}
 * bytes are present, so an older kernel's shorter struct simply lacks the newer fields.
 *
 * <p>Units as Linux fills them: times in microseconds except {@code tcpi_last_*} and {@code
 * tcpi_total_rto_time} (milliseconds); {@code tcpi_snd_cwnd}, {@code tcpi_snd_ssthresh}, {@code
 * tcpi_unacked}, {@code tcpi_sacked}, {@code tcpi_lost}, {@code tcpi_retrans} in segments; windows
 * in bytes; {@code tcpi_state} a TCP_* state ({@link Symbol.Kind#TCP_STATE}), {@code
 * tcpi_ca_state} a TCP_CA_* state, {@code tcpi_options} TCPI_OPT_* bits.
 */
public final class TcpInfo {

  /** sizeof(struct tcp_info) in Linux 6.18. */
  public static final int SIZE = 280;

  /**
   * The fields in declaration order with their place: {@code size} bytes at {@code offset}, read as
   * an unsigned little-endian integer (x86-64 and arm64), then {@code bits} bits from bit {@code
   * shift} (bitfields are allocated from the low bit up on little-endian Linux ABIs). Eight u8 at
   * 0..7 (two 4-bit window scales share byte 6, low nibble snd; byte 7 holds the app-limited bit
   * and the 2-bit fastopen failure), then u32 and naturally aligned u64 fields up to byte 248
   * (Linux 6.7), then the Accurate ECN counters and two u16 up to byte 280 (Linux 6.18).
   */
  public enum Field {
    STATE(0, 1),
    CA_STATE(1, 1),
    RETRANSMITS(2, 1),
    PROBES(3, 1),
    BACKOFF(4, 1),
    OPTIONS(5, 1),
    SND_WSCALE(6, 1, 0, 4),
    RCV_WSCALE(6, 1, 4, 4),
    DELIVERY_RATE_APP_LIMITED(7, 1, 0, 1),
    FASTOPEN_CLIENT_FAIL(7, 1, 1, 2),
    RTO(8, 4),
    ATO(12, 4),
    SND_MSS(16, 4),
    RCV_MSS(20, 4),
    UNACKED(24, 4),
    SACKED(28, 4),
    LOST(32, 4),
    RETRANS(36, 4),
    FACKETS(40, 4),
    LAST_DATA_SENT(44, 4),
    LAST_ACK_SENT(48, 4),
    LAST_DATA_RECV(52, 4),
    LAST_ACK_RECV(56, 4),
    PMTU(60, 4),
    RCV_SSTHRESH(64, 4),
    RTT(68, 4),
    RTTVAR(72, 4),
    SND_SSTHRESH(76, 4),
    SND_CWND(80, 4),
    ADVMSS(84, 4),
    REORDERING(88, 4),
    RCV_RTT(92, 4),
    RCV_SPACE(96, 4),
    TOTAL_RETRANS(100, 4),
    PACING_RATE(104, 8),
    MAX_PACING_RATE(112, 8),
    BYTES_ACKED(120, 8),
    BYTES_RECEIVED(128, 8),
    SEGS_OUT(136, 4),
    SEGS_IN(140, 4),
    NOTSENT_BYTES(144, 4),
    MIN_RTT(148, 4),
    DATA_SEGS_IN(152, 4),
    DATA_SEGS_OUT(156, 4),
    DELIVERY_RATE(160, 8),
    BUSY_TIME(168, 8),
    RWND_LIMITED(176, 8),
    SNDBUF_LIMITED(184, 8),
    DELIVERED(192, 4),
    DELIVERED_CE(196, 4),
    BYTES_SENT(200, 8),
    BYTES_RETRANS(208, 8),
    DSACK_DUPS(216, 4),
    REORD_SEEN(220, 4),
    RCV_OOOPACK(224, 4),
    SND_WND(228, 4),
    RCV_WND(232, 4),
    REHASH(236, 4),
    TOTAL_RTO(240, 2),
    TOTAL_RTO_RECOVERIES(242, 2),
    TOTAL_RTO_TIME(244, 4),
    RECEIVED_CE(248, 4),
    DELIVERED_E1_BYTES(252, 4),
    DELIVERED_E0_BYTES(256, 4),
    DELIVERED_CE_BYTES(260, 4),
    RECEIVED_E1_BYTES(264, 4),
    RECEIVED_E0_BYTES(268, 4),
    RECEIVED_CE_BYTES(272, 4),
    ACCECN_FAIL_MODE(276, 2),
    ACCECN_OPT_SEEN(278, 2);

    private final int offset;
    private final int size;
    private final int shift;
    private final int bits;

    Field(int offset, int size) {
      this(offset, size, 0, size * 8);
    }

    Field(int offset, int size, int shift, int bits) {
      this.offset = offset;
      this.size = size;
      this.shift = shift;
      this.bits = bits;
    }

    public int offset() {
      return offset;
    }

    public int size() {
      return size;
    }

    public int shift() {
      return shift;
    }

    public int bits() {
      return bits;
    }

    /** The byte after the field: it is present in a struct of at least this many bytes. */
    public int end() {
      return offset + size;
    }

    /** The C name: "tcpi_snd_cwnd". */
    public String cName() {
      return "tcpi_" + name().toLowerCase(Locale.ROOT);
    }

    /** The field a C name means; empty for a name struct tcp_info does not have. */
    public static Optional<Field> byCName(String name) {
      for (Field f : values()) if (f.cName().equals(name)) return Optional.of(f);
      return Optional.empty();
    }

    long read(byte[] bytes) {
      long raw = 0;
      for (int i = size - 1; i >= 0; i--) raw = raw << 8 | (bytes[offset + i] & 0xFF);
      return bits == 64 ? raw : (raw >>> shift) & ((1L << bits) - 1);
    }

    /** Writes {@code value} into its bits, leaving the other bits of a shared byte alone. */
    void write(byte[] bytes, long value) {
      long mask = bits == 64 ? -1L : ((1L << bits) - 1) << shift;
      for (int i = 0; i < size; i++) {
        long byteMask = (mask >>> (8 * i)) & 0xFF;
        long byteValue = ((value << shift) >>> (8 * i)) & byteMask;
        bytes[offset + i] = (byte) ((bytes[offset + i] & ~byteMask) | byteValue);
      }
    }
  }

  private static final Field[] FIELDS = Field.values();

  private final int length;
  private final long[] values;

  private TcpInfo(int length, long[] values) {
    this.length = length;
    this.values = values;
  }

  /**
   * Decodes what getsockopt(TCP_INFO) wrote: {@code length} is the option length the kernel
   * returned, at most {@code bytes.length}.
   */
  public static TcpInfo decode(byte[] bytes, int length) {
    if (length < 0 || length > bytes.length) {
      throw new IllegalArgumentException("length " + length + " of " + bytes.length + " bytes");
    }
    long[] values = new long[FIELDS.length];
    for (Field f : FIELDS) if (f.end() <= length) values[f.ordinal()] = f.read(bytes);
    return new TcpInfo(length, values);
  }

  /** A whole struct as Linux 6.18 returns it: {@code known} fields set, every other field 0. */
  public static TcpInfo of(Map<Field, Long> known) {
    long[] values = new long[FIELDS.length];
    known.forEach((f, v) -> {
      if (v < 0 || f.bits < 64 && v >>> f.bits != 0) {
        throw new IllegalArgumentException(f.cName() + " = " + v + " does not fit in " + f.bits + " bits");
      }
      values[f.ordinal()] = v;
    });
    return new TcpInfo(SIZE, values);
  }

  /** The struct's first {@link #length()} bytes as getsockopt writes them: {@link #decode} undone. */
  public byte[] encode() {
    byte[] out = new byte[length];
    for (Field f : FIELDS) if (has(f)) f.write(out, values[f.ordinal()]);
    return out;
  }

  /** How many bytes of the struct there are (the kernel's returned option length). */
  public int length() {
    return length;
  }

  public boolean has(Field f) {
    return f.end() <= length;
  }

  /** A field's value; throws when it lies beyond the bytes returned. */
  public long get(Field f) {
    if (!has(f)) throw new NoSuchElementException(f.cName() + " not in the " + length + " bytes returned");
    return values[f.ordinal()];
  }

  /** The present fields by C name, in declaration order. */
  public Map<String, Long> fields() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Field f : FIELDS) if (has(f)) m.put(f.cName(), values[f.ordinal()]);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public String toString() {
    return "tcp_info " + fields();
  }
}
