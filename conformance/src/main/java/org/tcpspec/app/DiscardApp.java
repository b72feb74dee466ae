package org.tcpspec.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * Discard (in the spirit of RFC 863 over TCP): reads and drops everything until the peer shuts
 * down its output, and counts what it dropped over all connections.
 */
public final class DiscardApp implements App {
  private static final int CHUNK = 64 * 1024;
  private final LongAdder discarded = new LongAdder();

  @Override
  public void serve(StreamConnection connection) throws IOException {
    InputStream in = connection.in();
    byte[] buf = new byte[CHUNK];
    for (int n; (n = in.read(buf)) != -1; ) {
      discarded.add(n);
    }
  }

  /** Bytes read and dropped so far, over all connections. */
  public long bytesDiscarded() {
    return discarded.sum();
  }

  @Override
  public Kind kind() {
    return Kind.DISCARD;
  }
}
