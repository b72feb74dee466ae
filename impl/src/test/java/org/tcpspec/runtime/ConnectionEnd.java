package org.tcpspec.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.tcpspec.device.linux.Netns;

/**
 * One end of a TCP connection as the interop tests drive it: a kernel socket in the test's
 * namespace (JDK sockets) or a connected fd of our stack's {@link BlockingSockets}, either way as
 * streams with a half-close, so one transfer routine serves both directions.
 */
abstract class ConnectionEnd implements Closeable {

  abstract InputStream in() throws IOException;

  abstract OutputStream out() throws IOException;

  /** Sends FIN after the queued data; reading stays possible. */
  abstract void shutdownOutput() throws IOException;

  /** A connected fd of our stack. */
  static ConnectionEnd stack(BlockingSockets sockets, int fd) {
    return new ConnectionEnd() {
      private final InputStream in = SocketStreams.input(sockets, fd);
      private final OutputStream out = SocketStreams.output(sockets, fd);

      @Override
      InputStream in() {
        return in;
      }

      @Override
      OutputStream out() {
        return out;
      }

      @Override
      void shutdownOutput() throws IOException {
        sockets.shutdownOutput(fd);
      }

      @Override
      public void close() throws IOException {
        sockets.close(fd);
      }
    };
  }

  /** A connected kernel socket (made inside the namespace; usable from any thread). */
  static ConnectionEnd kernel(Socket socket) {
    return new ConnectionEnd() {
      @Override
      InputStream in() throws IOException {
        return socket.getInputStream();
      }

      @Override
      OutputStream out() throws IOException {
        return socket.getOutputStream();
      }

      @Override
      void shutdownOutput() throws IOException {
        if (!socket.isOutputShutdown() && !socket.isClosed()) socket.shutdownOutput();
      }

      @Override
      public void close() throws IOException {
        socket.close();
      }
    };
  }

  /**
   * A kernel socket in {@code ns} connected to {@code address:port}, with TCP_NODELAY as the apps'
   * kernel streams set it. A socket belongs to the namespace of the thread that creates it, hence
   * {@link Netns#call}.
   */
  static Socket kernelConnect(Netns ns, String address, int port) throws Exception {
    InetAddress to = InetAddress.getByName(address);
    return ns.call(() -> {
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(to, port), 10_000);
        return s;
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
    });
  }

  /** A kernel listener in {@code ns} on {@code address:port}. */
  static ServerSocket kernelListen(Netns ns, String address, int port, int backlog) throws Exception {
    InetAddress at = InetAddress.getByName(address);
    return ns.call(() -> {
      ServerSocket server = new ServerSocket();
      try {
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(at, port), backlog);
        return server;
      } catch (IOException | RuntimeException e) {
        server.close();
        throw e;
      }
    });
  }
}
