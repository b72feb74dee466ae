package org.tcpspec.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A connected socket of {@link BlockingSockets} as {@code java.io} streams, for code that speaks
 * streams (an echo, a bulk transfer, HTTP). A read blocks until data, end of stream (-1: the peer's
 * FIN) or an error; a write blocks until the send buffer took every byte. Errors are {@link
 * BlockingSockets.SocketError}s naming the errno; an interrupt becomes an {@link
 * InterruptedIOException} with the thread's interrupt flag set again.
 */
public final class SocketStreams {
  private SocketStreams() {}

  /** The bytes the peer sends on {@code fd}. */
  public static InputStream input(BlockingSockets sockets, int fd) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return sockets.read(fd, b, off, len);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted in read");
        }
      }
    };
  }

  /** Bytes to the peer on {@code fd}; unbuffered, each write goes to the socket. */
  public static OutputStream output(BlockingSockets sockets, int fd) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          sockets.write(fd, b, off, len);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted in write");
        }
      }
    };
  }
}
