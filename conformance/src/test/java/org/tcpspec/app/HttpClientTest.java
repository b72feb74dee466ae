package org.tcpspec.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** HttpClient against canned responses: the request it writes and the body framing it reads. */
class HttpClientTest {
  private static final HttpUrl URL = new HttpUrl("192.0.2.2", 8080, "/bytes/3?x");

  private record Got(HttpResponse response, String body, String request) {}

  private static Got get(String responses) throws IOException {
    MemoryConnection c = MemoryConnection.of(responses);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    HttpResponse r = new HttpClient(c).get(URL, body, true);
    return new Got(r, body.toString(), c.writtenText());
  }

  @Test
  void requestHasHostWithPortAndConnectionClose() throws IOException {
    Got g = get("HTTP/1.1 204 No Content\r\n\r\n");
    assertTrue(g.request().startsWith("GET /bytes/3?x HTTP/1.1\r\nHost: 192.0.2.2:8080\r\n"), g.request());
    assertTrue(g.request().contains("Connection: close\r\n"));
    assertTrue(g.request().endsWith("\r\n\r\n"));
    assertEquals(204, g.response().status());
  }

  @Test
  void contentLengthBody() throws IOException {
    Got g = get("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef");
    assertEquals("abc", g.body());
    assertEquals(3, g.response().bodyLength());
  }

  @Test
  void chunkedBodyWithExtensionsAndTrailers() throws IOException {
    Got g =
        get("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
            + "4;ext=1\r\nWiki\r\nA\r\npedia in\r\n\r\n0\r\nX-Trailer: y\r\n\r\n");
    assertEquals("Wikipedia in\r\n", g.body());
    assertEquals(14, g.response().bodyLength());
  }

  @Test
  void noLengthMeansUntilClose() throws IOException {
    Got g = get("HTTP/1.0 200 OK\r\n\r\nuntil the end");
    assertEquals("until the end", g.body());
    assertTrue(g.response().willClose());
  }

  @Test
  void interimResponsesAreSkipped() throws IOException {
    Got g = get("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assertEquals(200, g.response().status());
    assertEquals("ok", g.body());
  }

  @Test
  void framingErrorsAreProtocolExceptions() {
    assertThrows(HttpProtocolException.class, () -> get("SMTP ready\r\n\r\n"));
    assertThrows(HttpProtocolException.class,
        () -> get("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nab"));
    assertThrows(HttpProtocolException.class,
        () -> get("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
  }

  @Test
  void truncatedBodyIsAnEofNamingTheCount() {
    EOFException e =
        assertThrows(EOFException.class, () -> get("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
    assertTrue(e.getMessage().contains("3 of 10"), e.getMessage());
  }
}
