package org.tcpspec.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An echo server on our stack's blocking sockets, for the interop tests: an accept loop on a
 * virtual thread and one virtual thread per connection that writes back every byte it reads and
 * half-closes when the peer did (RFC 862 over TCP), so a client that sends N bytes and shuts down
 * its output reads exactly those N bytes, then end of stream. {@link #close()} closes the
 * listener, which ends the accept loop.
 */
final class StackEcho implements AutoCloseable {
  private final BlockingSockets sockets;
  private final int listenFd;
  private final AtomicLong accepted = new AtomicLong();
  private final List<String> failures = new ArrayList<>();
  private final Thread acceptLoop;
  private volatile boolean closing;

  private StackEcho(BlockingSockets sockets, int listenFd) {
    this.sockets = sockets;
    this.listenFd = listenFd;
    this.acceptLoop = Thread.ofVirtual().name("echo-accept").unstarted(this::acceptLoop);
  }

  static StackEcho start(BlockingSockets sockets, int port, int backlog) throws IOException {
    StackEcho echo = new StackEcho(sockets, sockets.listen(port, backlog));
    echo.acceptLoop.start();
    return echo;
  }

  private void acceptLoop() {
    while (!closing) {
      int fd;
      try {
        fd = sockets.accept(listenFd);
      } catch (IOException | InterruptedException e) {
        if (!closing) fail("accept: " + e);
        return;
      }
      accepted.incrementAndGet();
      Thread.ofVirtual().name("echo-" + fd).start(() -> echo(fd));
    }
  }

  private void echo(int fd) {
    try {
      SocketStreams.input(sockets, fd).transferTo(SocketStreams.output(sockets, fd));
      sockets.shutdownOutput(fd);
    } catch (IOException e) {
      if (!closing) fail("fd " + fd + ": " + e);
    } finally {
      try {
        sockets.close(fd);
      } catch (IOException e) {
        fail("close fd " + fd + ": " + e);
      }
    }
  }

  private void fail(String line) {
    synchronized (failures) {
      failures.add(line);
    }
  }

  /** Connections accepted so far. */
  long accepted() {
    return accepted.get();
  }

  /** One line per accept or connection that ended with an error; empty when all went well. */
  List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    closing = true;
    sockets.close(listenFd);
    acceptLoop.join();
  }
}
