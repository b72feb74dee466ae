package org.tcpspec.cc;

/**
 * Reno congestion control (RFC 5681 §3.1): slow start below ssthresh, congestion avoidance above,
 * ssthresh = max(FlightSize / 2, 2 * SMSS) on a loss, an initial window of
 * min(10 * MSS, max(2 * MSS, 14600)) bytes (RFC 6928 §2). Linux's tcp_reno_cong_avoid and
 * tcp_reno_ssthresh; fast retransmit and recovery are loss recovery's.
 */
public final class Reno implements CongestionControl {
  private final long mss;
  private long cwnd;
  private long ssthresh = Long.MAX_VALUE / 4; // RFC 5681 §3.1: arbitrarily high at first.

  public Reno(int mss) {
    this.mss = Math.max(1, mss);
    this.cwnd = Math.min(10 * this.mss, Math.max(2 * this.mss, 14600));
  }

  @Override
  public long cwnd() {
    return cwnd;
  }

  @Override
  public long ssthresh() {
    return ssthresh;
  }

  @Override
  public void cwnd(long bytes) {
    cwnd = Math.max(mss, bytes);
  }

  @Override
  public void onAck(long ackedBytes) {
    if (cwnd < ssthresh) {
      cwnd += Math.min(ackedBytes, mss); // RFC 5681 (2)
    } else {
      cwnd += Math.max(1, mss * mss / cwnd); // RFC 5681 (3)
    }
  }

  @Override
  public long onLoss(long flight) {
    ssthresh = Math.max(flight / 2, 2 * mss); // RFC 5681 (4)
    return ssthresh;
  }
}
