package org.tcpspec.app;

import java.util.Optional;

/**
 * An {@code http://host[:port][/path]} URL as {@code tcpspec get} accepts it: no user info, no
 * https, the fragment dropped; the path keeps its query. Parsing never throws: {@link #parse}
 * says what is wrong instead.
 *
 * @param host as written (an IPv4 literal, or an IPv6 one in brackets, for our stack, which has no
 *     resolver)
 * @param port 1..65535, 80 when absent
 * @param path origin-form request target, "/" when absent
 */
public record HttpUrl(String host, int port, String path) {

  /** The result of {@link #parse}: a URL or the reason there is none. */
  public sealed interface Parsed {
    record Ok(HttpUrl url) implements Parsed {}

    record Invalid(String reason) implements Parsed {}
  }

  public static Parsed parse(String text) {
    String scheme = "http://";
    if (text.length() < scheme.length()
        || !text.substring(0, scheme.length()).equalsIgnoreCase(scheme)) {
      return new Parsed.Invalid("only http:// URLs are supported: " + text);
    }
    String rest = text.substring(scheme.length());
    int hash = rest.indexOf('#');
    if (hash >= 0) rest = rest.substring(0, hash);
    int slash = firstOf(rest, '/', '?');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "/" : rest.substring(slash);
    if (path.startsWith("?")) path = "/" + path;
    if (authority.contains("@")) return new Parsed.Invalid("user info in URLs is not supported");
    int colon = authority.lastIndexOf(':');
    if (colon < authority.lastIndexOf(']')) colon = -1; // a colon of an IPv6 literal, no port
    String host = colon < 0 ? authority : authority.substring(0, colon);
    int port = 80;
    if (colon >= 0) {
      Optional<Integer> p = port(authority.substring(colon + 1));
      if (p.isEmpty()) return new Parsed.Invalid("port must be 1..65535 in " + text);
      port = p.get();
    }
    if (host.isEmpty()) return new Parsed.Invalid("no host in " + text);
    if (host.startsWith("[") != host.endsWith("]")) return new Parsed.Invalid("unbalanced brackets in " + text);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return new Parsed.Invalid("path has a space or non-ASCII character; percent-encode it");
      }
    }
    return new Parsed.Ok(new HttpUrl(host, port, path));
  }

  /** Whether the host is an IPv6 literal in brackets (RFC 3986 §3.2.2). */
  public boolean ipv6() {
    return host.startsWith("[");
  }

  /** The Host field value (RFC 9110 §7.2): the port only when it is not 80. */
  public String hostField() {
    return port == 80 ? host : host + ":" + port;
  }

  @Override
  public String toString() {
    return "http://" + hostField() + path;
  }

  private static int firstOf(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    if (i < 0) return j;
    if (j < 0) return i;
    return Math.min(i, j);
  }

  private static Optional<Integer> port(String digits) {
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int p = Integer.parseInt(digits);
    return p >= 1 && p <= 65535 ? Optional.of(p) : Optional.empty();
  }
}
