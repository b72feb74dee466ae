package org.tcpspec.cc;

/**
 * Reno (RFC 5681 §3.1) as Linux's tcp_reno_cong_avoid and tcp_reno_ssthresh count it, in segments:
 * slow start adds a segment per segment acknowledged (up to ssthresh, the rest going to
 * avoidance), congestion avoidance adds one segment per cwnd segments acknowledged
 * (tcp_cong_avoid_ai), and a loss halves cwnd: ssthresh = max(cwnd / 2, 2). Linux halves cwnd
 * where RFC 5681 (4) halves the flight size.
 */
public final class Reno implements CongestionControl {
  private int cwnd = INITIAL_WINDOW;
  private int ssthresh = INFINITE_SSTHRESH;
  /** Linux snd_cwnd_cnt: segments acknowledged toward the next increase in avoidance. */
  private int count;

  @Override
  public String name() {
    return "reno";
  }

  @Override
  public int cwnd() {
    return cwnd;
  }

  @Override
  public void cwnd(int segments) {
    cwnd = Math.max(1, segments);
    count = 0;
  }

  @Override
  public int ssthresh() {
    return ssthresh;
  }

  @Override
  public void ssthresh(int segments) {
    ssthresh = segments;
  }

  @Override
  public void congestionAvoidance(int acked, long nowNanos) {
    int left = acked;
    if (inSlowStart()) left = slowStart(left);
    if (left > 0) additiveIncrease(cwnd, left);
  }

  /** Linux tcp_slow_start: cwnd grows by what was acked, up to ssthresh; returns the rest. */
  int slowStart(int acked) {
    int grown = (int) Math.min((long) cwnd + acked, ssthresh);
    int rest = acked - (grown - cwnd);
    cwnd = grown;
    return rest;
  }

  /** Linux tcp_cong_avoid_ai: one segment more per {@code w} segments acknowledged. */
  void additiveIncrease(int w, int acked) {
    if (count >= w) {
      count = 0;
      cwnd++;
    }
    count += acked;
    if (count >= w) {
      int delta = count / w;
      count -= delta * w;
      cwnd += delta;
    }
  }

  @Override
  public int ssthreshAfterLoss() {
    return Math.max(cwnd >> 1, 2);
  }

  @Override
  public int undoCwnd(int priorCwnd) {
    return Math.max(cwnd, priorCwnd);
  }
}
