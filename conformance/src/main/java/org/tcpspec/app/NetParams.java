package org.tcpspec.app;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks on command-line network parameters shared by serve, get, demo and bench. Each
 * returns the problem in words, or nothing when the value is fine.
 */
public final class NetParams {
  /** RFC 791: every host must accept 576-byte datagrams. */
  public static final int MIN_MTU = 576;
  /** Largest MTU the issue asks for; leaves headroom under TUN's and veth's 65535. */
  public static final int MAX_MTU = 65_000;

  /**
   * {@code ip netns} names are file names under /run/netns: letters, digits, '.', '_' and '-',
   * not starting with '.' or '-', at most 64 characters (shorter than NAME_MAX with room).
   */
  private static final Pattern NETNS_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");

  private NetParams() {}

  public static Optional<String> checkPort(int port) {
    return port >= 1 && port <= 65_535
        ? Optional.empty()
        : Optional.of("port must be in 1..65535, got " + port);
  }

  public static Optional<String> checkMtu(int mtu) {
    return mtu >= MIN_MTU && mtu <= MAX_MTU
        ? Optional.empty()
        : Optional.of("MTU must be in " + MIN_MTU + ".." + MAX_MTU + ", got " + mtu);
  }

  public static Optional<String> checkNetnsName(String name) {
    return NETNS_NAME.matcher(name).matches()
        ? Optional.empty()
        : Optional.of("network namespace name must be 1-64 of [A-Za-z0-9._-], not starting with"
            + " '.' or '-': '" + name + "'");
  }
}
