package org.tcpspec.stack;

/**
 * Linux's send chronographs (tcp_chrono_start, tcp_chrono_stop, tcp_get_info_chrono_stats): how
 * long the connection had data to send (busy), and of that how long the peer's window held it back
 * (rwnd limited) and how long the send buffer did (sndbuf limited: all of it sent, cwnd not the
 * limit, and the writer waiting for room). At most one runs; a higher-numbered one takes over from
 * a lower one; all stop when nothing is left to send or acknowledge. Counted in milliseconds, as
 * Linux counts jiffies at HZ 1000, and reported in microseconds as tcp_info's tcpi_busy_time,
 * tcpi_rwnd_limited and tcpi_sndbuf_limited.
 */
final class SendChrono {
  static final int NONE = 0;
  static final int BUSY = 1;
  static final int RWND_LIMITED = 2;
  static final int SNDBUF_LIMITED = 3;

  private int running = NONE;
  private long startMillis;
  /** Milliseconds of BUSY, RWND_LIMITED and SNDBUF_LIMITED that ended. */
  private final long[] stat = new long[3];

  /** tcp_chrono_start: {@code type} runs unless a higher one does. */
  void start(int type, long nowMillis) {
    if (type > running) set(type, nowMillis);
  }

  /**
   * tcp_chrono_stop: with the queues empty everything stops; else when {@code type} runs, busy
   * takes over.
   */
  void stop(int type, boolean queuesEmpty, long nowMillis) {
    if (queuesEmpty) set(NONE, nowMillis);
    else if (type == running) set(BUSY, nowMillis);
  }

  private void set(int type, long nowMillis) {
    if (running != NONE) stat[running - 1] += nowMillis - startMillis;
    running = type;
    startMillis = nowMillis;
  }

  /** tcpi_busy_time: microseconds of every chronograph, the running one included. */
  long busyMicros(long nowMillis) {
    return (millis(BUSY, nowMillis) + millis(RWND_LIMITED, nowMillis) + millis(SNDBUF_LIMITED, nowMillis)) * 1000;
  }

  /** tcpi_rwnd_limited, in microseconds. */
  long rwndLimitedMicros(long nowMillis) {
    return millis(RWND_LIMITED, nowMillis) * 1000;
  }

  /** tcpi_sndbuf_limited, in microseconds. */
  long sndbufLimitedMicros(long nowMillis) {
    return millis(SNDBUF_LIMITED, nowMillis) * 1000;
  }

  private long millis(int type, long nowMillis) {
    return stat[type - 1] + (running == type ? nowMillis - startMillis : 0);
  }
}
