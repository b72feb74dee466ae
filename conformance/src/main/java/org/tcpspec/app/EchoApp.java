package org.tcpspec.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Echo (in the spirit of RFC 862 over TCP): writes back every byte it reads, in order, and
 * half-closes when the peer does, so a client that sends N bytes and shuts down its output reads
 * exactly those N bytes followed by end of stream.
 */
public final class EchoApp implements App {
  private static final int CHUNK = 64 * 1024;

  @Override
  public void serve(StreamConnection connection) throws IOException {
    InputStream in = connection.in();
    OutputStream out = connection.out();
    byte[] buf = new byte[CHUNK];
    for (int n; (n = in.read(buf)) != -1; ) {
      out.write(buf, 0, n);
    }
    out.flush();
    connection.shutdownOutput();
  }

  @Override
  public Kind kind() {
    return Kind.ECHO;
  }
}
