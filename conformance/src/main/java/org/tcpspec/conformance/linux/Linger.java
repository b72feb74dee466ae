package org.tcpspec.conformance.linux;

/** struct linger: {@code int l_onoff; int l_linger;} (seconds), the value of SO_LINGER. */
public record Linger(boolean on, int seconds) {
  static final int SIZE = 8;
}
