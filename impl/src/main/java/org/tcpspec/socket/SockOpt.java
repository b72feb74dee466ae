package org.tcpspec.socket;

import java.util.Optional;

/** The socket options we support, with Linux's (level, name) numbers. */
public enum SockOpt {
  SO_REUSEADDR(SockOpt.SOL_SOCKET, 2),
  SO_ERROR(SockOpt.SOL_SOCKET, 4),
  SO_SNDBUF(SockOpt.SOL_SOCKET, 7),
  SO_RCVBUF(SockOpt.SOL_SOCKET, 8),
  SO_KEEPALIVE(SockOpt.SOL_SOCKET, 9),
  SO_LINGER(SockOpt.SOL_SOCKET, 13),
  TCP_NODELAY(SockOpt.IPPROTO_TCP, 1),
  TCP_MAXSEG(SockOpt.IPPROTO_TCP, 2),
  TCP_KEEPIDLE(SockOpt.IPPROTO_TCP, 4),
  TCP_KEEPINTVL(SockOpt.IPPROTO_TCP, 5),
  TCP_KEEPCNT(SockOpt.IPPROTO_TCP, 6),
  TCP_QUICKACK(SockOpt.IPPROTO_TCP, 12);

  public static final int SOL_SOCKET = 1;
  public static final int IPPROTO_TCP = 6;

  private final int level;
  private final int name;

  SockOpt(int level, int name) {
    this.level = level;
    this.name = name;
  }

  public int level() {
    return level;
  }

  public int optName() {
    return name;
  }

  public static Optional<SockOpt> of(int level, int name) {
    for (SockOpt o : values()) if (o.level == level && o.name == name) return Optional.of(o);
    return Optional.empty();
  }
}
