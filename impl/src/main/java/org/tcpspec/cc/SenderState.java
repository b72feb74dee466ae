package org.tcpspec.cc;

/**
 * What a congestion control algorithm reads of its connection, as Linux's tcp_congestion_ops read
 * the socket: the clock, SND.UNA and SND.NXT (HyStart's rounds), SRTT and the MSS (the pacing rate
 * HyStart allows for), and when data last went out (CUBIC's idle shift).
 */
public interface SenderState {
  long nowNanos();

  int sndUna();

  int sndNxt();

  /** SRTT in ns; 0 before the first sample. */
  long srttNanos();

  int mss();

  /** When a data segment last went out (Linux lsndtime). */
  long lastSendNanos();
}
