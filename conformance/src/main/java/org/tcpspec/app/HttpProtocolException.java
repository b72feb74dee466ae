package org.tcpspec.app;

import java.io.IOException;

/** The peer broke HTTP/1.1 framing (a malformed status line, header or chunk). */
public final class HttpProtocolException extends IOException {
  public HttpProtocolException(String message) {
    super(message);
  }
}
