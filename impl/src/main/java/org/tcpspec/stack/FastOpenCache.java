package org.tcpspec.stack;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.tcpspec.wire.FastOpenOption.Cookie;
import org.tcpspec.wire.IpAddress;

/**
 * A client's Fast Open cookies, one per server address (RFC 7413 §4.1.3), with what Linux keeps
 * beside each in tcp_metrics (struct tcp_fastopen_metrics): the server's MSS, whether to ask in
 * the experimental option, and SYN losses.
 */
final class FastOpenCache {
  /** One server's entry; {@code cookie} empty when none was learned (it knows its own option kind). */
  record Entry(int mss, Optional<Cookie> cookie, int tryExp, int synLosses) {}

  private final Map<IpAddress, Entry> entries = new HashMap<>();

  /**
   * tcp_fastopen_cache_get: the server's entry; with no cookie learned and a first failed request
   * (try_exp 1), the next request goes in the experimental option.
   */
  Optional<Entry> get(IpAddress server) {
    return Optional.ofNullable(entries.get(server));
  }

  /**
   * Whether a cookie request should use the experimental option: once after a request in kind 34
   * went unanswered (try_exp 1), then kind 34 again for good (try_exp 2).
   */
  boolean requestExperimental(IpAddress server) {
    Entry e = entries.get(server);
    return e != null && e.cookie().isEmpty() && e.tryExp() == 1;
  }

  void clear() {
    entries.clear();
  }

  /**
   * tcp_fastopen_cache_set: the SYN-ACK's MSS when it had one, its cookie when it had one, the
   * request's try_exp when it is a further step, and the SYN loss count.
   */
  void set(IpAddress server, int mss, Optional<Cookie> cookie, boolean synLost, int tryExp) {
    Entry old = entries.getOrDefault(server, new Entry(0, Optional.empty(), 0, 0));
    Optional<Cookie> kept = cookie.filter(c -> !c.request()).or(old::cookie);
    // try_exp only grows, and only while no cookie is known: kind 34, then 254 once, then 34 for good.
    int exp = tryExp > old.tryExp() && kept.isEmpty() ? tryExp : old.tryExp();
    entries.put(server, new Entry(mss != 0 ? mss : old.mss(), kept, exp, synLost ? old.synLosses() + 1 : 0));
  }
}
