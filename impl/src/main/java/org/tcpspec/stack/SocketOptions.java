package org.tcpspec.stack;

import org.tcpspec.tcb.Tcb;

/** Per-connection settings the socket API exposes; defaults as Linux. */
public final class SocketOptions {
  public boolean noDelay;
  public boolean keepAlive;
  public boolean reuseAddr;
  public int sndBuf = Tcb.DEFAULT_BUFFER;
  public int rcvBuf = Tcb.DEFAULT_BUFFER;
  /** SO_RCVBUF was set: Linux then sizes the window scale to this buffer (SOCK_RCVBUF_LOCK). */
  public boolean rcvBufLocked;
  /** TCP_MAXSEG: caps the MSS we advertise and use; 0 means the interface default. */
  public int maxSeg;
  public boolean lingerOn;
  public int lingerSeconds;
  // Linux: tcp_keepalive_time 7200 s, tcp_keepalive_intvl 75 s, tcp_keepalive_probes 9.
  public long keepIdleNanos = 7200L * 1_000_000_000L;
  public long keepIntervalNanos = 75L * 1_000_000_000L;
  public int keepProbes = 9;
  /** TCP_QUICKACK 0: Linux's "pingpong" mode, every ACK delayed, until a delayed ACK fires. */
  public boolean pingpong;
  /** SO_RCVTIMEO: how long a blocking read waits before EAGAIN; 0 waits for ever. */
  public long rcvTimeoutNanos;
  /**
   * TCP_USER_TIMEOUT (RFC 5482), in ms: how long data may stay unacknowledged, or a closed window
   * unopened, before the connection gives up; 0 leaves it to tcp_retries2.
   */
  public int userTimeoutMillis;
  /** TCP_CORK: a short last segment waits until uncorked (Linux TCP_NAGLE_CORK). */
  public boolean cork;
  /** SO_ZEROCOPY: MSG_ZEROCOPY sends get completion notifications on the error queue. */
  public boolean zerocopy;
  /** TCP_INQ: recvmsg reports the bytes left to read (TCP_CM_INQ). */
  public boolean inq;

  public SocketOptions copy() {
    SocketOptions o = new SocketOptions();
    o.noDelay = noDelay;
    o.zerocopy = zerocopy;
    o.cork = cork;
    o.inq = inq;
    o.keepAlive = keepAlive;
    o.reuseAddr = reuseAddr;
    o.sndBuf = sndBuf;
    o.rcvBuf = rcvBuf;
    o.rcvBufLocked = rcvBufLocked;
    o.maxSeg = maxSeg;
    o.lingerOn = lingerOn;
    o.lingerSeconds = lingerSeconds;
    o.keepIdleNanos = keepIdleNanos;
    o.keepIntervalNanos = keepIntervalNanos;
    o.keepProbes = keepProbes;
    o.pingpong = pingpong;
    o.rcvTimeoutNanos = rcvTimeoutNanos;
    o.userTimeoutMillis = userTimeoutMillis;
    return o;
  }
}
