package org.tcpspec.conformance.script;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tcpspec.conformance.script.Token.Kind;

/**
 * The token stream the parser's rule classes ({@link Parser}, {@link PacketParser}, {@link
 * TcpOptionParser}, {@link SyscallParser}) read together: the current token, lookahead, and the
 * terminals every part of the grammar shares (integers with their range, {@code time}). Its
 * errors name file:line:column, what was expected and what was found.
 */
final class TokenCursor {

  private final List<Token> tokens;
  private int at;

  TokenCursor(List<Token> tokens) {
    this.tokens = new ArrayList<>(tokens);
  }

  Token tok() {
    return tokens.get(at);
  }

  Token peekTok(int ahead) {
    return tokens.get(Math.min(at + ahead, tokens.size() - 1));
  }

  Token take() {
    Token t = tokens.get(at);
    if (t.kind() != Kind.EOF) at++;
    return t;
  }

  /** Replaces every token from the current one on by what {@code f} makes of it. */
  void replaceAhead(UnaryOperator<Token> f) {
    for (int k = at; k < tokens.size(); k++) tokens.set(k, f.apply(tokens.get(k)));
  }

  ScriptException expected(String what) {
    return new ScriptException(tok().pos(), "expected " + what + ", found " + tok().describe());
  }

  Token expectPunct(char c) throws ScriptException {
    if (!tok().isPunct(c)) throw expected("'" + c + "'");
    return take();
  }

  Token expectWord(String w) throws ScriptException {
    if (!tok().isWord(w)) throw expected("'" + w + "'");
    return take();
  }

  long integer(String what, long max) throws ScriptException {
    Token t = tok();
    if (!t.is(Kind.INTEGER) && !t.is(Kind.HEX_INTEGER)) throw expected(what);
    take();
    long v = intValue(t);
    if (v < 0 || v > max) {
      throw new ScriptException(t.pos(), what + " out of range 0.." + max + ": " + t.text());
    }
    return v;
  }

  static long intValue(Token t) throws ScriptException {
    try {
      return t.is(Kind.HEX_INTEGER)
          ? Long.parseUnsignedLong(t.text().substring(2), 16)
          : Long.parseLong(t.text());
    } catch (NumberFormatException e) {
      throw new ScriptException(t.pos(), "integer out of range: " + t.text());
    }
  }

  /**
   * time: FLOAT or INTEGER seconds, converted to microseconds exactly (event_time's and
   * syscall_spec's opt_end_time).
   */
  long time() throws ScriptException {
    Token t = tok();
    if (!t.is(Kind.FLOAT) && !t.is(Kind.INTEGER)) throw expected("a time in seconds");
    take();
    BigDecimal seconds = new BigDecimal(t.text());
    if (seconds.signum() < 0) throw new ScriptException(t.pos(), "negative time");
    return seconds.movePointRight(6).setScale(0, RoundingMode.DOWN).longValueExact();
  }
}
