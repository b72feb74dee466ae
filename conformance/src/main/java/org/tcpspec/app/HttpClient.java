package org.tcpspec.app;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 client for one connection: {@link #get} sends a GET and copies the body to a sink.
 * Calls can be repeated on the same connection (keep-alive) as long as the previous response did
 * not announce {@code Connection: close}. The body is framed as RFC 9112 §6.3 says: no body for
 * 1xx, 204 and 304; chunked when Transfer-Encoding ends in chunked; else Content-Length;
 * else until the server closes.
 */
public final class HttpClient {
  /** Limit on the status line plus header fields of a response, in bytes. */
  public static final int HEAD_LIMIT = 64 * 1024;

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.(\\d) (\\d{3})(?: (.*))?");

  private final StreamConnection connection;
  private final InputStream in;

  public HttpClient(StreamConnection connection) {
    this.connection = connection;
    this.in = new BufferedInputStream(connection.in(), 64 * 1024);
  }

  /**
   * GETs {@code url} on this connection and writes the body to {@code body}.
   *
   * @param close send {@code Connection: close} (the last request on this connection)
   * @throws HttpProtocolException when the response is not valid HTTP/1.1 framing
   */
  public HttpResponse get(HttpUrl url, OutputStream body, boolean close) throws IOException {
    String request =
        "GET " + url.path() + " HTTP/1.1\r\n"
            + "Host: " + url.hostField() + "\r\n"
            + "User-Agent: tcpspec\r\n"
            + "Accept: */*\r\n"
            + (close ? "Connection: close\r\n" : "")
            + "\r\n";
    OutputStream out = connection.out();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return readResponse(body);
  }

  private HttpResponse readResponse(OutputStream body) throws IOException {
    while (true) {
      HttpHead head =
          switch (HttpHead.read(in, HEAD_LIMIT)) {
            case HttpHead.Result.Ok(HttpHead h) -> h;
            case HttpHead.Result.Failed(HttpHead.Failure.Closed c) ->
                throw new EOFException("server closed the connection before responding");
            case HttpHead.Result.Failed(HttpHead.Failure.TooLarge t) ->
                throw new HttpProtocolException("response head over " + t.limit() + " bytes");
            case HttpHead.Result.Failed(HttpHead.Failure.Malformed m) ->
                throw new HttpProtocolException(m.reason());
          };
      Matcher m = STATUS_LINE.matcher(head.startLine());
      if (!m.matches()) {
        throw new HttpProtocolException(
            "not an HTTP/1.x status line: " + HttpHead.printable(head.startLine()));
      }
      int minor = Integer.parseInt(m.group(1));
      int status = Integer.parseInt(m.group(2));
      String reason = m.group(3) == null ? "" : m.group(3);
      if (status >= 100 && status < 200 && status != 101) continue; // interim: wait for final
      boolean willClose =
          minor == 0 ? !head.lists("Connection", "keep-alive") : head.lists("Connection", "close");
      long length;
      if (status < 200 || status == 204 || status == 304) {
        length = 0;
      } else if (isChunked(head)) {
        length = copyChunked(body);
      } else if (!head.all("Content-Length").isEmpty()) {
        length = contentLength(head.all("Content-Length"));
        copyExactly(body, length);
      } else {
        length = in.transferTo(body);
        willClose = true;
      }
      body.flush();
      return new HttpResponse(status, reason, head.fields(), length, willClose);
    }
  }

  private static boolean isChunked(HttpHead head) {
    List<String> te = head.all("Transfer-Encoding");
    if (te.isEmpty()) return false;
    String[] codings = String.join(",", te).split(",");
    return codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
  }

  private static long contentLength(List<String> values) throws HttpProtocolException {
    String first = values.getFirst();
    boolean valid =
        values.stream().allMatch(first::equals)
            && !first.isEmpty()
            && first.length() <= 18
            && first.chars().allMatch(Character::isDigit);
    if (!valid) throw new HttpProtocolException("invalid Content-Length: " + values);
    return Long.parseLong(first);
  }

  private void copyExactly(OutputStream body, long length) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException(
            "server closed after " + (length - left) + " of " + length + " body bytes");
      }
      body.write(buf, 0, n);
      left -= n;
    }
  }

  /** RFC 9112 §7.1: hex size, optional extensions, data, CRLF; trailers after the last chunk. */
  private long copyChunked(OutputStream body) throws IOException {
    long total = 0;
    while (true) {
      String line = chunkLine();
      int semi = line.indexOf(';');
      String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
      if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(HttpClient::isHex)) {
        throw new HttpProtocolException("invalid chunk size: " + HttpHead.printable(line));
      }
      long size = Long.parseLong(hex, 16);
      if (size == 0) break;
      copyExactly(body, size);
      total += size;
      if (!chunkLine().isEmpty()) throw new HttpProtocolException("chunk data not followed by CRLF");
    }
    // Trailer fields, ignored, up to the empty line.
    for (int i = 0; !chunkLine().isEmpty(); i++) {
      if (i > 100) throw new HttpProtocolException("more than 100 trailer fields");
    }
    return total;
  }

  private String chunkLine() throws IOException {
    StringBuilder b = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) throw new EOFException("server closed inside chunked framing");
      if (c == '\n') break;
      if (b.length() > 4096) throw new HttpProtocolException("chunk line over 4096 bytes");
      b.append((char) c);
    }
    int end = b.length() > 0 && b.charAt(b.length() - 1) == '\r' ? b.length() - 1 : b.length();
    return b.substring(0, end);
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
