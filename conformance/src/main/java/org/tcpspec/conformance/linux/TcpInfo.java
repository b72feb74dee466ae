package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What getsockopt(TCP_INFO) returned: the fields of struct tcp_info (include/uapi/linux/tcp.h)
 * under their C names, in declaration order, each as an unsigned value in a long. Only fields that
 * lie wholly within the bytes the kernel returned are present: older kernels return a shorter
 * struct, and a field this table does not know yet is simply absent.
 *
 * <p>Times are in microseconds except the {@code tcpi_last_*} and {@code tcpi_total_rto_time}
 * fields (milliseconds); {@code tcpi_snd_cwnd} is in segments. Layout facts: eight u8 at 0..7 (two
 * 4-bit window scales share byte 6, low nibble {@code snd}; byte 7 holds the app-limited bit and
 * the 2-bit fastopen failure), then u32 and naturally aligned u64 fields up to byte 248 (Linux
 * 6.7+), then the Accurate ECN counters and one u32 of ECN bitfields up to byte 280 (Linux 6.18).
 */
public record TcpInfo(int length, Map<String, Long> fields) {

  public TcpInfo {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /**
   * One field: {@code bytes} bytes at {@code offset} read as an unsigned little-endian integer,
   * then {@code bits} bits from bit {@code shift} (bitfields are allocated from the low bit up on
   * little-endian Linux ABIs).
   */
  private record Field(String name, int offset, int bytes, int shift, int bits) {
    static Field whole(String name, int offset, int bytes) {
      return new Field(name, offset, bytes, 0, bytes * 8);
    }

    int end() {
      return offset + bytes;
    }

    long read(MemorySegment info) {
      long raw =
          switch (bytes) {
            case 1 -> info.get(JAVA_BYTE, offset) & 0xFFL;
            case 2 -> info.get(JAVA_SHORT_UNALIGNED, offset) & 0xFFFFL;
            case 4 -> info.get(JAVA_INT_UNALIGNED, offset) & 0xFFFF_FFFFL;
            case 8 -> info.get(JAVA_LONG_UNALIGNED, offset);
            default -> throw new IllegalStateException("field of " + bytes + " bytes: " + name);
          };
      return bits == 64 ? raw : (raw >>> shift) & ((1L << bits) - 1);
    }
  }

  private static final List<Field> LAYOUT = layout();

  private static List<Field> layout() {
    List<Field> f = new ArrayList<>();
    String[] bytes = {"state", "ca_state", "retransmits", "probes", "backoff", "options"};
    for (int i = 0; i < bytes.length; i++) f.add(Field.whole("tcpi_" + bytes[i], i, 1));
    f.add(new Field("tcpi_snd_wscale", 6, 1, 0, 4));
    f.add(new Field("tcpi_rcv_wscale", 6, 1, 4, 4));
    f.add(new Field("tcpi_delivery_rate_app_limited", 7, 1, 0, 1));
    f.add(new Field("tcpi_fastopen_client_fail", 7, 1, 1, 2));
    int at = 8;
    at =
        add(
            f,
            at,
            4,
            "rto",
            "ato",
            "snd_mss",
            "rcv_mss",
            "unacked",
            "sacked",
            "lost",
            "retrans",
            "fackets",
            "last_data_sent",
            "last_ack_sent",
            "last_data_recv",
            "last_ack_recv",
            "pmtu",
            "rcv_ssthresh",
            "rtt",
            "rttvar",
            "snd_ssthresh",
            "snd_cwnd",
            "advmss",
            "reordering",
            "rcv_rtt",
            "rcv_space",
            "total_retrans");
    at = add(f, at, 8, "pacing_rate", "max_pacing_rate", "bytes_acked", "bytes_received");
    at =
        add(
            f,
            at,
            4,
            "segs_out",
            "segs_in",
            "notsent_bytes",
            "min_rtt",
            "data_segs_in",
            "data_segs_out");
    at = add(f, at, 8, "delivery_rate", "busy_time", "rwnd_limited", "sndbuf_limited");
    at = add(f, at, 4, "delivered", "delivered_ce");
    at = add(f, at, 8, "bytes_sent", "bytes_retrans");
    at = add(f, at, 4, "dsack_dups", "reord_seen", "rcv_ooopack", "snd_wnd", "rcv_wnd", "rehash");
    at = add(f, at, 2, "total_rto", "total_rto_recoveries");
    at = add(f, at, 4, "total_rto_time");
    // Accurate ECN counters (Linux 6.18): the struct grows from 248 to 280 bytes.
    at =
        add(
            f,
            at,
            4,
            "received_ce",
            "delivered_e1_bytes",
            "delivered_e0_bytes",
            "delivered_ce_bytes",
            "received_e1_bytes",
            "received_e0_bytes",
            "received_ce_bytes");
    f.add(new Field("tcpi_ecn_mode", at, 4, 0, 2));
    f.add(new Field("tcpi_accecn_opt_seen", at, 4, 2, 2));
    f.add(new Field("tcpi_accecn_fail_mode", at, 4, 4, 4));
    f.add(new Field("tcpi_options2", at, 4, 8, 24));
    return List.copyOf(f);
  }

  private static int add(List<Field> f, int at, int size, String... names) {
    for (String n : names) {
      f.add(Field.whole("tcpi_" + n, at, size));
      at += size;
    }
    return at;
  }

  /** Bytes of struct tcp_info this table knows (the kernel may return more or fewer). */
  public static int knownSize() {
    return LAYOUT.stream().mapToInt(Field::end).max().orElseThrow();
  }

  /** Decodes the first {@code length} bytes the kernel returned at {@code info}. */
  public static TcpInfo parse(MemorySegment info, int length) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (Field field : LAYOUT) {
      if (field.end() <= length) values.put(field.name(), field.read(info));
    }
    return new TcpInfo(length, values);
  }

  /** A field by its C name ("tcpi_snd_cwnd"). */
  public long get(String name) {
    Long v = fields.get(name);
    if (v == null)
      throw new NoSuchElementException(name + " not in the " + length + " bytes returned");
    return v;
  }

  /** tcpi_state, a Linux TCP_* state number (include/net/tcp_states.h). */
  public int state() {
    return (int) get("tcpi_state");
  }

  /** The state under its RFC 9293 name ("SYN-SENT"), as the model and the Java table spell it. */
  public String stateName() {
    return rfcStateName(state());
  }

  /**
   * RFC 9293 name of a Linux TCP_* state: TCP_CLOSE is "CLOSED"; TCP_NEW_SYN_RECV (a request
   * socket, never seen through getsockopt) counts as "SYN-RECEIVED".
   */
  public static String rfcStateName(int linuxState) {
    return switch (linuxState) {
      case 1 -> "ESTABLISHED";
      case 2 -> "SYN-SENT";
      case 3, 12 -> "SYN-RECEIVED";
      case 4 -> "FIN-WAIT-1";
      case 5 -> "FIN-WAIT-2";
      case 6 -> "TIME-WAIT";
      case 7 -> "CLOSED";
      case 8 -> "CLOSE-WAIT";
      case 9 -> "LAST-ACK";
      case 10 -> "LISTEN";
      case 11 -> "CLOSING";
      default -> "TCP_STATE_" + linuxState;
    };
  }

  public int caState() {
    return (int) get("tcpi_ca_state");
  }

  public int retransmits() {
    return (int) get("tcpi_retransmits");
  }

  public int sndWscale() {
    return (int) get("tcpi_snd_wscale");
  }

  public int rcvWscale() {
    return (int) get("tcpi_rcv_wscale");
  }

  /** Retransmission timeout in microseconds. */
  public long rtoMicros() {
    return get("tcpi_rto");
  }

  public int sndMss() {
    return (int) get("tcpi_snd_mss");
  }

  public int rcvMss() {
    return (int) get("tcpi_rcv_mss");
  }

  public int unacked() {
    return (int) get("tcpi_unacked");
  }

  /** Smoothed RTT in microseconds. */
  public long rttMicros() {
    return get("tcpi_rtt");
  }

  /** Congestion window in segments. */
  public long sndCwnd() {
    return get("tcpi_snd_cwnd");
  }
}
