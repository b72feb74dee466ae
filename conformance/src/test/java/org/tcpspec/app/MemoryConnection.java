package org.tcpspec.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A connection whose peer sent {@code input} and then FIN; what the app writes is kept. */
final class MemoryConnection implements StreamConnection {
  private final InputStream in;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private boolean outputShut;
  private boolean closed;

  MemoryConnection(byte[] input) {
    this.in = new ByteArrayInputStream(input);
  }

  static MemoryConnection of(String input) {
    return new MemoryConnection(input.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public InputStream in() {
    return in;
  }

  @Override
  public OutputStream out() {
    return out;
  }

  @Override
  public void shutdownOutput() {
    outputShut = true;
  }

  @Override
  public String peer() {
    return "memory";
  }

  @Override
  public void close() {
    closed = true;
  }

  byte[] written() {
    return out.toByteArray();
  }

  String writtenText() {
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  boolean outputShut() {
    return outputShut;
  }

  boolean closed() {
    return closed;
  }
}
