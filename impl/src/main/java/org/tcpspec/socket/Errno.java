package org.tcpspec.socket;

/** The Linux (x86-64 and arm64) errno values the socket API returns. */
public enum Errno {
  NONE(0),
  EBADF(9),
  EAGAIN(11),
  EINVAL(22),
  EPIPE(32),
  EDOM(33),
  ENOTSOCK(88),
  ENOPROTOOPT(92),
  EOPNOTSUPP(95),
  EADDRINUSE(98),
  EADDRNOTAVAIL(99),
  ECONNABORTED(103),
  ECONNRESET(104),
  EISCONN(106),
  ENOTCONN(107),
  ETIMEDOUT(110),
  ECONNREFUSED(111),
  EALREADY(114),
  EINPROGRESS(115);

  private final int value;

  Errno(int value) {
    this.value = value;
  }

  /** The number C code sees in errno. */
  public int value() {
    return value;
  }
}
