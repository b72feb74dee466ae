package org.tcpspec.app;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One established byte-stream connection as a blocking application sees it: the shape both JDK
 * sockets and our stack's stream API can offer. Reads block until data, end of stream (the peer
 * sent FIN) or an error; writes block until the data is accepted by the transport.
 */
public interface StreamConnection extends Closeable {

  /** The bytes the peer sends; -1 from a read means the peer shut down its output (FIN). */
  InputStream in();

  /** Bytes to the peer; unbuffered, so callers that write small pieces wrap it themselves. */
  OutputStream out();

  /** Half-close: sends FIN after queued data; reading stays possible. */
  void shutdownOutput() throws IOException;

  /** "a.b.c.d:port" of the peer, for log lines. */
  String peer();

  /** Releases the connection; pending reads and writes in other threads fail. Idempotent. */
  @Override
  void close() throws IOException;
}
