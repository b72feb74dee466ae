package org.tcpspec.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The stream seam over the Linux kernel's TCP through JDK sockets. A socket belongs to the network
 * namespace of the thread that creates it, so call {@link #listen} and {@link #connect} inside
 * {@code Netns.call} (on the namespace's platform thread); the returned objects can then be used
 * from any thread, virtual ones included.
 */
public final class KernelStreams {
  private KernelStreams() {}

  /** Binds and listens on {@code address:port} (port 0: any free port). */
  public static StreamListener listen(InetAddress address, int port, int backlog)
      throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(address, port), backlog);
      return new KernelListener(server);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Active open to {@code address:port}; blocks until established or refused. */
  public static StreamConnection connect(InetAddress address, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(address, port), 10_000);
      return KernelConnection.of(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Wraps an accepted or connected JDK socket. */
  public static StreamConnection wrap(Socket socket) throws IOException {
    return KernelConnection.of(socket);
  }

  private record KernelListener(ServerSocket server) implements StreamListener {
    @Override
    public StreamConnection accept() throws IOException {
      Socket s = server.accept();
      try {
        s.setTcpNoDelay(true);
        return KernelConnection.of(s);
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
    }

    @Override
    public int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** Streams are taken once, at wrapping time, so a failure shows there and not later. */
  private record KernelConnection(Socket socket, InputStream in, OutputStream out)
      implements StreamConnection {
    static KernelConnection of(Socket socket) throws IOException {
      return new KernelConnection(socket, socket.getInputStream(), socket.getOutputStream());
    }

    @Override
    public void shutdownOutput() throws IOException {
      if (!socket.isOutputShutdown() && !socket.isClosed()) socket.shutdownOutput();
    }

    @Override
    public String peer() {
      return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
