package org.tcpspec.runtime;

import java.io.IOException;
import java.net.InetAddress;
import org.tcpspec.wire.IpAddress;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.socket.SocketApi;

/**
 * Blocking socket calls over an {@link EventLoop}, for application code on virtual threads: each
 * call retries the non-blocking {@link SocketApi} call whenever the stack made progress, until it
 * no longer returns EAGAIN (the sockets made here are blocking, so EAGAIN only means "would
 * block"). Errors come back as {@link SocketError} naming the errno, as a kernel
 * socket's would.
 */
public final class BlockingSockets {
  private final EventLoop loop;

  public BlockingSockets(EventLoop loop) {
    this.loop = loop;
  }

  /** A failed call: which one and Linux's errno. */
  public static final class SocketError extends IOException {
    private final Errno errno;

    SocketError(String call, Errno errno) {
      super(call + ": " + errno);
      this.errno = errno;
    }

    public Errno errno() {
      return errno;
    }
  }

  /** socket + SO_REUSEADDR + bind(0.0.0.0:port) + listen; returns the listening fd. */
  public int listen(int port, int backlog) throws IOException {
    int fd = loop.call(SocketApi::socket);
    check("setsockopt", loop.call(api -> api.setsockopt(fd, Symbol.SO_REUSEADDR, 1)), fd);
    check("bind", loop.call(api -> api.bind(fd, 0, port)), fd);
    check("listen", loop.call(api -> api.listen(fd, backlog)), fd);
    return fd;
  }

  /** Blocks until a connection is established on {@code listenFd}; returns its fd. */
  public int accept(int listenFd) throws IOException, InterruptedException {
    return (int) check("accept", loop.await(api -> api.accept(listenFd), BlockingSockets::wouldBlock), -1).value();
  }

  /** Active open to an IPv4 address; blocks until established or failed. Returns the connected fd. */
  public int connect(int addr, int port) throws IOException, InterruptedException {
    return connect(IpAddress.ipv4(addr), port);
  }

  /** Active open to a JDK address of either family (apps speak java.net, not the wire's types). */
  public int connect(InetAddress addr, int port) throws IOException, InterruptedException {
    return connect(IpAddress.of(addr.getAddress()), port);
  }

  /** Active open to an address of either family; blocks until established or failed. Returns the connected fd. */
  public int connect(IpAddress addr, int port) throws IOException, InterruptedException {
    int fd = loop.call(SocketApi::socket);
    check("setsockopt", loop.call(api -> api.setsockopt(fd, Symbol.TCP_NODELAY, 1)), fd);
    check("connect", loop.await(api -> api.connect(fd, addr, port), BlockingSockets::wouldBlock), fd);
    return fd;
  }

  /**
   * Reads at least one byte, up to {@code len}; returns -1 at end of stream (the peer's FIN).
   * Under SO_RCVTIMEO a read that waited that long fails with EAGAIN, as Linux's.
   */
  public int read(int fd, byte[] dst, int off, int len) throws IOException, InterruptedException {
    if (len == 0) return 0;
    SysResult<Void> r = loop.await(fd, Symbol.POLLIN.value(), api -> api.read(fd, dst, off, len),
        BlockingSockets::wouldBlock, api -> api.receiveTimeoutNanos(fd));
    check("read", r, -1);
    return r.value() == 0 ? -1 : (int) r.value();
  }

  /** Writes all of {@code src[off, off+len)}, blocking while the send buffer is full. */
  public void write(int fd, byte[] src, int off, int len) throws IOException, InterruptedException {
    int done = 0;
    while (done < len) {
      int from = off + done;
      int n = len - done;
      SysResult<Void> r = loop.await(fd, Symbol.POLLOUT.value(), api -> api.send(fd, src, from, n, 0),
          BlockingSockets::wouldBlock, 0);
      check("write", r, -1);
      done += (int) r.value();
    }
  }

  /** shutdown(SHUT_WR): FIN after the queued data. */
  public void shutdownOutput(int fd) throws IOException {
    check("shutdown", loop.call(api -> api.shutdown(fd, Symbol.SHUT_WR.value())), -1);
  }

  /** close(); the stack finishes the connection (FIN, TIME-WAIT) on its own. */
  public void close(int fd) throws IOException {
    loop.call(api -> api.close(fd));
  }

  public EventLoop loop() {
    return loop;
  }

  private static boolean wouldBlock(SysResult<?> r) {
    return r.errno() == Errno.EAGAIN;
  }

  /** Returns {@code r} when it succeeded; else closes {@code fdToClose} (if not -1) and throws. */
  private <T> SysResult<T> check(String call, SysResult<T> r, int fdToClose) throws IOException {
    if (r.succeeded()) return r;
    if (fdToClose >= 0) loop.call(api -> api.close(fdToClose));
    throw new SocketError(call, r.errno());
  }
}
