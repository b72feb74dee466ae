package org.tcpspec.stack;

import java.util.Optional;
import org.tcpspec.tcb.Tcb;

/**
 * Stack-wide settings under the names of the Linux sysctls they mirror, Linux's defaults unless
 * changed: what a packetdrill script sets with {@code sysctl net.ipv4.tcp_...} maps here through
 * {@link #withSysctl}.
 */
public record StackConfig(
    int synRetries, int synackRetries, int retries2, long finTimeoutNanos, boolean timestamps, boolean sack,
    boolean windowScaling, int rmemDefault, int wmemDefault) {

  /** Linux defaults: tcp_syn_retries 6, tcp_synack_retries 5, tcp_retries2 15, tcp_fin_timeout 60. */
  public static StackConfig linuxDefaults() {
    return new StackConfig(6, 5, 15, 60_000_000_000L, true, true, true, Tcb.DEFAULT_BUFFER, Tcb.DEFAULT_BUFFER);
  }

  /**
   * This config with one sysctl applied ({@code name} with or without "net.ipv4."); empty when
   * the sysctl is not one the stack models or the value does not parse. tcp_congestion_control
   * accepts only "reno" (NewReno is the one algorithm here).
   */
  public Optional<StackConfig> withSysctl(String name, String value) {
    String n = name.startsWith("net.ipv4.") ? name.substring("net.ipv4.".length()) : name;
    String v = value.strip();
    try {
      return switch (n) {
        case "tcp_syn_retries" -> Optional.of(new StackConfig(Integer.parseInt(v), synackRetries, retries2,
            finTimeoutNanos, timestamps, sack, windowScaling, rmemDefault, wmemDefault));
        case "tcp_synack_retries" -> Optional.of(new StackConfig(synRetries, Integer.parseInt(v), retries2,
            finTimeoutNanos, timestamps, sack, windowScaling, rmemDefault, wmemDefault));
        case "tcp_retries2" -> Optional.of(new StackConfig(synRetries, synackRetries, Integer.parseInt(v),
            finTimeoutNanos, timestamps, sack, windowScaling, rmemDefault, wmemDefault));
        case "tcp_fin_timeout" -> Optional.of(new StackConfig(synRetries, synackRetries, retries2,
            Long.parseLong(v) * 1_000_000_000L, timestamps, sack, windowScaling, rmemDefault, wmemDefault));
        case "tcp_timestamps" -> Optional.of(new StackConfig(synRetries, synackRetries, retries2, finTimeoutNanos,
            !v.equals("0"), sack, windowScaling, rmemDefault, wmemDefault));
        case "tcp_sack" -> Optional.of(new StackConfig(synRetries, synackRetries, retries2, finTimeoutNanos,
            timestamps, !v.equals("0"), windowScaling, rmemDefault, wmemDefault));
        case "tcp_window_scaling" -> Optional.of(new StackConfig(synRetries, synackRetries, retries2,
            finTimeoutNanos, timestamps, sack, !v.equals("0"), rmemDefault, wmemDefault));
        // "min default max": the default is the middle field.
        case "tcp_rmem" -> Optional.of(new StackConfig(synRetries, synackRetries, retries2, finTimeoutNanos,
            timestamps, sack, windowScaling, Integer.parseInt(v.replace("\"", "").strip().split("\\s+")[1]),
            wmemDefault));
        case "tcp_wmem" -> Optional.of(new StackConfig(synRetries, synackRetries, retries2, finTimeoutNanos,
            timestamps, sack, windowScaling, rmemDefault,
            Integer.parseInt(v.replace("\"", "").strip().split("\\s+")[1])));
        case "tcp_congestion_control" -> v.equals("reno") ? Optional.of(this) : Optional.empty();
        // Exponential SYN backoff from the first retransmission is the only behaviour modelled.
        case "tcp_syn_linear_timeouts" -> v.equals("0") ? Optional.of(this) : Optional.empty();
        default -> Optional.empty();
      };
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
