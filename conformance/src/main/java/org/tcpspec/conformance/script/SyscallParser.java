package org.tcpspec.conformance.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.tcpspec.conformance.script.Token.Kind;

/**
 * The system call lines of packetdrill's grammar (parser.y): {@code syscallSpec}, its {@code
 * note}, and the {@code expression}s of arguments and results. Expressions stay as written
 * ({@link Expr}); what a name or struct means is the interpreter's business.
 */
final class SyscallParser {

  private final TokenCursor in;

  SyscallParser(TokenCursor in) {
    this.in = in;
  }

  // ---- syscall_spec: opt_end_time function_name function_arguments '=' expression opt_errno opt_note

  Syscall syscallSpec() throws ScriptException {
    OptionalLong end = OptionalLong.empty();
    if (in.tok().is(Kind.ELLIPSIS)) {
      in.take();
      end = OptionalLong.of(in.time());
    }
    Token name = in.tok();
    if (!name.is(Kind.WORD)) throw in.expected("a system call name");
    in.take();
    in.expectPunct('(');
    List<Expr> args = expressionList(')');
    in.expectPunct('=');
    Expr result = expression();
    Optional<Syscall.ErrnoSpec> errno = Optional.empty();
    Optional<String> note = Optional.empty();
    // opt_errno opt_note: a word after the result is always the errno (no event starts with a
    // word), wherever the lines of a multi-line call put it.
    if (in.tok().is(Kind.WORD)) {
      String errName = in.take().text();
      String text = in.tok().isPunct('(') ? note() : "";
      errno = Optional.of(new Syscall.ErrnoSpec(errName, text));
    } else if (in.tok().isPunct('(')) {
      note = Optional.of(note());
    }
    return new Syscall(name.pos(), name.text(), end, args, result, errno, note);
  }

  /** note: '(' word_list ')'. Any tokens are accepted as words. */
  private String note() throws ScriptException {
    Token open = in.expectPunct('(');
    StringBuilder b = new StringBuilder();
    while (!in.tok().isPunct(')')) {
      if (in.tok().is(Kind.EOF) || in.tok().pos().line() != open.pos().line()) {
        throw in.expected("')' closing the note opened at " + open.pos());
      }
      if (!b.isEmpty()) b.append(' ');
      b.append(in.take().text());
    }
    in.take();
    return b.toString();
  }

  // ---- expression

  /**
   * An optional expression_list and the {@code close} that ends it, after the opening bracket:
   * function_arguments, a call's arguments, array and struct fields.
   */
  private List<Expr> expressionList(char close) throws ScriptException {
    List<Expr> items = new ArrayList<>();
    if (!in.tok().isPunct(close)) {
      items.add(expression());
      while (in.tok().isPunct(',')) {
        in.take();
        items.add(expression());
      }
    }
    in.expectPunct(close);
    return items;
  }

  private Expr expression() throws ScriptException {
    Expr left = primary();
    while (in.tok().isPunct('|')) {
      Token bar = in.take();
      left = new Expr.Or(bar.pos(), left, primary());
    }
    return left;
  }

  private Expr primary() throws ScriptException {
    Token t = in.tok();
    switch (t.kind()) {
      case ELLIPSIS -> {
        in.take();
        return new Expr.Ellipsis(t.pos());
      }
      case INTEGER, HEX_INTEGER -> {
        in.take();
        return new Expr.Int(t.pos(), TokenCursor.intValue(t));
      }
      case STRING -> {
        StringBuilder b = new StringBuilder();
        while (in.tok().is(Kind.STRING)) b.append(in.take().text());
        boolean ellipsis = false;
        if (in.tok().is(Kind.ELLIPSIS)) {
          in.take();
          ellipsis = true;
        }
        return new Expr.Str(t.pos(), b.toString(), ellipsis);
      }
      case WORD -> {
        in.take();
        Expr e = new Expr.Word(t.pos(), t.text());
        if (in.tok().isPunct('(')) {
          in.take();
          e = new Expr.Call(t.pos(), t.text(), expressionList(')'));
        }
        if (in.tok().isPunct('=')) {
          in.take();
          return new Expr.Assign(t.pos(), e, expression());
        }
        return e;
      }
      case PUNCT -> {
        if (t.isPunct('[') || t.isPunct('{')) {
          in.take();
          char close = t.isPunct('[') ? ']' : '}';
          List<Expr> items = expressionList(close);
          return close == ']' ? new Expr.Array(t.pos(), items) : new Expr.Struct(t.pos(), items);
        }
        throw in.expected("an expression");
      }
      default -> throw in.expected("an expression");
    }
  }
}
