package org.tcpspec.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HttpApp in process: requests from a string, responses parsed back with HttpClient. */
class HttpAppTest {
  private static final Clock FIXED = Clock.fixed(Instant.parse("2026-03-01T08:09:10Z"), ZoneOffset.UTC);
  private static final HttpUrl ANY = new HttpUrl("h", 80, "/");

  private record Exchange(MemoryConnection server, List<HttpResponse> responses, List<byte[]> bodies) {}

  /** Serves {@code requests} and reads back as many responses as there are. */
  private static Exchange serve(String requests) throws IOException {
    MemoryConnection server = MemoryConnection.of(requests);
    new HttpApp(FIXED).serve(server);
    HttpClient reader = new HttpClient(new MemoryConnection(server.written()));
    List<HttpResponse> responses = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    while (true) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      try {
        responses.add(reader.get(ANY, body, false));
      } catch (EOFException end) {
        return new Exchange(server, responses, bodies);
      }
      bodies.add(body.toByteArray());
    }
  }

  @Test
  void getBytesReturnsNPatternBytesWithContentLength() throws IOException {
    Exchange e = serve("GET /bytes/1000 HTTP/1.1\r\nHost: x\r\n\r\n");
    HttpResponse r = e.responses().getFirst();
    assertEquals(200, r.status());
    assertEquals("1000", r.field("content-length").orElseThrow());
    assertEquals("application/octet-stream", r.field("Content-Type").orElseThrow());
    assertEquals("Sun, 01 Mar 2026 08:09:10 GMT", r.field("Date").orElseThrow());
    assertArrayEquals(BytePattern.of(1000), e.bodies().getFirst());
    assertFalse(r.willClose());
    assertTrue(e.server().outputShut(), "FIN after the client's FIN");
  }

  @Test
  void keepAliveAnswersPipelinedRequestsInOrderUntilConnectionClose() throws IOException {
    Exchange e =
        serve("GET /bytes/3 HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /bytes/5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            + "GET /bytes/7 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(2, e.responses().size(), "nothing after Connection: close");
    assertEquals(3, e.bodies().get(0).length);
    assertEquals(5, e.bodies().get(1).length);
    assertFalse(e.responses().get(0).willClose());
    assertTrue(e.responses().get(1).willClose());
  }

  @Test
  void http10ClosesUnlessKeepAliveIsAsked() throws IOException {
    Exchange plain = serve("GET /bytes/1 HTTP/1.0\r\n\r\nGET /bytes/1 HTTP/1.0\r\n\r\n");
    assertEquals(1, plain.responses().size());
    Exchange kept =
        serve("GET /bytes/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /bytes/2 HTTP/1.0\r\n\r\n");
    assertEquals(2, kept.responses().size());
    assertEquals("keep-alive", kept.responses().get(0).field("Connection").orElseThrow());
  }

  @Test
  void otherPathsAre404AndKeepTheConnection() throws IOException {
    Exchange e =
        serve("GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /bytes/x HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /bytes/2?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(List.of(404, 404, 200), e.responses().stream().map(HttpResponse::status).toList());
    assertTrue(new String(e.bodies().getFirst()).contains("/nope"));
  }

  @Test
  void headHasTheLengthButNoBody() throws IOException {
    MemoryConnection server =
        MemoryConnection.of("HEAD /bytes/100 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    new HttpApp(FIXED).serve(server);
    String text = server.writtenText();
    assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
    assertTrue(text.contains("Content-Length: 100\r\n"), text);
    assertTrue(text.endsWith("\r\n\r\n"), "no body after the head: " + text);
  }

  @Test
  void malformedRequestLineIs400AndCloses() throws IOException {
    Exchange e = serve("HELLO\r\n\r\nGET /bytes/1 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(1, e.responses().size());
    assertEquals(400, e.responses().getFirst().status());
    assertTrue(e.responses().getFirst().willClose());
  }

  @Test
  void missingOrDoubleHostIn11Is400() throws IOException {
    assertEquals(400, serve("GET /bytes/1 HTTP/1.1\r\n\r\n").responses().getFirst().status());
    assertEquals(400,
        serve("GET /bytes/1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").responses().getFirst().status());
  }

  @Test
  void badHeaderLinesAre400() throws IOException {
    for (String bad :
        List.of("No colon here", "Bad Name: x", ": empty name", " folded: x", "Content-Length: 1x")) {
      Exchange e = serve("GET /bytes/1 HTTP/1.1\r\nHost: x\r\n" + bad + "\r\n\r\n");
      assertEquals(400, e.responses().getFirst().status(), bad);
    }
  }

  @Test
  void headLargerThanTheLimitIs431() throws IOException {
    String big = "X-Big: " + "a".repeat(HttpApp.HEAD_LIMIT) + "\r\n";
    Exchange e = serve("GET /bytes/1 HTTP/1.1\r\nHost: x\r\n" + big + "\r\n");
    assertEquals(431, e.responses().getFirst().status());
  }

  @Test
  void unsupportedMethodsVersionsAndBodies() throws IOException {
    assertEquals(501, serve("DELETE /bytes/1 HTTP/1.1\r\nHost: x\r\n\r\n").responses().getFirst().status());
    assertEquals(505, serve("GET /bytes/1 HTTP/2.0\r\nHost: x\r\n\r\n").responses().getFirst().status());
    assertEquals(501,
        serve("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            .responses().getFirst().status());
  }

  @Test
  void aContentLengthBodyIsSkippedToReachTheNextRequest() throws IOException {
    Exchange e =
        serve("GET /bytes/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nHELLO"
            + "GET /bytes/2 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(List.of(200, 200), e.responses().stream().map(HttpResponse::status).toList());
    assertEquals(2, e.bodies().get(1).length);
  }

  @Test
  void nAboveTheMaximumIs400() throws IOException {
    Exchange e = serve("GET /bytes/" + (HttpApp.MAX_BYTES + 1) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(400, e.responses().getFirst().status());
  }

  @Test
  void endOfStreamInsideAHeadIs400() throws IOException {
    Exchange e = serve("GET /bytes/1 HTTP/1.1\r\nHost: x\r\n");
    assertEquals(400, e.responses().getFirst().status());
  }

  @Test
  void idleCloseAnswersNothing() throws IOException {
    Exchange e = serve("");
    assertTrue(e.responses().isEmpty());
    assertTrue(e.server().outputShut());
  }

  @Test
  void readingAResponseFromAServerThatSentNothingIsAnEof() {
    HttpClient c = new HttpClient(MemoryConnection.of(""));
    assertThrows(EOFException.class, () -> c.get(ANY, new ByteArrayOutputStream(), true));
  }
}
