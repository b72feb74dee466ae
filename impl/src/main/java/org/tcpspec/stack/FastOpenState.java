package org.tcpspec.stack;

import org.tcpspec.wire.FastOpenOption.Cookie;

/**
 * A connection's part in TCP Fast Open (RFC 7413): what Linux keeps in tcp_sock's syn_fastopen,
 * syn_data, syn_data_acked, syn_fastopen_child and fastopen_client_fail, and the cookie option
 * its next SYN or SYN-ACK carries.
 */
final class FastOpenState {
  /** Linux TFO_COOKIE_UNAVAILABLE, TFO_DATA_NOT_ACKED, TFO_SYN_RETRANSMITTED (tcpi_fastopen_client_fail). */
  static final int COOKIE_UNAVAILABLE = 1;
  static final int DATA_NOT_ACKED = 2;
  static final int SYN_RETRANSMITTED = 3;

  /** A server's child made by a Fast Open SYN (Linux syn_fastopen_child, TCPI_OPT_TFO_CHILD). */
  boolean child;
  /** The SYN's data was acknowledged, ours or the peer's (Linux syn_data_acked, TCPI_OPT_SYN_DATA). */
  boolean synDataAcked;
  /** Our SYN asked for Fast Open, and in the experimental option (syn_fastopen_exp). */
  boolean requested;
  /**
   * Our SYN carried the Fast Open option, a cookie or a request (Linux syn_fastopen, which
   * tcp_syn_options sets only then): not in the no-cookie mode.
   */
  boolean optionSent;
  boolean experimental;
  /** Bytes of data our SYN carried (Linux syn_data when not 0). */
  int synData;
  /** Why Fast Open failed for this client (tcpi_fastopen_client_fail), 0 if it did not. */
  int clientFail;
  /** The cookie option of our next SYN or SYN-ACK; null for none (retransmissions carry none). */
  private Cookie synCookie;

  Cookie synCookie() {
    return synCookie;
  }

  void synCookie(Cookie cookie) {
    synCookie = cookie;
  }
}
