package org.tcpspec.app;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Serves one {@link App} on one {@link StreamListener}: an accept loop on a virtual thread and one
 * virtual thread per connection, so blocking application code costs no platform thread. {@link
 * #close()} stops accepting, closes the connections still open and waits for the loop to end.
 */
public final class AppServer implements AutoCloseable {
  private final StreamListener listener;
  private final App app;
  private final Consumer<String> log;
  private final Set<StreamConnection> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Thread acceptLoop;

  private AppServer(StreamListener listener, App app, Consumer<String> log) {
    this.listener = listener;
    this.app = app;
    this.log = log;
    this.acceptLoop =
        Thread.ofVirtual().name("accept-" + app.kind().label()).unstarted(this::acceptLoop);
  }

  /**
   * Starts serving; returns at once.
   *
   * @param log receives one line per connection that ended with an error (never for a clean end)
   */
  public static AppServer start(StreamListener listener, App app, Consumer<String> log) {
    AppServer server = new AppServer(listener, app, log);
    server.acceptLoop.start();
    return server;
  }

  private void acceptLoop() {
    while (!closing.get()) {
      StreamConnection c;
      try {
        c = listener.accept();
      } catch (IOException e) {
        if (!closing.get()) log.accept("accept failed, server stops: " + e);
        return;
      }
      accepted.incrementAndGet();
      open.add(c);
      Thread.ofVirtual().name("conn-" + c.peer()).start(() -> serveOne(c));
    }
  }

  private void serveOne(StreamConnection c) {
    try (c) {
      app.serve(c);
    } catch (IOException e) {
      if (!closing.get()) {
        failed.incrementAndGet();
        log.accept(app.kind().label() + " " + c.peer() + ": " + e);
      }
    } finally {
      open.remove(c);
    }
  }

  /** Connections accepted so far. */
  public long accepted() {
    return accepted.get();
  }

  /** Connections whose application ended with an I/O error (not counting those cut by close). */
  public long failed() {
    return failed.get();
  }

  public int port() {
    return listener.port();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (!closing.compareAndSet(false, true)) return;
    IOException first = null;
    try {
      listener.close();
    } catch (IOException e) {
      first = e;
    }
    for (StreamConnection c : open) {
      try {
        c.close();
      } catch (IOException e) {
        if (first == null) first = e;
      }
    }
    acceptLoop.join();
    if (first != null) throw first;
  }
}
