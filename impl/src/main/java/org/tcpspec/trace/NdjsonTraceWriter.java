package org.tcpspec.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes each record as one NDJSON line to a writer (a file for real runs). A write error is kept
 * and reported by {@link #checkError()} instead of being thrown into the protocol core.
 */
public final class NdjsonTraceWriter implements TraceSink, AutoCloseable {
  private final Writer out;
  private IOException error;

  public NdjsonTraceWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void record(TraceRecord record) {
    if (error != null) return;
    try {
      out.write(record.toJson());
      out.write('\n');
    } catch (IOException e) {
      error = e;
    }
  }

  /** Throws the first write error, if any. */
  public void checkError() {
    if (error != null) throw new UncheckedIOException(error);
  }

  @Override
  public void close() throws IOException {
    out.close();
    checkError();
  }
}
