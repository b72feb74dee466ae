package org.tcpspec.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tcpspec.runtime.BlockingSockets;
import org.tcpspec.runtime.SocketStreams;

/**
 * The stream seam over our stack: {@link StreamListener} and {@link StreamConnection} backed by
 * {@link BlockingSockets} on an event loop (the streams are the runtime's {@link SocketStreams}).
 * Blocking calls are meant for virtual threads.
 */
public final class StackStreams {
  private StackStreams() {}

  /** Listens on {@code port} of the stack's addresses (both families when it has both). */
  public static StreamListener listen(BlockingSockets sockets, int port, int backlog)
      throws IOException {
    return new StackListener(sockets, sockets.listen(port, backlog), port, new AtomicBoolean());
  }

  /** Active open from the stack to {@code addr:port} (addr big-endian, as in Segment). */
  public static StreamConnection connect(BlockingSockets sockets, int addr, int port)
      throws IOException {
    try {
      return new StackConnection(sockets, sockets.connect(addr, port), dotted(addr) + ":" + port);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted in connect");
    }
  }

  /** Active open from the stack to {@code addr:port}, an address of either family. */
  public static StreamConnection connect(BlockingSockets sockets, InetAddress addr, int port) throws IOException {
    try {
      String label = (addr instanceof Inet6Address ? "[" + addr.getHostAddress() + "]" : addr.getHostAddress()) + ":"
          + port;
      return new StackConnection(sockets, sockets.connect(addr, port), label);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted in connect");
    }
  }

  static String dotted(int a) {
    return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
  }

  private record StackListener(BlockingSockets sockets, int fd, int port, AtomicBoolean closed)
      implements StreamListener {
    @Override
    public StreamConnection accept() throws IOException {
      try {
        int child = sockets.accept(fd);
        return new StackConnection(sockets, child, "fd " + child);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted in accept");
      }
    }

    @Override
    public void close() throws IOException {
      if (closed.compareAndSet(false, true)) sockets.close(fd);
    }
  }

  private static final class StackConnection implements StreamConnection {
    private final BlockingSockets sockets;
    private final int fd;
    private final String peer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InputStream in;
    private final OutputStream out;

    StackConnection(BlockingSockets sockets, int fd, String peer) {
      this.sockets = sockets;
      this.fd = fd;
      this.peer = peer;
      this.in = SocketStreams.input(sockets, fd);
      this.out = SocketStreams.output(sockets, fd);
    }

    @Override
    public InputStream in() {
      return in;
    }

    @Override
    public OutputStream out() {
      return out;
    }

    @Override
    public void shutdownOutput() throws IOException {
      sockets.shutdownOutput(fd);
    }

    @Override
    public String peer() {
      return peer;
    }

    @Override
    public void close() throws IOException {
      if (closed.compareAndSet(false, true)) sockets.close(fd);
    }
  }
}
