package org.tcpspec.stack;

import java.util.HashMap;
import java.util.Map;
import org.tcpspec.time.Clock;
import org.tcpspec.wire.IpAddress;

/**
 * The path MTU learned per destination (RFC 1191 §5, RFC 8201 §4), shared by every connection to
 * it, as Linux keeps it in a route exception (fib_nh_exception, rt6_info's PMTU) and not in the
 * socket: a second connection to the same peer starts with it, and a SYN or SYN-ACK to that peer
 * advertises an MSS derived from it (Linux 6.18's ipv4_default_advmss reads ipv4_mtu of the route).
 * An entry only lowers the MTU and expires after 10 minutes (ip_rt_mtu_expires, RFC 1191 §6.3).
 * One per stack.
 */
final class PathMtuCache {
  /** net.ipv4.route.min_pmtu: an IPv4 path MTU is never taken below it (__ip_rt_update_pmtu). */
  static final int IPV4_MIN_PMTU = 552;
  /** IPV6_MIN_MTU (RFC 8200 §5): __ip6_rt_update_pmtu raises a smaller report to it. */
  static final int IPV6_MIN_MTU = 1280;
  /** net.ipv4.route.mtu_expires: 600 s. */
  static final long EXPIRES_NANOS = 600_000_000_000L;

  /** A learned MTU until {@code expiresNanos}; {@code locked} when it was raised to the floor (rt_mtu_locked). */
  private record Entry(int mtu, long expiresNanos, boolean locked) {}

  private final Map<IpAddress, Entry> entries = new HashMap<>();

  /**
   * The path MTU to {@code remote} now: the learned one while it lasts, else the
   * device's {@code deviceMtu} (Linux ipv4_mtu, ip6_mtu).
   */
  int mtu(IpAddress remote, int deviceMtu, Clock clock) {
    // Asked on every SYN and handshake: no map lookup or clock reading until ICMP taught anything.
    if (entries.isEmpty()) return deviceMtu;
    Entry e = entries.get(remote);
    if (e == null) return deviceMtu;
    if (clock.nowNanos() - e.expiresNanos >= 0) {
      entries.remove(remote);
      return deviceMtu;
    }
    return Math.min(e.mtu, deviceMtu);
  }

  /**
   * A Packet Too Big report of {@code reported} bytes (Linux __ip_rt_update_pmtu,
   * __ip6_rt_update_pmtu): nothing when the route's MTU is locked or already no larger; else the
   * new MTU for 10 minutes. IPv4 takes a report below min_pmtu as min_pmtu (never above the current
   * MTU) and locks the route there; IPv6 takes one below 1280 as 1280.
   */
  void update(IpAddress remote, long reported, int deviceMtu, Clock clock) {
    int current = mtu(remote, deviceMtu, clock);
    Entry old = entries.get(remote);
    if (old != null && old.locked) return;
    boolean lock = false;
    long mtu = reported;
    if (remote.isIpv4()) {
      if (mtu > current) return;
      if (mtu < IPV4_MIN_PMTU) {
        lock = true;
        mtu = Math.min(current, IPV4_MIN_PMTU);
      }
    } else {
      mtu = Math.max(mtu, IPV6_MIN_MTU);
      if (mtu >= current) return;
    }
    entries.put(remote, new Entry((int) mtu, clock.nowNanos() + EXPIRES_NANOS, lock));
  }
}
