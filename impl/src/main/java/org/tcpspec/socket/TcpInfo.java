package org.tcpspec.socket;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot in the spirit of Linux's struct tcp_info: state (Linux numbering), timers in
 * microseconds, windows in bytes, congestion window in segments.
 */
public record TcpInfo(
    int state, long rtoMicros, long rttMicros, long rttVarMicros, int sndMss, long sndCwnd, long unacked,
    int retransmits, int sndWscale, int rcvWscale, long sndWnd, long rcvWnd, int options) {

  /** TCPI_OPT_* bits of tcpi_options. */
  public static final int TCPI_OPT_TIMESTAMPS = 1;
  public static final int TCPI_OPT_SACK = 2;
  public static final int TCPI_OPT_WSCALE = 4;

  /** The fields under their struct tcp_info names ("tcpi_state"), for the conformance runner. */
  public Map<String, Long> asMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("tcpi_state", (long) state);
    m.put("tcpi_rto", rtoMicros);
    m.put("tcpi_rtt", rttMicros);
    m.put("tcpi_rttvar", rttVarMicros);
    m.put("tcpi_snd_mss", (long) sndMss);
    m.put("tcpi_snd_cwnd", sndCwnd);
    m.put("tcpi_unacked", unacked);
    m.put("tcpi_retransmits", (long) retransmits);
    m.put("tcpi_snd_wscale", (long) sndWscale);
    m.put("tcpi_rcv_wscale", (long) rcvWscale);
    m.put("tcpi_snd_wnd", sndWnd);
    m.put("tcpi_rcv_wnd", rcvWnd);
    m.put("tcpi_options", (long) options);
    return m;
  }
}
