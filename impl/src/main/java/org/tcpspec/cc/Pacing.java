package org.tcpspec.cc;

/**
 * Linux's pacing-rate inputs that both congestion control (HyStart's allowance for ACK
 * aggregation, {@link Cubic}) and the sender (TSO autosizing, stack's CwndControl) read, in one
 * place. The rate is tcp_update_pacing_rate's: mss * cwnd / SRTT, times one of the ratios.
 */
public final class Pacing {
  /**
   * Linux sk_gso_max_size as a device without a larger limit gives it: GSO_LEGACY_MAX_SIZE
   * (include/linux/netdevice.h), the most bytes one GSO/TSO burst carries.
   */
  public static final long GSO_MAX_SIZE = 65_536;
  /** Linux tcp_pacing_ss_ratio (tcp_sk_init): 200 %, the pacing rate while cwnd is below half of ssthresh. */
  public static final int PACING_SS_RATIO = 200;
  /** Linux tcp_pacing_ca_ratio (tcp_sk_init): 120 %, the pacing rate after. */
  public static final int PACING_CA_RATIO = 120;

  private Pacing() {}
}
