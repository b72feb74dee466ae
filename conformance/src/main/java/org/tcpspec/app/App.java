package org.tcpspec.app;

import java.io.IOException;

/**
 * An application served on each accepted connection. {@link #serve} owns the connection for its
 * duration and returns when the exchange is over; {@link AppServer} closes it afterwards.
 */
public sealed interface App permits EchoApp, DiscardApp, HttpApp {

  /** Handles one connection until the peer is done or the protocol says to stop. */
  void serve(StreamConnection connection) throws IOException;

  /** The name used on the command line ({@code --app}). */
  Kind kind();

  /** The applications {@code tcpspec serve --app} knows. */
  enum Kind {
    ECHO,
    DISCARD,
    HTTP;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A fresh instance of this application with default settings. */
    public App create() {
      return switch (this) {
        case ECHO -> new EchoApp();
        case DISCARD -> new DiscardApp();
        case HTTP -> new HttpApp();
      };
    }
  }
}
