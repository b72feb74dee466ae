package org.tcpspec.conformance.run;

import java.util.List;

/**
 * A socket call with live values (live fds, Linux constants), the system call vocabulary the
 * interpreter's handlers speak to a {@link SystemUnderTest}. Sealed so that every system under
 * test handles every call kind in one exhaustive switch.
 */
public sealed interface SocketCall {
  record Socket(int domain, int type, int protocol) implements SocketCall {}

  record Bind(int fd, int addr, int port) implements SocketCall {}

  record Listen(int fd, int backlog) implements SocketCall {}

  record Accept(int fd) implements SocketCall {}

  record Connect(int fd, int addr, int port) implements SocketCall {}

  /**
   * write(2), or send(2) when {@code flags} is not 0; with {@code nullBuffer} the buffer pointer
   * is NULL ({@code data} is then only its length).
   */
  record Write(int fd, byte[] data, int flags, boolean nullBuffer) implements SocketCall {
    public Write(int fd, byte[] data, int flags) {
      this(fd, data, flags, false);
    }

    static Write nullBuffer(int fd, int count, int flags) {
      return new Write(fd, new byte[Math.max(0, count)], flags, true);
    }
  }

  /** read(2), or recv(2) when {@code flags} is not 0; with {@code nullBuffer} into NULL. */
  record Read(int fd, int count, int flags, boolean nullBuffer) implements SocketCall {
    public Read(int fd, int count, int flags) {
      this(fd, count, flags, false);
    }

    static Read nullBuffer(int fd, int count, int flags) {
      return new Read(fd, count, flags, true);
    }
  }

  record Close(int fd) implements SocketCall {}

  record Shutdown(int fd, int how) implements SocketCall {}

  record SetSockOpt(int fd, int level, int name, OptValue value) implements SocketCall {}

  /** getsockopt of an int-valued option; the value comes back as the result's out. */
  record GetSockOpt(int fd, int level, int name) implements SocketCall {}

  record Fcntl(int fd, int cmd, long arg) implements SocketCall {}

  /** poll(2); revents come back as the result's out, in the order of {@code fds}. */
  record Poll(List<PollFd> fds, int timeoutMillis) implements SocketCall {
    public Poll {
      fds = List.copyOf(fds);
    }
  }

  record PollFd(int fd, int events) {}

  /** A socket option value. */
  sealed interface OptValue {
    record IntValue(int value) implements OptValue {}

    record Linger(int onoff, int seconds) implements OptValue {}

    record Text(String value) implements OptValue {}
  }
}
