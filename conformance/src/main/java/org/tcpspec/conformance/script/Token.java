package org.tcpspec.conformance.script;

/** One lexical token; {@code text} is the token as written (strings without their quotes). */
public record Token(Kind kind, String text, Pos pos) {

  /** Token classes of packetdrill's lexer (lexer.l); keywords are WORDs told apart by text. */
  public enum Kind {
    WORD,
    INTEGER,
    HEX_INTEGER,
    FLOAT,
    STRING,
    BACK_QUOTED,
    CODE,
    OPTION,
    IPV4_ADDR,
    IPV6_ADDR,
    ELLIPSIS,
    PUNCT,
    EOF
  }

  public boolean is(Kind k) {
    return kind == k;
  }

  public boolean isPunct(char c) {
    return kind == Kind.PUNCT && text.length() == 1 && text.charAt(0) == c;
  }

  public boolean isWord(String w) {
    return kind == Kind.WORD && text.equals(w);
  }

  /** How the token reads in an error message. */
  public String describe() {
    return switch (kind) {
      case EOF -> "end of file";
      case STRING -> "string \"" + text + "\"";
      case BACK_QUOTED -> "shell command `" + text + "`";
      case CODE -> "%{ }% block";
      default -> "'" + text + "'";
    };
  }
}
