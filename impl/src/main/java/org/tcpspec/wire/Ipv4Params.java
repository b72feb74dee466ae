package org.tcpspec.wire;

/**
 * The IPv4 header fields a TCP {@link Segment} does not carry but a packet does: Type of Service
 * (DS field and ECN, RFC 2474/3168), Identification, the DF flag and Time to Live (RFC 791 §3.1).
 * The parser reports them so a captured packet can be emitted again byte for byte; the stack
 * emits with {@link #DEFAULT}.
 *
 * <p>{@link #DEFAULT} is what Linux uses for TCP: TOS 0, DF set (path MTU discovery, RFC 1191;
 * Linux sets DF on TCP sockets by default, {@code ip_dont_frag()}), TTL 64 ({@code
 * net.ipv4.ip_default_ttl}). The identification is 0: with DF set the field has no use for
 * reassembly (RFC 6864 §4.1 lets such atomic datagrams carry any value), and it is what Linux
 * sends in a listener's SYN-ACK and in a RST (see the fixtures of {@code LinuxFixturesTest});
 * Linux's established sockets count IDs from a random start instead.
 */
public record Ipv4Params(int tos, int identification, boolean dontFragment, int ttl) {

  public static final Ipv4Params DEFAULT = new Ipv4Params(0, 0, true, 64);

  public Ipv4Params {
    if (tos < 0 || tos > 0xFF) throw new IllegalArgumentException("tos out of range: " + tos);
    if (identification < 0 || identification > 0xFFFF) {
      throw new IllegalArgumentException("identification out of range: " + identification);
    }
    if (ttl < 0 || ttl > 0xFF) throw new IllegalArgumentException("ttl out of range: " + ttl);
  }
}
