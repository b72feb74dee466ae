package org.tcpspec.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;

/**
 * A connected TCP socket as blocking Java streams, for applications on top of a {@link
 * StackLoop}: {@code read} blocks until data, end of stream or an error; {@code write} blocks until
 * the send buffer took every byte. Errors carry the Linux errno name.
 */
public final class TcpStream implements AutoCloseable {
  private final StackLoop loop;
  private final int fd;

  private TcpStream(StackLoop loop, int fd) {
    this.loop = loop;
    this.fd = fd;
  }

  /** Blocking connect(). */
  public static TcpStream connect(StackLoop loop, int addr, int port) throws IOException {
    int fd = (int) loop.call(api -> SysResult.<Void>ok(api.socket())).value();
    check(await(loop, api -> api.connect(fd, addr, port)), "connect");
    return new TcpStream(loop, fd);
  }

  /** A listening socket; {@link #accept(StackLoop, int)} takes connections from it. */
  public static int listen(StackLoop loop, int port, int backlog) throws IOException {
    int fd = (int) loop.call(api -> SysResult.<Void>ok(api.socket())).value();
    check(loop.call(api -> api.bind(fd, 0, port)), "bind");
    check(loop.call(api -> api.listen(fd, backlog)), "listen");
    return fd;
  }

  /** Blocking accept(). */
  public static TcpStream accept(StackLoop loop, int listenFd) throws IOException {
    SysResult<Void> r = check(await(loop, api -> api.accept(listenFd)), "accept");
    return new TcpStream(loop, (int) r.value());
  }

  public InputStream input() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        long timeout = loop.call(api -> SysResult.<Void>ok(api.receiveTimeoutNanos(fd))).value();
        SysResult<byte[]> r = check(await(loop, api -> api.read(fd, len), timeout), "read");
        if (r.value() == 0) return -1;
        System.arraycopy(r.out().orElseThrow(), 0, b, off, (int) r.value());
        return (int) r.value();
      }
    };
  }

  public OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
          byte[] rest = java.util.Arrays.copyOfRange(b, off + done, off + len);
          done += (int) check(await(loop, api -> api.write(fd, rest)), "write").value();
        }
      }
    };
  }

  /** shutdown(SHUT_WR): the peer reads end of stream after our data. */
  public void shutdownOutput() throws IOException {
    check(loop.call(api -> api.shutdown(fd, Symbol.SHUT_WR.value())), "shutdown");
  }

  @Override
  public void close() {
    loop.call(api -> api.close(fd));
  }

  /** SO_RCVTIMEO: a read that waits this long fails with EAGAIN; 0 waits for ever. */
  public void receiveTimeout(java.time.Duration d) throws IOException {
    check(loop.call(api -> api.setReceiveTimeout(fd, d.toSeconds(), d.toNanosPart() / 1000)), "setsockopt");
  }

  private static <T> SysResult<T> await(StackLoop loop, java.util.function.Function<SocketApi, SysResult<T>> call)
      throws IOException {
    return await(loop, call, 0);
  }

  private static <T> SysResult<T> await(StackLoop loop, java.util.function.Function<SocketApi, SysResult<T>> call,
      long timeoutNanos) throws IOException {
    try {
      return loop.await(call, timeoutNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while blocked");
    }
  }

  private static <T> SysResult<T> check(SysResult<T> r, String call) throws IOException {
    if (r.failed()) throw new IOException(call + ": " + r.errno());
    return r;
  }
}
