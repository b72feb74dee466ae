package org.tcpspec.conformance.run;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The symbols scripts use for system call arguments (x86-64 Linux values) and errno names. A
 * script's {@code SOCK_STREAM} or {@code ECONNREFUSED} means what it means to C on this kernel.
 */
public final class LinuxConstants {
  private LinuxConstants() {}

  private static final Map<String, Long> SYMBOLS = new TreeMap<>();
  private static final Map<String, Integer> ERRNO = new TreeMap<>();
  private static final Map<Integer, String> ERRNO_NAME = new TreeMap<>();

  private static void sym(String name, long value) {
    SYMBOLS.put(name, value);
  }

  private static void errno(String name, int value) {
    ERRNO.put(name, value);
    ERRNO_NAME.putIfAbsent(value, name);
  }

  static {
    sym("AF_INET", 2);
    sym("AF_INET6", 10);
    sym("PF_INET", 2);
    sym("SOCK_STREAM", 1);
    sym("SOCK_DGRAM", 2);
    sym("SOCK_NONBLOCK", 04000);
    sym("SOCK_CLOEXEC", 02000000);
    sym("IPPROTO_IP", 0);
    sym("IPPROTO_TCP", 6);
    sym("IPPROTO_UDP", 17);
    sym("SOL_SOCKET", 1);
    sym("SOL_TCP", 6);
    sym("SOL_IP", 0);
    sym("SO_DEBUG", 1);
    sym("SO_REUSEADDR", 2);
    sym("SO_ERROR", 4);
    sym("SO_DONTROUTE", 5);
    sym("SO_SNDBUF", 7);
    sym("SO_RCVBUF", 8);
    sym("SO_KEEPALIVE", 9);
    sym("SO_OOBINLINE", 10);
    sym("SO_LINGER", 13);
    sym("SO_REUSEPORT", 15);
    sym("SO_RCVLOWAT", 18);
    sym("SO_SNDLOWAT", 19);
    sym("SO_ACCEPTCONN", 30);
    sym("TCP_NODELAY", 1);
    sym("TCP_MAXSEG", 2);
    sym("TCP_CORK", 3);
    sym("TCP_KEEPIDLE", 4);
    sym("TCP_KEEPINTVL", 5);
    sym("TCP_KEEPCNT", 6);
    sym("TCP_SYNCNT", 7);
    sym("TCP_LINGER2", 8);
    sym("TCP_DEFER_ACCEPT", 9);
    sym("TCP_WINDOW_CLAMP", 10);
    sym("TCP_INFO", 11);
    sym("TCP_QUICKACK", 12);
    sym("TCP_CONGESTION", 13);
    sym("TCP_USER_TIMEOUT", 18);
    sym("O_RDONLY", 0);
    sym("O_WRONLY", 1);
    sym("O_RDWR", 2);
    sym("O_NONBLOCK", 04000);
    sym("F_GETFD", 1);
    sym("F_SETFD", 2);
    sym("F_GETFL", 3);
    sym("F_SETFL", 4);
    sym("POLLIN", 0x1);
    sym("POLLPRI", 0x2);
    sym("POLLOUT", 0x4);
    sym("POLLERR", 0x8);
    sym("POLLHUP", 0x10);
    sym("POLLNVAL", 0x20);
    sym("POLLRDNORM", 0x40);
    sym("POLLRDBAND", 0x80);
    sym("POLLWRNORM", 0x100);
    sym("POLLWRBAND", 0x200);
    sym("POLLRDHUP", 0x2000);
    sym("SHUT_RD", 0);
    sym("SHUT_WR", 1);
    sym("SHUT_RDWR", 2);
    sym("MSG_OOB", 0x1);
    sym("MSG_PEEK", 0x2);
    sym("MSG_DONTWAIT", 0x40);
    sym("MSG_WAITALL", 0x100);
    sym("MSG_NOSIGNAL", 0x4000);
    sym("MSG_MORE", 0x8000);
    sym("MSG_FASTOPEN", 0x20000000);
    sym("INADDR_ANY", 0);
    sym("TCP_CA_Open", 0);
    sym("TCP_CA_Disorder", 1);
    sym("TCP_CA_CWR", 2);
    sym("TCP_CA_Recovery", 3);
    sym("TCP_CA_Loss", 4);
    sym("TCP_ESTABLISHED", 1);
    sym("TCP_SYN_SENT", 2);
    sym("TCP_SYN_RECV", 3);
    sym("TCP_FIN_WAIT1", 4);
    sym("TCP_FIN_WAIT2", 5);
    sym("TCP_TIME_WAIT", 6);
    sym("TCP_CLOSE", 7);
    sym("TCP_CLOSE_WAIT", 8);
    sym("TCP_LAST_ACK", 9);
    sym("TCP_LISTEN", 10);
    sym("TCP_CLOSING", 11);

    errno("EPERM", 1);
    errno("ENOENT", 2);
    errno("EINTR", 4);
    errno("EIO", 5);
    errno("EBADF", 9);
    errno("EAGAIN", 11);
    errno("EWOULDBLOCK", 11);
    errno("ENOMEM", 12);
    errno("EACCES", 13);
    errno("EFAULT", 14);
    errno("EINVAL", 22);
    errno("EPIPE", 32);
    errno("ENOTSOCK", 88);
    errno("EDESTADDRREQ", 89);
    errno("EMSGSIZE", 90);
    errno("ENOPROTOOPT", 92);
    errno("EPROTONOSUPPORT", 93);
    errno("EOPNOTSUPP", 95);
    errno("EAFNOSUPPORT", 97);
    errno("EADDRINUSE", 98);
    errno("EADDRNOTAVAIL", 99);
    errno("ENETDOWN", 100);
    errno("ENETUNREACH", 101);
    errno("ECONNABORTED", 103);
    errno("ECONNRESET", 104);
    errno("ENOBUFS", 105);
    errno("EISCONN", 106);
    errno("ENOTCONN", 107);
    errno("ETIMEDOUT", 110);
    errno("ECONNREFUSED", 111);
    errno("EHOSTUNREACH", 113);
    errno("EALREADY", 114);
    errno("EINPROGRESS", 115);
  }

  public static Optional<Long> symbol(String name) {
    return Optional.ofNullable(SYMBOLS.get(name));
  }

  public static Optional<Integer> errno(String name) {
    return Optional.ofNullable(ERRNO.get(name));
  }

  /** "ECONNREFUSED" for 111, or the number when the name is unknown. */
  public static String errnoName(int errno) {
    return ERRNO_NAME.getOrDefault(errno, String.valueOf(errno));
  }
}
