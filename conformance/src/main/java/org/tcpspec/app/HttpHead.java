package org.tcpspec.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The head of an HTTP/1.1 message (RFC 9112 §2.1): a start line and header fields, read from a
 * buffered stream with a limit on its total size. Shared by the server and the client, which only
 * differ in how they read the start line.
 *
 * @param startLine the request line or status line, without CRLF
 * @param fields the header fields in arrival order
 */
record HttpHead(String startLine, List<HttpField> fields) {

  /** Why a head could not be read. */
  sealed interface Failure {
    /** End of stream before the first byte: the peer closed an idle connection. */
    record Closed() implements Failure {}

    /** The head exceeded the size limit. */
    record TooLarge(int limit) implements Failure {}

    /** A syntax error, or end of stream in the middle of the head. */
    record Malformed(String reason) implements Failure {}
  }

  /** Either a head or why there is none. */
  sealed interface Result {
    record Ok(HttpHead head) implements Result {}

    record Failed(Failure failure) implements Result {}
  }

  Optional<String> first(String name) {
    return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(HttpField::value).findFirst();
  }

  List<String> all(String name) {
    return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(HttpField::value).toList();
  }

  /** Whether a comma-separated field such as Connection lists {@code token}. */
  boolean lists(String name, String token) {
    for (String v : all(name)) {
      for (String t : v.split(",")) {
        if (t.strip().equalsIgnoreCase(token)) return true;
      }
    }
    return false;
  }

  /**
   * Reads one head. Bare LF is accepted as a line end (RFC 9112 §2.2 allows it); up to two empty
   * lines before the start line are skipped (§2.2: "SHOULD ignore at least one empty line").
   * Obsolete line folding is rejected (§5.2).
   */
  static Result read(InputStream in, int limit) throws IOException {
    int[] budget = {limit};
    String start = "";
    for (int skipped = 0; start.isEmpty(); skipped++) {
      Line line = readLine(in, budget, skipped == 0);
      switch (line) {
        case Line.Eof eof -> {
          return new Result.Failed(
              eof.atStart() && skipped == 0
                  ? new Failure.Closed()
                  : new Failure.Malformed("end of stream in the message head"));
        }
        case Line.Overflow o -> {
          return new Result.Failed(new Failure.TooLarge(limit));
        }
        case Line.Text t -> start = t.text();
      }
      if (start.isEmpty() && skipped >= 2) {
        return new Result.Failed(new Failure.Malformed("empty lines instead of a start line"));
      }
    }
    List<HttpField> fields = new ArrayList<>();
    while (true) {
      Line line = readLine(in, budget, false);
      String text;
      switch (line) {
        case Line.Eof eof -> {
          return new Result.Failed(new Failure.Malformed("end of stream in the header fields"));
        }
        case Line.Overflow o -> {
          return new Result.Failed(new Failure.TooLarge(limit));
        }
        case Line.Text t -> text = t.text();
      }
      if (text.isEmpty()) return new Result.Ok(new HttpHead(start, List.copyOf(fields)));
      if (text.charAt(0) == ' ' || text.charAt(0) == '\t') {
        return new Result.Failed(new Failure.Malformed("obsolete line folding in a header field"));
      }
      int colon = text.indexOf(':');
      if (colon <= 0) {
        return new Result.Failed(new Failure.Malformed("header field without a name and colon"));
      }
      String name = text.substring(0, colon);
      if (!isToken(name)) {
        return new Result.Failed(
            new Failure.Malformed("invalid header field name '" + printable(name) + "'"));
      }
      fields.add(new HttpField(name, text.substring(colon + 1).strip()));
    }
  }

  private sealed interface Line {
    record Text(String text) implements Line {}

    record Eof(boolean atStart) implements Line {}

    record Overflow() implements Line {}
  }

  private static Line readLine(InputStream in, int[] budget, boolean first) throws IOException {
    var buf = new java.io.ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b == -1) return new Line.Eof(first && buf.size() == 0);
      first = false;
      if (--budget[0] < 0) return new Line.Overflow();
      if (b == '\n') {
        byte[] bytes = buf.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new Line.Text(new String(bytes, 0, len, StandardCharsets.ISO_8859_1));
      }
      buf.write(b);
    }
  }

  /** RFC 9110 §5.6.2 token: visible ASCII except delimiters. */
  static boolean isToken(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) return false;
    }
    return true;
  }

  /** For error messages: control characters shown as '?', at most 40 characters. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
