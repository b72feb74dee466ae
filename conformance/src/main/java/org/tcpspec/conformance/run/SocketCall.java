package org.tcpspec.conformance.run;

import java.util.List;
import java.util.Optional;
import org.tcpspec.wire.IpAddress;

/**
 * A system call with live values (live fds, Linux constants), the system call vocabulary the
 * interpreter's handlers speak to a {@link SystemUnderTest}. Sealed so that every system under
 * test handles every call kind in one exhaustive switch. Buffers the script leaves as {@code ...}
 * are zero bytes of the given length, as packetdrill allocates them.
 */
public sealed interface SocketCall {
  record Socket(int domain, int type, int protocol) implements SocketCall {}

  /** bind(2) to {@code addr}: packetdrill's live bind address (config.c's live_bind_ip). */
  record Bind(int fd, SockAddr addr) implements SocketCall {}

  record Listen(int fd, int backlog) implements SocketCall {}

  record Accept(int fd) implements SocketCall {}

  /** connect(2) to {@code addr}: packetdrill's live connect address (live_connect_ip). */
  record Connect(int fd, SockAddr addr) implements SocketCall {}

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

  /**
   * connect(2) to a zeroed sockaddr_storage holding only {@code family}: with AF_UNSPEC, the
   * disconnect of connect(2)'s manual page (tcp_disconnect).
   */
  record ConnectBare(int fd, int family) implements SocketCall {}

  /**
   * sendto(2) with the address packetdrill passes: the script's remote end, or a bare address
   * family ({@code AF_UNSPEC}) the script gave in its place. MSG_FASTOPEN connects with it.
   */
  record SendTo(int fd, byte[] data, int flags, SockAddr to, boolean nullBuffer) implements SocketCall {
    public SendTo(int fd, byte[] data, int flags, SockAddr to) {
      this(fd, data, flags, to, false);
    }

    static SendTo nullBuffer(int fd, int count, int flags, SockAddr to) {
      return new SendTo(fd, new byte[Math.max(0, count)], flags, to, true);
    }
  }

  /**
   * sendmsg(2): one zero-filled iovec of each length, the remote end as msg_name when the script
   * writes {@code msg_name(...)=...}, and the control messages encoded as C lays them out.
   */
  record SendMsg(int fd, List<Integer> iovLengths, Optional<SockAddr> name, byte[] control, int flags)
      implements SocketCall {
    public SendMsg {
      iovLengths = List.copyOf(iovLengths);
      control = control.clone();
    }

    @Override
    public byte[] control() {
      return control.clone();
    }
  }

  /** writev(2) of zero-filled iovecs. */
  record Writev(int fd, List<Integer> iovLengths) implements SocketCall {
    public Writev {
      iovLengths = List.copyOf(iovLengths);
    }
  }

  /** readv(2) into iovecs of these lengths. */
  record Readv(int fd, List<Integer> iovLengths) implements SocketCall {
    public Readv {
      iovLengths = List.copyOf(iovLengths);
    }
  }

  /**
   * recvmsg(2) into iovecs of these lengths, with msg_flags preset to {@code msgFlags} and a
   * control buffer that holds {@code control} before the call (msg_controllen is its length):
   * packetdrill fills it with the control messages it expects. The msghdr comes back as {@link
   * CallOutput.Message}.
   */
  record RecvMsg(int fd, List<Integer> iovLengths, byte[] control, int msgFlags, int flags)
      implements SocketCall {
    public RecvMsg {
      iovLengths = List.copyOf(iovLengths);
      control = control.clone();
    }

    @Override
    public byte[] control() {
      return control.clone();
    }
  }

  record Close(int fd) implements SocketCall {}

  record Shutdown(int fd, int how) implements SocketCall {}

  /** setsockopt(2): the value's bytes and the script's optlen, which may differ on purpose. */
  record SetSockOpt(int fd, int level, int name, OptValue value, int optlen) implements SocketCall {}

  /** getsockopt(2) with a buffer of {@code optlen} bytes; the value comes back as {@link CallOutput.Bytes}. */
  record GetSockOpt(int fd, int level, int name, int optlen) implements SocketCall {}

  record Fcntl(int fd, int cmd, long arg) implements SocketCall {}

  /**
   * ioctl(2) with a pointer to an int (its value comes back as {@link CallOutput.Ints}), or with
   * no third argument.
   */
  record Ioctl(int fd, long request, boolean intArgument) implements SocketCall {}

  /** poll(2); revents come back as {@link CallOutput.Ints}, in the order of {@code fds}. */
  record Poll(List<PollFd> fds, int timeoutMillis) implements SocketCall {
    public Poll {
      fds = List.copyOf(fds);
    }
  }

  record PollFd(int fd, int events) {}

  record EpollCreate(int size) implements SocketCall {}

  /** epoll_ctl(2) with a struct epoll_event of these events and data. */
  record EpollCtl(int epfd, int op, int fd, int events, long data) implements SocketCall {}

  /** epoll_wait(2); the first event comes back as {@link CallOutput.EpollEvent}. */
  record EpollWait(int epfd, int maxEvents, int timeoutMillis) implements SocketCall {}

  /** open(2) of a file of the machine the system under test runs on. */
  record Open(String path, int flags) implements SocketCall {}

  /** pipe(2); the two new fds come back as {@link CallOutput.Ints}. */
  record Pipe() implements SocketCall {}

  /** sendfile(2) from {@code inFd} at {@code offset}. */
  record SendFile(int outFd, int inFd, long offset, int count) implements SocketCall {}

  /** splice(2); the offsets are passed as the pointers packetdrill passes (0 is NULL). */
  record Splice(int inFd, long inOffset, int outFd, long outOffset, int length, int flags)
      implements SocketCall {}

  /**
   * A socket address as packetdrill passes it (ip_to_sockaddr): a sockaddr_in when {@code family}
   * is AF_INET, a sockaddr_in6 when AF_INET6 (an IPv4 {@code addr} then in its IPv4-mapped form, as
   * under ipv4-mapped-ipv6), or only a bare family ({@link #bare}: AF_UNSPEC and the like).
   */
  record SockAddr(int family, IpAddress addr, int port) {
    /** A zeroed sockaddr_storage holding only {@code family}. */
    public static SockAddr bare(int family) {
      return new SockAddr(family, IpAddress.IPV6_UNSPECIFIED, 0);
    }
  }

  /** A socket option value. */
  sealed interface OptValue {
    record IntValue(int value) implements OptValue {}

    record Linger(int onoff, int seconds) implements OptValue {}

    /** struct timeval (SO_RCVTIMEO, SO_SNDTIMEO). */
    record Timeval(long seconds, long micros) implements OptValue {}

    /** A string value ("reno", a TCP_FASTOPEN_KEY), its bytes after packetdrill's unescaping. */
    record Text(byte[] bytes) implements OptValue {
      public Text {
        bytes = bytes.clone();
      }

      @Override
      public byte[] bytes() {
        return bytes.clone();
      }
    }
  }
}
