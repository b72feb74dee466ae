package org.tcpspec.conformance.run;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.tcpspec.abi.Symbol;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * A system call's arguments as the handlers of {@link Syscalls} read them: the argument count
 * (packetdrill's check_arg_count), script fds to live fds, expressions to values (integers,
 * symbols to Linux values, {@code |}, htons, inet_addr, {@code [value]}), struct fields, and
 * strings with their C escapes, as packetdrill's run_system_call.c evaluates them.
 */
final class CallArgs {
  private CallArgs() {}

  static Expr arg(Syscall s, int i) throws ScriptFailure {
    if (i >= s.args().size()) {
      throw ScriptFailure.error(s.pos(), s.name() + ": expected at least " + (i + 1) + " arguments");
    }
    return s.args().get(i);
  }

  /** packetdrill's check_arg_count: "Expected 3 args but got 2". */
  static void argCount(Syscall s, int expected) throws ScriptFailure {
    if (s.args().size() != expected) {
      throw ScriptFailure.error(s.pos(), s.name() + ": expected " + expected + " args but got " + s.args().size());
    }
  }

  static int scriptFd(Interpreter in, Syscall s) throws ScriptFailure {
    return (int) value(in, arg(s, 0));
  }

  /** The live fd for the script fd of the first argument. */
  static int fd(Interpreter in, Syscall s) throws ScriptFailure {
    return liveFd(in, (int) value(in, arg(s, 0)));
  }

  /** The live fd for a script fd. */
  static int liveFd(Interpreter in, int scriptFd) {
    return in.liveFdByScriptFd.getOrDefault(scriptFd, scriptFd);
  }

  static long value(Interpreter in, Expr e) throws ScriptFailure {
    return switch (e) {
      case Expr.Int i -> i.value();
      case Expr.Word w -> {
        OptionalLong v = Symbol.numberOf(w.name());
        if (v.isEmpty()) throw ScriptFailure.error(w.pos(), "unknown symbol " + w.name());
        yield v.getAsLong();
      }
      case Expr.Or o -> value(in, o.left()) | value(in, o.right());
      case Expr.Call c when c.name().equals("htons") && c.args().size() == 1 -> value(in, c.args().getFirst());
      case Expr.Call c when c.name().equals("inet_addr") && c.args().size() == 1
          && c.args().getFirst() instanceof Expr.Str a -> inetAddr(a);
      case Expr.Array a when a.items().size() == 1 -> value(in, a.items().getFirst());
      case Expr.Call c -> throw ScriptFailure.unsupported("expression " + c.name() + "(...)");
      case Expr.Ellipsis x -> throw ScriptFailure.error(x.pos(), "expected a value, found ...");
      case Expr.Str x -> throw ScriptFailure.error(x.pos(), "expected a number, found a string");
      case Expr.Assign x -> throw ScriptFailure.error(x.pos(), "expected a value, found an assignment");
      case Expr.Array x -> throw ScriptFailure.error(x.pos(), "expected a value, found an array");
      case Expr.Struct x -> throw ScriptFailure.error(x.pos(), "expected a value, found a struct");
    };
  }

  /**
   * inet_addr("a.b.c.d") as packetdrill evaluates it: the address in network byte order read as a
   * host-order (little-endian) integer, what C's inet_addr returns.
   */
  private static long inetAddr(Expr.Str a) throws ScriptFailure {
    String[] parts = a.value().split("\\.");
    if (parts.length != 4) throw ScriptFailure.error(a.pos(), "invalid IPv4 address: " + a.value());
    long v = 0;
    for (int k = 3; k >= 0; k--) {
      int b;
      try {
        b = Integer.parseInt(parts[k]);
      } catch (NumberFormatException ex) {
        throw ScriptFailure.error(a.pos(), "invalid IPv4 address: " + a.value());
      }
      v = v << 8 | (b & 0xFF);
    }
    return v;
  }

  /** The field {@code name=value} of a struct expression. */
  static Optional<Expr> field(Expr.Struct st, String name) {
    for (Expr item : st.items()) {
      if (item instanceof Expr.Assign a && a.key() instanceof Expr.Word w && w.name().equals(name)) {
        return Optional.of(a.value());
      }
    }
    return Optional.empty();
  }

  /** A field packetdrill's grammar requires, as an error naming the structure when it is missing. */
  static Expr required(Expr.Struct st, String name, String structure) throws ScriptFailure {
    return field(st, name).orElseThrow(() -> ScriptFailure.error(st.pos(), structure + ": expected " + name + "=..."));
  }

  /** packetdrill's s32_bracketed_arg: {@code [value]}, one integer in brackets. */
  static long bracketed(Interpreter in, Syscall s, Expr.Array a) throws ScriptFailure {
    if (a.items().size() != 1) {
      throw ScriptFailure.error(a.pos(), s.name() + ": expected [<element>] but got " + a.items().size() + " elements");
    }
    return value(in, a.items().getFirst());
  }

  /**
   * A string's bytes after C-style escapes, as packetdrill's unescape_cstring_expression reads
   * them: {@code \n \r \t \f \v \xHH}, and {@code \\} and {@code \"} for themselves; any other
   * escape is an error.
   */
  static byte[] unescape(Expr.Str s) throws ScriptFailure {
    String raw = s.value();
    byte[] out = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\' || i + 1 >= raw.length()) {
        out[n++] = (byte) c;
        continue;
      }
      char e = raw.charAt(++i);
      out[n++] = switch (e) {
        case '\\' -> (byte) '\\';
        case '"' -> (byte) '"';
        case 'f' -> (byte) '\f';
        case 'n' -> (byte) '\n';
        case 'r' -> (byte) '\r';
        case 't' -> (byte) '\t';
        case 'v' -> (byte) 0x0B;
        case 'x' -> {
          int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
          int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
          if (hi < 0 || lo < 0) {
            throw ScriptFailure.error(s.pos(), "invalid hex escape (\\xhh): '\\x" + raw.substring(i + 1) + "'");
          }
          i += 2;
          yield (byte) (hi << 4 | lo);
        }
        default -> throw ScriptFailure.error(s.pos(), "unsupported escape code: '" + e + "'");
      };
    }
    return Arrays.copyOf(out, n);
  }

  /** A string argument's text as a C string (a path), unescaped. */
  static String text(Expr.Str s) throws ScriptFailure {
    return new String(unescape(s), StandardCharsets.ISO_8859_1);
  }
}
