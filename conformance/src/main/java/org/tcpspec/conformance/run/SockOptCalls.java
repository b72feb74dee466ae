package org.tcpspec.conformance.run;

import static org.tcpspec.conformance.run.CallArgs.arg;
import static org.tcpspec.conformance.run.CallArgs.argCount;
import static org.tcpspec.conformance.run.CallArgs.bracketed;
import static org.tcpspec.conformance.run.CallArgs.fd;
import static org.tcpspec.conformance.run.CallArgs.unescape;
import static org.tcpspec.conformance.run.CallArgs.value;
import static org.tcpspec.conformance.run.CallResults.checkResult;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * setsockopt and getsockopt as packetdrill's syscall_setsockopt and syscall_getsockopt make and
 * check them: an option value is {@code [int]}, a string, or a structure ({@link OptionStructs});
 * getsockopt's optlen is checked against the kernel's, or left {@code [...]} for a structure.
 */
final class SockOptCalls {
  private SockOptCalls() {}

  /**
   * setsockopt(fd, level, name, value, optlen): the value is {@code [int]}, a string (its bytes
   * unescaped) or a structure ({@link OptionStructs}: a linger, a timeval), passed with the
   * script's optlen as packetdrill passes it; any other value is packetdrill's "unsupported
   * setsockopt value type".
   */
  static SocketCall buildSetSockOpt(Interpreter in, Syscall s) throws ScriptFailure {
    argCount(s, 5);
    int optlen = (int) value(in, arg(s, 4));
    Expr v = arg(s, 3);
    Optional<SocketCall.OptValue> structure = v instanceof Expr.Struct st ? OptionStructs.value(in, st) : Optional.empty();
    SocketCall.OptValue value = switch (v) {
      case Expr.Str str -> new SocketCall.OptValue.Text(unescape(str));
      case Expr.Array a -> new SocketCall.OptValue.IntValue((int) bracketed(in, s, a));
      case Expr.Struct st when structure.isPresent() -> structure.get();
      default -> throw ScriptFailure.error(v.pos(), "setsockopt: unsupported setsockopt value type: "
          + valueType(v) + " (packetdrill takes [int], a linger {onoff=..., linger=...} or a string)");
    };
    return new SocketCall.SetSockOpt(fd(in, s), (int) value(in, arg(s, 1)), (int) value(in, arg(s, 2)), value, optlen);
  }

  /**
   * getsockopt(fd, level, name, value, [optlen]); a structure value may leave its optlen {@code
   * [...]}: the structure's size is asked for and the length returned is not checked.
   */
  static SocketCall buildGetSockOpt(Interpreter in, Syscall s) throws ScriptFailure {
    argCount(s, 5);
    int level = (int) value(in, arg(s, 1));
    int name = (int) value(in, arg(s, 2));
    Expr optlen = arg(s, 4);
    if (!(optlen instanceof Expr.Array a)) throw ScriptFailure.error(optlen.pos(), "getsockopt: expected [optlen]");
    int length = anyLength(a) ? OptionStructs.size(s, level, name) : (int) bracketed(in, s, a);
    return new SocketCall.GetSockOpt(fd(in, s), level, name, length);
  }

  private static boolean anyLength(Expr.Array a) {
    return a.items().size() == 1 && a.items().getFirst() instanceof Expr.Ellipsis;
  }

  private static String valueType(Expr e) {
    return switch (e) {
      case Expr.Int i -> "an integer without brackets";
      case Expr.Word w -> "a symbol without brackets";
      case Expr.Or o -> "an expression without brackets";
      case Expr.Struct st -> "a structure " + st.items().stream().map(SockOptCalls::fieldName).toList();
      case Expr.Ellipsis x -> "...";
      case Expr.Str x -> "a string";
      case Expr.Assign x -> "an assignment";
      case Expr.Call c -> c.name() + "(...)";
      case Expr.Array x -> "an array";
    };
  }

  private static String fieldName(Expr item) {
    return item instanceof Expr.Assign a && a.key() instanceof Expr.Word w ? w.name() : "?";
  }

  /**
   * getsockopt's value as packetdrill's syscall_getsockopt checks it: the optlen the kernel
   * returned against the script's, then {@code [int]} (optlen 4) or a string of optlen bytes; a
   * structure's fields as {@link OptionStructs} reads them.
   */
  static void checkGetSockOpt(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    checkResult(in, s, call, r);
    if (r.failed()) return;
    SocketCall.GetSockOpt get = (SocketCall.GetSockOpt) call;
    int scriptOptlen = get.optlen();
    byte[] live = r.out().map(o -> ((CallOutput.Bytes) o).bytes()).orElse(new byte[0]);
    Expr expected = arg(s, 3);
    boolean checkLength = !(arg(s, 4) instanceof Expr.Array a && anyLength(a));
    if (checkLength && live.length != scriptOptlen) {
      throw ScriptFailure.fail(s.pos(), "getsockopt: optlen: expected " + scriptOptlen + " vs actual " + live.length);
    }
    switch (expected) {
      case Expr.Struct st -> OptionStructs.check(in, s, get.level(), get.name(), st, live);
      case Expr.Str str -> {
        byte[] want = unescape(str);
        if (want.length != scriptOptlen) {
          throw ScriptFailure.error(s.pos(), "getsockopt: expected optlen (" + scriptOptlen
              + " bytes) does not match length of expected optval string '" + str.value() + "' ("
              + want.length + " bytes)");
        }
        if (!Arrays.equals(want, live)) {
          throw ScriptFailure.fail(s.pos(), "getsockopt: option value: expected '" + printable(want)
              + "' vs actual '" + printable(live) + "'");
        }
      }
      case Expr.Array a -> {
        if (scriptOptlen != 4) throw ScriptFailure.error(s.pos(), "getsockopt: unsupported getsockopt optlen: " + scriptOptlen);
        long want = (int) bracketed(in, s, a);
        long actual = ByteBuffer.wrap(live).order(ByteOrder.nativeOrder()).getInt();
        if (want != actual) {
          throw ScriptFailure.fail(s.pos(), "getsockopt: option value: expected " + want + " vs actual " + actual);
        }
      }
      default -> throw ScriptFailure.error(expected.pos(), "getsockopt: unsupported getsockopt value type: "
          + valueType(expected) + " (packetdrill compares [int] or a string; structures are compared field by field)");
    }
  }

  private static String printable(byte[] b) {
    StringBuilder out = new StringBuilder();
    for (byte x : b) {
      if (x >= 0x20 && x < 0x7F) out.append((char) x);
      else out.append(String.format("\\x%02x", x & 0xFF));
    }
    return out.toString();
  }
}
