package org.tcpspec.conformance.script;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tcpspec.conformance.script.Token.Kind;

/**
 * Splits a script into tokens as packetdrill's lexer does: {@code //} and C comments, {@code %{
 * }%} code blocks, back-quoted shell lines, strings, {@code --options}, {@code ...}, integers
 * (decimal, possibly negative, and hex), floats, IPv4 and IPv6 addresses, words, and single
 * characters.
 * Numbers are kept as text so times convert to microseconds without floating-point error.
 */
public final class Lexer {
  private static final Pattern IPV6 =
      Pattern.compile("(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|\\d{1,3}(?:\\.\\d{1,3}){3})");

  private final String file;
  private final String src;
  private int i;
  private int line = 1;
  private int lineStart;

  private Lexer(String file, String src) {
    this.file = file;
    this.src = src;
  }

  public static List<Token> tokenize(String file, String src) throws ScriptException {
    return new Lexer(file, src).all();
  }

  private Pos pos(int at) {
    return new Pos(file, line, at - lineStart + 1);
  }

  private char peek(int ahead) {
    int j = i + ahead;
    return j < src.length() ? src.charAt(j) : '\0';
  }

  private void advance(int n) {
    for (int k = 0; k < n && i < src.length(); k++) {
      if (src.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
  }

  private List<Token> all() throws ScriptException {
    List<Token> out = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      if (i >= src.length()) {
        out.add(new Token(Kind.EOF, "", pos(i)));
        return out;
      }
      out.add(next());
    }
  }

  private void skipSpaceAndComments() throws ScriptException {
    while (i < src.length()) {
      char c = src.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance(1);
      } else if (c == '/' && peek(1) == '/') {
        while (i < src.length() && src.charAt(i) != '\n') advance(1);
      } else if (c == '/' && peek(1) == '*') {
        Pos start = pos(i);
        int end = src.indexOf("*/", i + 2);
        if (end < 0) throw new ScriptException(start, "unterminated comment: expected '*/'");
        advance(end + 2 - i);
      } else {
        return;
      }
    }
  }

  private Token next() throws ScriptException {
    int start = i;
    Pos p = pos(i);
    char c = src.charAt(i);
    if (c == '%' && peek(1) == '{') {
      int end = src.indexOf("}%", i + 2);
      if (end < 0) throw new ScriptException(p, "unterminated code block: expected '}%'");
      String body = stripSpacesAndTabs(src.substring(i + 2, end));
      advance(end + 2 - i);
      return new Token(Kind.CODE, body, p);
    }
    if (c == '"' || c == '`') {
      StringBuilder b = new StringBuilder();
      advance(1);
      while (i < src.length() && src.charAt(i) != c) {
        if (src.charAt(i) == '\\' && i + 1 < src.length()) {
          b.append(unescape(src.charAt(i + 1)));
          advance(2);
        } else {
          b.append(src.charAt(i));
          advance(1);
        }
      }
      if (i >= src.length()) {
        throw new ScriptException(p, "unterminated " + (c == '"' ? "string" : "shell command")
            + ": expected closing " + c);
      }
      advance(1);
      return new Token(c == '"' ? Kind.STRING : Kind.BACK_QUOTED, b.toString(), p);
    }
    if (c == '.' && peek(1) == '.' && peek(2) == '.') {
      advance(3);
      return new Token(Kind.ELLIPSIS, "...", p);
    }
    if (c == '-' && peek(1) == '-' && isWordChar(peek(2))) {
      advance(2);
      int from = i;
      while (i < src.length() && isWordChar(src.charAt(i))) advance(1);
      return new Token(Kind.OPTION, src.substring(from, i), p);
    }
    if (c == '0' && (peek(1) == 'x' || peek(1) == 'X') && isHex(peek(2))) {
      advance(2);
      while (i < src.length() && isHex(src.charAt(i))) advance(1);
      return new Token(Kind.HEX_INTEGER, src.substring(start, i), p);
    }
    if (isHex(c) || c == ':') {
      Token v6 = ipv6Address(start, p);
      if (v6 != null) return v6;
    }
    boolean minus = c == '-' && (isDigit(peek(1)) || (peek(1) == '.' && isDigit(peek(2))));
    if (isDigit(c) || minus || (c == '.' && isDigit(peek(1)))) {
      return number(start, p);
    }
    if (isWordChar(c)) {
      while (i < src.length() && isWordChar(src.charAt(i))) advance(1);
      return new Token(Kind.WORD, src.substring(start, i), p);
    }
    advance(1);
    return new Token(Kind.PUNCT, String.valueOf(c), p);
  }

  /**
   * An IPv6 address, as packetdrill's lexer takes one (header options such as --local_ip): hex
   * groups with at least two colons, perhaps ending in a dotted quad. Null when the text here is
   * not one; "1:1001" (a sequence range) and "1:2" (a SACK block) have one colon only.
   */
  private Token ipv6Address(int start, Pos p) {
    int j = start;
    while (j < src.length() && (isHex(src.charAt(j)) || src.charAt(j) == ':' || src.charAt(j) == '.')) j++;
    if (j < src.length() && isWordChar(src.charAt(j))) return null;
    String run = src.substring(start, j);
    if (run.chars().filter(ch -> ch == ':').count() < 2 || !IPV6.matcher(run).matches()) return null;
    advance(j - start);
    return new Token(Kind.IPV6_ADDR, run, p);
  }

  private Token number(int start, Pos p) {
    if (src.charAt(i) == '-') advance(1);
    int digitsFrom = i;
    while (i < src.length() && isDigit(src.charAt(i))) advance(1);
    // An IPv4 address: four dot-separated digit runs.
    if (i > digitsFrom && src.charAt(start) != '-') {
      int j = i;
      int dots = 0;
      while (dots < 3 && j + 1 < src.length() && src.charAt(j) == '.' && isDigit(src.charAt(j + 1))) {
        j++;
        while (j < src.length() && isDigit(src.charAt(j))) j++;
        dots++;
      }
      if (dots == 3) {
        advance(j - i);
        return new Token(Kind.IPV4_ADDR, src.substring(start, i), p);
      }
    }
    if (peek(0) == '.' && isDigit(peek(1))) {
      advance(1);
      while (i < src.length() && isDigit(src.charAt(i))) advance(1);
      return new Token(Kind.FLOAT, src.substring(start, i), p);
    }
    // Letters glued to digits make a word, as flex's longest match does ("1st", "3way").
    if (i < src.length() && isWordChar(src.charAt(i)) && src.charAt(start) != '-') {
      while (i < src.length() && isWordChar(src.charAt(i))) advance(1);
      return new Token(Kind.WORD, src.substring(start, i), p);
    }
    return new Token(Kind.INTEGER, src.substring(start, i), p);
  }

  /**
   * A code block's text as packetdrill's lexer keeps it (lexer.l, code()): spaces and tabs
   * stripped from both ends, newlines kept, since Python reads the indentation.
   */
  private static String stripSpacesAndTabs(String text) {
    int from = 0;
    int to = text.length();
    while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) from++;
    while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) to--;
    return text.substring(from, to);
  }

  private static char unescape(char c) {
    return switch (c) {
      case 'n' -> '\n';
      case 't' -> '\t';
      case '0' -> '\0';
      default -> c;
    };
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isWordChar(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
}
