package org.tcpspec.app;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 origin server (RFC 9110, RFC 9112) with persistent connections: requests on
 * one connection are answered in order until the client says {@code Connection: close}, speaks
 * HTTP/1.0 without keep-alive, or sends something this server refuses.
 *
 * <p>Resources: {@code GET /bytes/N} (and HEAD) answers 200 with {@code Content-Length: N} and
 * the body {@link BytePattern} bytes 0..N-1, N at most {@link #MAX_BYTES}. Everything else is 404.
 *
 * <p>Refusals: a malformed request line or header field, a missing or repeated Host in HTTP/1.1
 * (RFC 9112 §3.2), or a bad Content-Length is 400; a head larger than {@link #HEAD_LIMIT} bytes is
 * 431; a request body with Transfer-Encoding or a method other than GET and HEAD is 501; an HTTP
 * major version other than 1 is 505. After 400, 431, 413, 501 and 505 the connection is closed,
 * because the framing of what follows cannot be trusted.
 */
public final class HttpApp implements App {
  /** Limit on request line plus header fields, in bytes. */
  public static final int HEAD_LIMIT = 16 * 1024;
  /** Largest N for {@code /bytes/N}: 1 TiB. */
  public static final long MAX_BYTES = 1L << 40;
  /** Largest request body read and dropped to keep a connection alive. */
  static final int MAX_IGNORED_BODY = 1 << 20;

  private static final Pattern REQUEST_LINE = Pattern.compile("(\\S+) (\\S+) HTTP/(\\d)\\.(\\d)");
  private static final Pattern BYTES = Pattern.compile("/bytes/(\\d{1,16})");

  /** IMF-fixdate (RFC 9110 §5.6.7): always two-digit days, always GMT. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

  private final Clock clock;

  public HttpApp() {
    this(Clock.systemUTC());
  }

  /** With a fixed clock, for tests that compare whole responses (the Date field). */
  public HttpApp(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Kind kind() {
    return Kind.HTTP;
  }

  @Override
  public void serve(StreamConnection connection) throws IOException {
    InputStream in = new BufferedInputStream(connection.in(), 16 * 1024);
    OutputStream out = new BufferedOutputStream(connection.out(), 64 * 1024);
    boolean keepAlive = true;
    while (keepAlive) {
      keepAlive =
          switch (HttpHead.read(in, HEAD_LIMIT)) {
            case HttpHead.Result.Ok(HttpHead head) -> respond(head, in, out);
            case HttpHead.Result.Failed(HttpHead.Failure.Closed c) -> false;
            case HttpHead.Result.Failed(HttpHead.Failure.TooLarge t) ->
                refuse(out, 431, "Request Header Fields Too Large",
                    "request line and header fields exceed " + t.limit() + " bytes");
            case HttpHead.Result.Failed(HttpHead.Failure.Malformed m) ->
                refuse(out, 400, "Bad Request", m.reason());
          };
      out.flush();
    }
    connection.shutdownOutput();
    // Lingering close (RFC 9112 §9.6): closing with unread input makes the kernel send RST,
    // which can destroy the last response before the client reads it. Read to the client's FIN.
    discard(in, MAX_IGNORED_BODY);
  }

  /** Reads and drops up to {@code count} bytes; returns how many there were before end of stream. */
  private static long discard(InputStream in, long count) throws IOException {
    byte[] sink = new byte[8192];
    long done = 0;
    while (done < count) {
      int n = in.read(sink, 0, (int) Math.min(sink.length, count - done));
      if (n < 0) break;
      done += n;
    }
    return done;
  }

  /** Answers one request; returns whether the connection stays open. */
  private boolean respond(HttpHead head, InputStream in, OutputStream out) throws IOException {
    Matcher line = REQUEST_LINE.matcher(head.startLine());
    if (!line.matches()) {
      return refuse(out, 400, "Bad Request",
          "request line is not 'METHOD TARGET HTTP/x.y': " + HttpHead.printable(head.startLine()));
    }
    String method = line.group(1);
    String target = line.group(2);
    int major = Integer.parseInt(line.group(3));
    int minor = Integer.parseInt(line.group(4));
    boolean isHead = method.equals("HEAD");
    if (!HttpHead.isToken(method)) {
      return refuse(out, 400, "Bad Request", "method is not a token");
    }
    if (major != 1) {
      return refuse(out, 505, "HTTP Version Not Supported", "only HTTP/1.x is served");
    }
    int hosts = head.all("Host").size();
    if (minor >= 1 ? hosts != 1 : hosts > 1) {
      return refuse(out, 400, "Bad Request", "HTTP/1.1 needs exactly one Host field, got " + hosts);
    }
    if (!head.all("Transfer-Encoding").isEmpty()) {
      return refuse(out, 501, "Not Implemented", "request bodies with Transfer-Encoding");
    }
    List<String> lengths = head.all("Content-Length");
    if (!lengths.isEmpty()) {
      String first = lengths.getFirst();
      boolean valid =
          lengths.stream().allMatch(first::equals)
              && !first.isEmpty()
              && first.length() <= 18
              && first.chars().allMatch(Character::isDigit);
      if (!valid) return refuse(out, 400, "Bad Request", "invalid Content-Length");
      long bodyLength = Long.parseLong(first);
      if (bodyLength > MAX_IGNORED_BODY) {
        return refuse(out, 413, "Content Too Large", "request body over " + MAX_IGNORED_BODY);
      }
      // This server ignores request bodies, but must consume them to find the next request.
      if (discard(in, bodyLength) < bodyLength) return false;
    }
    boolean keepAlive =
        minor >= 1 ? !head.lists("Connection", "close") : head.lists("Connection", "keep-alive");
    if (!method.equals("GET") && !isHead) {
      return refuse(out, 501, "Not Implemented", "only GET and HEAD are served");
    }
    String path = pathOf(target);
    if (!path.startsWith("/")) {
      return refuse(out, 400, "Bad Request", "request target is not a path");
    }
    Matcher bytes = BYTES.matcher(path);
    if (!bytes.matches()) {
      return error(out, 404, "Not Found", "no resource " + HttpHead.printable(path)
          + " (try /bytes/N)", keepAlive, minor, isHead);
    }
    long n = Long.parseLong(bytes.group(1));
    if (n > MAX_BYTES) {
      return error(out, 400, "Bad Request", "N is at most " + MAX_BYTES, keepAlive, minor, isHead);
    }
    writeHead(out, 200, "OK", "application/octet-stream", n, keepAlive, minor);
    if (!isHead) BytePattern.write(out, n);
    return keepAlive;
  }

  /** Origin-form keeps its path; absolute-form (RFC 9112 §3.2.2) loses scheme and authority. */
  private static String pathOf(String target) {
    String t = target;
    if (t.regionMatches(true, 0, "http://", 0, 7)) {
      int slash = t.indexOf('/', 7);
      t = slash < 0 ? "/" : t.substring(slash);
    }
    int q = t.indexOf('?');
    return q < 0 ? t : t.substring(0, q);
  }

  /** A refusal after which the connection closes; returns false. */
  private boolean refuse(OutputStream out, int status, String reason, String detail)
      throws IOException {
    return error(out, status, reason, detail, false, 1, false);
  }

  private boolean error(OutputStream out, int status, String reason, String detail,
      boolean keepAlive, int minor, boolean head) throws IOException {
    byte[] body = (status + " " + reason + ": " + detail + "\n").getBytes(StandardCharsets.UTF_8);
    writeHead(out, status, reason, "text/plain; charset=utf-8", body.length, keepAlive, minor);
    if (!head) out.write(body);
    return keepAlive;
  }

  private void writeHead(OutputStream out, int status, String reason, String type, long length,
      boolean keepAlive, int minor) throws IOException {
    StringBuilder h = new StringBuilder(192);
    h.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
    h.append("Date: ")
        .append(HTTP_DATE.format(ZonedDateTime.now(clock.withZone(ZoneOffset.UTC))))
        .append("\r\n");
    h.append("Server: tcpspec\r\n");
    h.append("Content-Type: ").append(type).append("\r\n");
    h.append("Content-Length: ").append(length).append("\r\n");
    if (!keepAlive) {
      h.append("Connection: close\r\n");
    } else if (minor == 0) {
      h.append("Connection: keep-alive\r\n");
    }
    h.append("\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
  }
}
