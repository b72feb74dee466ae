package org.tcpspec.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HttpUrlTest {

  private static HttpUrl ok(String text) {
    return assertInstanceOf(HttpUrl.Parsed.Ok.class, HttpUrl.parse(text)).url();
  }

  private static String invalid(String text) {
    return assertInstanceOf(HttpUrl.Parsed.Invalid.class, HttpUrl.parse(text)).reason();
  }

  @Test
  void hostPortAndPath() {
    assertEquals(new HttpUrl("192.0.2.2", 8080, "/bytes/10"), ok("http://192.0.2.2:8080/bytes/10"));
  }

  @Test
  void defaultsArePort80AndSlash() {
    HttpUrl u = ok("HTTP://192.0.2.2");
    assertEquals(new HttpUrl("192.0.2.2", 80, "/"), u);
    assertEquals("192.0.2.2", u.hostField());
  }

  @Test
  void queryIsKeptFragmentDropped() {
    assertEquals("/?a=1", ok("http://h?a=1#frag").path());
    assertEquals("/x?y", ok("http://h:81/x?y#z").path());
    assertEquals("h:81", ok("http://h:81/").hostField());
  }

  @Test
  void refusals() {
    assertTrue(invalid("https://h/").contains("only http://"));
    assertTrue(invalid("http://h:0/").contains("1..65535"));
    assertTrue(invalid("http://h:65536/").contains("1..65535"));
    assertTrue(invalid("http://h:x/").contains("1..65535"));
    assertTrue(invalid("http:///x").contains("no host"));
    assertTrue(invalid("http://u@h/").contains("user info"));
    assertTrue(invalid("http://h/a b").contains("percent-encode"));
  }
}
