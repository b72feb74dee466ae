package org.tcpspec.app;

import java.io.Closeable;
import java.io.IOException;

/**
 * A passive open: hands out established connections one by one. Closing it makes a blocked
 * {@link #accept()} throw, which is how servers stop.
 */
public interface StreamListener extends Closeable {

  /** Blocks until a connection is established. */
  StreamConnection accept() throws IOException;

  /** The local port, useful when the listener was bound to port 0. */
  int port();

  @Override
  void close() throws IOException;
}
