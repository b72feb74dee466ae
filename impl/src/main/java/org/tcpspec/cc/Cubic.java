package org.tcpspec.cc;

import static org.tcpspec.cc.Pacing.GSO_MAX_SIZE;
import static org.tcpspec.cc.Pacing.PACING_SS_RATIO;
import static org.tcpspec.wire.SeqNum.gt;

/**
 * CUBIC (RFC 9438) with HyStart, as Linux's tcp_cubic runs it (the algorithm Linux uses by
 * default), in segments and Linux's fixed-point arithmetic: after a loss cwnd follows
 * W(t) = C (t - K)^3 + W_max with C = 0.4 and beta = 717/1024 (about 0.7), fast convergence
 * (a W_max not reached again is lowered), and the Reno-friendly region (RFC 9438 §4.3); slow
 * start ends early when HyStart sees an ACK train spanning half the minimum delay or the delay
 * of a round growing by an eighth (clamped to 4..16 ms). Jiffies are milliseconds (HZ 1000).
 */
public final class Cubic implements CongestionControl {
  private static final int BETA_SCALE = 1024;
  /** Linux beta: 717/1024. */
  private static final int BETA = 717;
  /** Linux bic_scale: C = 41 * 10 / 1024 = 0.4. */
  private static final int BIC_SCALE = 41;
  /** Linux BICTCP_HZ: time in units of 2^-10 s. */
  private static final int BICTCP_HZ = 10;
  private static final long HZ = 1000;
  private static final int BETA_FRIENDLY_SCALE = 8 * (BETA_SCALE + BETA) / 3 / (BETA_SCALE - BETA);
  private static final long CUBE_RTT_SCALE = BIC_SCALE * 10L;
  private static final long CUBE_FACTOR = (1L << (10 + 3 * BICTCP_HZ)) / CUBE_RTT_SCALE;
  private static final int HYSTART_LOW_WINDOW = 16;
  private static final long HYSTART_ACK_DELTA_US = 2000;
  private static final int HYSTART_MIN_SAMPLES = 8;
  private static final long HYSTART_DELAY_MIN_US = 4000;
  private static final long HYSTART_DELAY_MAX_US = 16000;

  private final SenderState sender;
  private int cwnd = INITIAL_WINDOW;
  private int ssthresh = INFINITE_SSTHRESH;
  private int cwndCount;
  // struct bictcp
  private int cnt;
  private int lastMaxCwnd;
  private int lastCwnd;
  private long lastTime;
  private int originPoint;
  private long k;
  private long delayMinUs;
  private long epochStart;
  private int ackCount;
  private int tcpCwnd;
  private boolean found;
  private long roundStartUs;
  private int endSeq;
  private long lastAckUs;
  private long currRttUs;
  private int sampleCount;

  public Cubic(SenderState sender) {
    this.sender = sender;
    hystartReset();
  }

  @Override
  public String name() {
    return "cubic";
  }

  @Override
  public int cwnd() {
    return cwnd;
  }

  @Override
  public void cwnd(int segments) {
    cwnd = Math.max(1, segments);
    cwndCount = 0;
  }

  @Override
  public int ssthresh() {
    return ssthresh;
  }

  @Override
  public void ssthresh(int segments) {
    ssthresh = segments;
  }

  private long jiffies() {
    return sender.nowNanos() / 1_000_000L;
  }

  private long nowUs() {
    return sender.nowNanos() / 1000;
  }

  /** Linux bictcp_reset. */
  private void reset() {
    cnt = 0;
    lastMaxCwnd = 0;
    lastCwnd = 0;
    lastTime = 0;
    originPoint = 0;
    k = 0;
    delayMinUs = 0;
    epochStart = 0;
    ackCount = 0;
    tcpCwnd = 0;
    found = false;
  }

  /** Linux bictcp_hystart_reset: a new round of HyStart starts now, ending at SND.NXT. */
  private void hystartReset() {
    roundStartUs = nowUs();
    lastAckUs = roundStartUs;
    endSeq = sender.sndNxt();
    currRttUs = Long.MAX_VALUE;
    sampleCount = 0;
  }

  /** Linux cubictcp_cwnd_event(CA_EVENT_TX_START): idle time does not count on the cubic curve. */
  @Override
  public void onTransmitStart(long nowNanos) {
    long now = nowNanos / 1_000_000L;
    long delta = now - sender.lastSendNanos() / 1_000_000L;
    if (epochStart != 0 && delta > 0) {
      epochStart += delta;
      if (epochStart > now) epochStart = now;
    }
  }

  /** Linux cubictcp_cong_avoid. */
  @Override
  public void congestionAvoidance(int acked, long nowNanos) {
    int left = acked;
    if (inSlowStart()) {
      int grown = (int) Math.min((long) cwnd + left, ssthresh);
      left -= grown - cwnd;
      cwnd = grown;
      if (left <= 0) return;
    }
    update(left);
    additiveIncrease(cnt, left);
  }

  /** Linux tcp_cong_avoid_ai: one segment more per {@code w} segments acknowledged. */
  private void additiveIncrease(int w, int acked) {
    if (cwndCount >= w) {
      cwndCount = 0;
      cwnd++;
    }
    cwndCount += acked;
    if (cwndCount >= w) {
      int delta = cwndCount / w;
      cwndCount -= delta * w;
      cwnd += delta;
    }
  }

  /** Linux bictcp_update: how many segments must be acknowledged per increase of cwnd ({@code cnt}). */
  private void update(int acked) {
    long now = jiffies();
    ackCount += acked;
    if (lastCwnd == cwnd && now - lastTime <= HZ / 32) return;
    if (epochStart == 0 || now != lastTime) {
      lastCwnd = cwnd;
      lastTime = now;
      if (epochStart == 0) {
        epochStart = now;
        ackCount = acked;
        tcpCwnd = cwnd;
        if (lastMaxCwnd <= cwnd) {
          k = 0;
          originPoint = cwnd;
        } else {
          k = cubicRoot(CUBE_FACTOR * (lastMaxCwnd - cwnd));
          originPoint = lastMaxCwnd;
        }
      }
      // W(t) = C (t - K)^3 + W_max, t in 2^-10 s and counted from the epoch plus one min RTT.
      long t = now - epochStart + (delayMinUs + 999) / 1000;
      t = (t << BICTCP_HZ) / HZ;
      long offs = t < k ? k - t : t - k;
      long delta = (CUBE_RTT_SCALE * offs * offs * offs) >>> (10 + 3 * BICTCP_HZ);
      long target = t < k ? originPoint - delta : originPoint + delta;
      cnt = target > cwnd ? (int) (cwnd / (target - cwnd)) : 100 * cwnd;
      // The first growth, with no W_max known yet, is at least 5 % per RTT.
      if (lastMaxCwnd == 0 && cnt > 20) cnt = 20;
    }
    // RFC 9438 §4.3, Linux tcp_friendliness: no slower than Reno would be.
    int d = (cwnd * BETA_FRIENDLY_SCALE) >> 3;
    while (d > 0 && ackCount > d) {
      ackCount -= d;
      tcpCwnd++;
    }
    if (tcpCwnd > cwnd) {
      int maxCnt = cwnd / (tcpCwnd - cwnd);
      if (cnt > maxCnt) cnt = maxCnt;
    }
    // At most one segment per two acknowledged: cwnd grows at most 1.5 times per RTT.
    cnt = Math.max(cnt, 2);
  }

  /** Linux cubic_root: a table lookup for the top bits, then one Newton-Raphson step. */
  static long cubicRoot(long a) {
    int b = 64 - Long.numberOfLeadingZeros(a);
    if (b < 7) return (ROOTS[(int) a] + 35) >> 6;
    b = ((b * 84) >> 8) - 1;
    int shift = (int) (a >>> (b * 3));
    long x = ((ROOTS[shift] + 10L) << b) >> 6;
    x = 2 * x + Long.divideUnsigned(a, x * (x - 1));
    return (x * 341) >> 10;
  }

  /** cbrt(x << 18) - 1 for x in 0..63, Linux's table. */
  private static final int[] ROOTS = {
    0, 54, 54, 54, 118, 118, 118, 118, 123, 129, 134, 138, 143, 147, 151, 156,
    157, 161, 164, 168, 170, 173, 176, 179, 181, 185, 187, 190, 192, 194, 197, 199,
    200, 202, 204, 206, 209, 211, 213, 215, 217, 219, 221, 222, 224, 225, 227, 229,
    231, 232, 234, 236, 237, 239, 240, 242, 244, 245, 246, 248, 250, 251, 252, 254
  };

  /** Linux cubictcp_recalc_ssthresh: a new epoch, W_max (lowered by fast convergence), cwnd * beta. */
  @Override
  public int ssthreshAfterLoss() {
    epochStart = 0;
    if (cwnd < lastMaxCwnd) lastMaxCwnd = cwnd * (BETA_SCALE + BETA) / (2 * BETA_SCALE);
    else lastMaxCwnd = cwnd;
    return Math.max(cwnd * BETA / BETA_SCALE, 2);
  }

  @Override
  public int undoCwnd(int priorCwnd) {
    return Math.max(cwnd, priorCwnd);
  }

  /** Linux cubictcp_state(TCP_CA_Loss): everything starts over. */
  @Override
  public void onLossState() {
    reset();
    hystartReset();
  }

  /** Linux cubictcp_acked: the minimum delay, and HyStart while in slow start. */
  @Override
  public void onAcked(int acked, long rttNanos, long nowNanos) {
    if (rttNanos < 0) return;
    // Delay samples right after a reduction are discarded.
    if (epochStart != 0 && jiffies() - epochStart < HZ) return;
    long delay = Math.max(1, rttNanos / 1000);
    if (delayMinUs == 0 || delayMinUs > delay) delayMinUs = delay;
    if (!found && inSlowStart()) hystartUpdate(delay);
  }

  /** Linux hystart_update. */
  private void hystartUpdate(long delay) {
    if (gt(sender.sndUna(), endSeq)) hystartReset();
    if (cwnd < HYSTART_LOW_WINDOW) return;
    long now = nowUs();
    // ACK train: ACKs spaced closely, spanning more than half the minimum delay.
    if (now - lastAckUs <= HYSTART_ACK_DELTA_US) {
      lastAckUs = now;
      long threshold = (delayMinUs + ackDelayAllowanceUs()) >> 1;
      if (now - roundStartUs > threshold) {
        found = true;
        ssthresh = cwnd;
      }
    }
    // Delay increase: the round's minimum RTT over the minimum by an eighth (4..16 ms).
    if (currRttUs > delay) currRttUs = delay;
    if (sampleCount < HYSTART_MIN_SAMPLES) {
      sampleCount++;
    } else if (currRttUs > delayMinUs + Math.clamp(delayMinUs >> 3, HYSTART_DELAY_MIN_US, HYSTART_DELAY_MAX_US)) {
      found = true;
      ssthresh = cwnd;
    }
  }

  /**
   * Linux hystart_ack_delay: an allowance for TSO/GRO aggregation, the time four GSO-sized bursts
   * take at the pacing rate (at most 1 ms); the rate is Linux's, twice cwnd per SRTT in slow start.
   */
  private long ackDelayAllowanceUs() {
    long srtt = sender.srttNanos();
    if (srtt <= 0) return 0;
    long rate = (long) sender.mss() * cwnd * PACING_SS_RATIO / 100 * 1_000_000_000L / srtt;
    if (rate <= 0) return 0;
    return Math.min(1000, GSO_MAX_SIZE * 4 * 1_000_000L / rate);
  }
}
