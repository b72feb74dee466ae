package org.tcpspec.conformance.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
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
 * <p>Times are in microseconds except the {@code tcpi_last_*} fields (milliseconds); {@code
 * tcpi_snd_cwnd} is in segments. Layout facts: eight u8 at 0..7 (two 4-bit window scales share byte
 * 6, low nibble {@code snd}; byte 7 holds the app-limited bit and the 2-bit fastopen failure), then
 * u32 and naturally aligned u64 fields.
 */
public record TcpInfo(int length, Map<String, Long> fields) {

  public TcpInfo {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  private enum Kind {
    U8,
    U16,
    U32,
    U64,
    LOW_NIBBLE,
    HIGH_NIBBLE,
    BIT0,
    BITS1_2
  }

  private record Field(String name, int offset, Kind kind) {
    int end() {
      return offset
          + switch (kind) {
            case U8, LOW_NIBBLE, HIGH_NIBBLE, BIT0, BITS1_2 -> 1;
            case U16 -> 2;
            case U32 -> 4;
            case U64 -> 8;
          };
    }
  }

  private static final List<Field> LAYOUT = layout();

  private static List<Field> layout() {
    List<Field> f = new java.util.ArrayList<>();
    String[] bytes = {"state", "ca_state", "retransmits", "probes", "backoff", "options"};
    for (int i = 0; i < bytes.length; i++) f.add(new Field("tcpi_" + bytes[i], i, Kind.U8));
    f.add(new Field("tcpi_snd_wscale", 6, Kind.LOW_NIBBLE));
    f.add(new Field("tcpi_rcv_wscale", 6, Kind.HIGH_NIBBLE));
    f.add(new Field("tcpi_delivery_rate_app_limited", 7, Kind.BIT0));
    f.add(new Field("tcpi_fastopen_client_fail", 7, Kind.BITS1_2));
    int at = 8;
    String[] u32s = {
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
      "total_retrans"
    };
    for (String n : u32s) {
      f.add(new Field("tcpi_" + n, at, Kind.U32));
      at += 4;
    }
    at = add(f, at, Kind.U64, "pacing_rate", "max_pacing_rate", "bytes_acked", "bytes_received");
    at =
        add(
            f,
            at,
            Kind.U32,
            "segs_out",
            "segs_in",
            "notsent_bytes",
            "min_rtt",
            "data_segs_in",
            "data_segs_out");
    at = add(f, at, Kind.U64, "delivery_rate", "busy_time", "rwnd_limited", "sndbuf_limited");
    at = add(f, at, Kind.U32, "delivered", "delivered_ce");
    at = add(f, at, Kind.U64, "bytes_sent", "bytes_retrans");
    at =
        add(
            f,
            at,
            Kind.U32,
            "dsack_dups",
            "reord_seen",
            "rcv_ooopack",
            "snd_wnd",
            "rcv_wnd",
            "rehash");
    at = add(f, at, Kind.U16, "total_rto", "total_rto_recoveries");
    add(f, at, Kind.U32, "total_rto_time");
    return List.copyOf(f);
  }

  private static int add(List<Field> f, int at, Kind kind, String... names) {
    int size = kind == Kind.U64 ? 8 : kind == Kind.U16 ? 2 : 4;
    for (String n : names) {
      f.add(new Field("tcpi_" + n, at, kind));
      at += size;
    }
    return at;
  }

  /** Bytes of struct tcp_info this table knows (the kernel may return more or fewer). */
  public static int knownSize() {
    return LAYOUT.getLast().end();
  }

  /** Decodes the first {@code length} bytes the kernel returned at {@code info}. */
  public static TcpInfo parse(MemorySegment info, int length) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (Field field : LAYOUT) {
      if (field.end() > length) continue;
      int b = field.offset();
      long v =
          switch (field.kind()) {
            case U8 -> info.get(JAVA_BYTE, b) & 0xFFL;
            case U16 -> info.get(JAVA_SHORT_UNALIGNED, b) & 0xFFFFL;
            case U32 -> info.get(JAVA_INT_UNALIGNED, b) & 0xFFFF_FFFFL;
            case U64 -> info.get(JAVA_LONG_UNALIGNED, b);
            case LOW_NIBBLE -> info.get(JAVA_BYTE, b) & 0x0FL;
            case HIGH_NIBBLE -> (info.get(JAVA_BYTE, b) >> 4) & 0x0FL;
            case BIT0 -> info.get(JAVA_BYTE, b) & 0x01L;
            case BITS1_2 -> (info.get(JAVA_BYTE, b) >> 1) & 0x03L;
          };
      values.put(field.name(), v);
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
