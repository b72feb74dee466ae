package org.tcpspec.stack;

import java.util.EnumMap;
import java.util.Map;

/**
 * The stack-wide counters Linux keeps in its MIB (include/uapi/linux/snmp.h, shown by
 * /proc/net/netstat and nstat) that this stack counts at the same places, under the names nstat
 * prints. Only counters whose every increment has its Linux function here are listed: a counter
 * that is shown must mean what it means on Linux, so a script that reads one with nstat compares
 * like with like. Linux keeps them per network namespace; a stack is one namespace.
 */
public final class LinuxMib {

  /** One counter, in the order of /proc/net/netstat's TcpExt line (net/ipv4/proc.c, snmp4_net_list). */
  public enum Counter {
    /** An ICMP error quoting a sequence number outside [SND.UNA, SND.NXT] (tcp_v4_err, tcp_v6_err, tcp_req_err). */
    OUT_OF_WINDOW_ICMPS("TcpExtOutOfWindowIcmps"),
    /**
     * A segment dropped because it reaches past the window offered (tcp_validate_incoming after
     * tcp_sequence's SKB_DROP_REASON_TCP_INVALID_SEQUENCE or _INVALID_END_SEQUENCE).
     */
    BEYOND_WINDOW("TcpExtBeyondWindow"),
    /** The stack entered memory pressure (tcp_enter_memory_pressure). */
    TCP_MEMORY_PRESSURES("TcpExtTCPMemoryPressures"),
    /** Out-of-order text dropped because its memory could not be charged (tcp_data_queue_ofo). */
    TCP_OFO_DROP("TcpExtTCPOFODrop"),
    /** Text at RCV.NXT, or overlapping it, dropped because the window is zero (tcp_data_queue). */
    TCP_ZERO_WINDOW_DROP("TcpExtTCPZeroWindowDrop"),
    /** In-order text dropped because its memory could not be charged, the queue not empty (tcp_data_queue). */
    TCP_RCVQ_DROP("TcpExtTCPRcvQDrop");

    private final String nstatName;

    Counter(String nstatName) {
      this.nstatName = nstatName;
    }

    /** The name nstat prints: the /proc/net/netstat line's prefix and the field's name. */
    public String nstatName() {
      return nstatName;
    }
  }

  private final long[] values = new long[Counter.values().length];

  void increment(Counter counter) {
    values[counter.ordinal()]++;
  }

  public long get(Counter counter) {
    return values[counter.ordinal()];
  }

  /** Every counter with its value, zeros too, in {@link Counter}'s order. */
  public Map<Counter, Long> snapshot() {
    Map<Counter, Long> all = new EnumMap<>(Counter.class);
    for (Counter c : Counter.values()) all.put(c, values[c.ordinal()]);
    return all;
  }
}
