package org.tcpspec.conformance.run;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * The system call table: script name -> handler. A handler turns the script's call into a live
 * {@link SocketCall} (script fds to live fds, symbols to Linux values, {@code ...} addresses to
 * the test addresses) and checks the live result against the script's, as packetdrill's
 * run_system_call does. Every handler has the same shape.
 */
final class Syscalls {
  private Syscalls() {}

  interface Builder {
    SocketCall build(Interpreter in, Syscall s) throws ScriptFailure;
  }

  interface Checker {
    void check(Interpreter in, Syscall s, SocketCall call, SysResult<List<Long>> r) throws ScriptFailure;
  }

  record Handler(Builder build, Checker check) {}

  static final Map<String, Handler> TABLE = Map.ofEntries(
      Map.entry("socket", new Handler(
          (in, s) -> new SocketCall.Socket(
              arg(s, 0) instanceof Expr.Ellipsis ? Symbol.AF_INET.value() : (int) value(in, arg(s, 0)), (int) value(in, arg(s, 1)), (int) value(in, arg(s, 2))),
          Syscalls::checkNewFd)),
      Map.entry("bind", new Handler((in, s) -> {
        int port = sockaddrPort(in, arg(s, 1)).orElse(ScriptSocket.DEFAULT_LOCAL_PORT);
        in.socket.bind(port);
        return new SocketCall.Bind(fd(in, s), in.config().localAddr(), port);
      }, Syscalls::checkResult)),
      Map.entry("listen", new Handler((in, s) -> {
        int fd = fd(in, s);
        in.socket.listen(fd);
        return new SocketCall.Listen(fd, (int) value(in, arg(s, 1)));
      }, Syscalls::checkResult)),
      Map.entry("accept", new Handler((in, s) -> new SocketCall.Accept(fd(in, s)), Syscalls::checkNewFd)),
      Map.entry("accept4", new Handler((in, s) -> new SocketCall.Accept(fd(in, s)), Syscalls::checkNewFd)),
      Map.entry("connect", new Handler((in, s) -> {
        int port = sockaddrPort(in, arg(s, 1)).orElse(ScriptSocket.DEFAULT_LOCAL_PORT);
        in.socket.connect(port);
        return new SocketCall.Connect(fd(in, s), in.config().remoteAddr(), port);
      }, Syscalls::checkResult)),
      Map.entry("write", new Handler(
          (in, s) -> write(in, s, 0),
          Syscalls::checkResult)),
      Map.entry("send", new Handler(
          (in, s) -> write(in, s, (int) value(in, arg(s, 3))),
          Syscalls::checkResult)),
      // On a connected TCP socket sendto's address is not used: it is send. MSG_FASTOPEN (the
      // gtests' TCP Fast Open connect) is outside the subset.
      Map.entry("sendto", new Handler((in, s) -> {
        int flags = (int) value(in, arg(s, 3));
        if ((flags & Symbol.MSG_FASTOPEN.value()) != 0) {
          throw ScriptFailure.unsupported("sendto with MSG_FASTOPEN (TCP Fast Open)");
        }
        return write(in, s, flags);
      }, Syscalls::checkResult)),
      Map.entry("read", new Handler(
          (in, s) -> read(in, s, 0),
          Syscalls::checkResult)),
      Map.entry("recv", new Handler(
          (in, s) -> read(in, s, (int) value(in, arg(s, 3))),
          Syscalls::checkResult)),
      // On a connected TCP socket recvfrom's address is not filled in: it is recv.
      Map.entry("recvfrom", new Handler(
          (in, s) -> read(in, s, (int) value(in, arg(s, 3))),
          Syscalls::checkResult)),
      Map.entry("close", new Handler((in, s) -> new SocketCall.Close(fd(in, s)), Syscalls::checkResult)),
      Map.entry("shutdown", new Handler(
          (in, s) -> new SocketCall.Shutdown(fd(in, s), (int) value(in, arg(s, 1))),
          Syscalls::checkResult)),
      Map.entry("setsockopt", new Handler(
          (in, s) -> new SocketCall.SetSockOpt(fd(in, s), (int) value(in, arg(s, 1)),
              (int) value(in, arg(s, 2)), optValue(in, arg(s, 3))),
          Syscalls::checkResult)),
      Map.entry("getsockopt", new Handler((in, s) -> {
        // Only integer values are compared; a structure (TCP_INFO, SO_LINGER) would go unchecked.
        if (s.args().size() > 3 && s.args().get(3) instanceof Expr.Struct) {
          throw ScriptFailure.unsupported("getsockopt with a structure value ("
              + (arg(s, 2) instanceof Expr.Word w ? w.name() : "option " + value(in, arg(s, 2))) + ")");
        }
        return new SocketCall.GetSockOpt(fd(in, s), (int) value(in, arg(s, 1)), (int) value(in, arg(s, 2)));
      }, Syscalls::checkGetSockOpt)),
      Map.entry("fcntl", new Handler(
          (in, s) -> new SocketCall.Fcntl(fd(in, s), (int) value(in, arg(s, 1)),
              s.args().size() > 2 ? value(in, arg(s, 2)) : 0),
          Syscalls::checkResult)),
      Map.entry("poll", new Handler(Syscalls::buildPoll, Syscalls::checkPoll)));

  static SocketCall build(Interpreter in, Syscall s) throws ScriptFailure {
    Handler h = TABLE.get(s.name());
    if (h == null) throw ScriptFailure.unsupported("system call " + s.name());
    return h.build().build(in, s);
  }

  static void check(Interpreter in, Syscall s, SocketCall call, SysResult<List<Long>> r) throws ScriptFailure {
    TABLE.get(s.name()).check().check(in, s, call, r);
  }

  // ---- arguments

  private static Expr arg(Syscall s, int i) throws ScriptFailure {
    if (i >= s.args().size()) {
      throw ScriptFailure.error(s.pos(), s.name() + ": expected at least " + (i + 1) + " arguments");
    }
    return s.args().get(i);
  }

  /** The live fd for the script fd of the first argument. */
  private static int fd(Interpreter in, Syscall s) throws ScriptFailure {
    int scriptFd = (int) value(in, arg(s, 0));
    return in.liveFdByScriptFd.getOrDefault(scriptFd, scriptFd);
  }

  static long value(Interpreter in, Expr e) throws ScriptFailure {
    return switch (e) {
      case Expr.Int i -> i.value();
      case Expr.Word w -> Symbol.byName(w.name()).map(Symbol::value).orElseThrow(
          () -> ScriptFailure.error(w.pos(), "unknown symbol " + w.name()));
      case Expr.Or o -> value(in, o.left()) | value(in, o.right());
      case Expr.Call c when c.name().equals("htons") && c.args().size() == 1 -> value(in, c.args().getFirst());
      case Expr.Array a when a.items().size() == 1 -> value(in, a.items().getFirst());
      case Expr.Call c -> throw ScriptFailure.unsupported("expression " + c.name() + "(...)");
      case Expr.Ellipsis x -> throw ScriptFailure.error(x.pos(), "expected a value, found ...");
      case Expr.Str x -> throw ScriptFailure.error(x.pos(), "expected a number, found a string");
      case Expr.Assign x -> throw ScriptFailure.error(x.pos(), "expected a value, found an assignment");
      case Expr.Array x -> throw ScriptFailure.error(x.pos(), "expected a value, found an array");
      case Expr.Struct x -> throw ScriptFailure.error(x.pos(), "expected a value, found a struct");
    };
  }

  /** The field {@code name=value} of a struct expression. */
  private static Optional<Expr> field(Expr.Struct st, String name) {
    for (Expr item : st.items()) {
      if (item instanceof Expr.Assign a && a.key() instanceof Expr.Word w && w.name().equals(name)) {
        return Optional.of(a.value());
      }
    }
    return Optional.empty();
  }

  private static Optional<Integer> sockaddrPort(Interpreter in, Expr e) throws ScriptFailure {
    if (e instanceof Expr.Struct st) {
      Optional<Expr> port = field(st, "sin_port");
      if (port.isPresent()) return Optional.of((int) value(in, port.get()));
    }
    return Optional.empty();
  }

  /**
   * write/send/sendto: the buffer is {@code ...} (zeros) or NULL, which goes to the system under
   * test as a null pointer (run_system_call.c, buffer_arg: the kernel answers EFAULT).
   */
  private static SocketCall write(Interpreter in, Syscall s, int flags) throws ScriptFailure {
    int fd = fd(in, s);
    if (isNull(arg(s, 1))) return SocketCall.Write.nullBuffer(fd, (int) value(in, arg(s, 2)), flags);
    return new SocketCall.Write(fd, data(in, arg(s, 1), arg(s, 2)), flags);
  }

  /** read/recv/recvfrom into a buffer of the count's size, or from NULL. */
  private static SocketCall read(Interpreter in, Syscall s, int flags) throws ScriptFailure {
    int fd = fd(in, s);
    int count = (int) value(in, arg(s, 2));
    return isNull(arg(s, 1)) ? SocketCall.Read.nullBuffer(fd, count, flags) : new SocketCall.Read(fd, count, flags);
  }

  /** NULL as packetdrill's lexer reads it: the integer 0. */
  private static boolean isNull(Expr buf) {
    return buf instanceof Expr.Int i && i.value() == 0 || buf instanceof Expr.Word w && w.name().equals("NULL");
  }

  private static byte[] data(Interpreter in, Expr buf, Expr count) throws ScriptFailure {
    int n = (int) value(in, count);
    byte[] out = new byte[Math.max(0, n)];
    if (buf instanceof Expr.Str s) {
      byte[] text = s.value().getBytes(StandardCharsets.ISO_8859_1);
      System.arraycopy(text, 0, out, 0, Math.min(text.length, out.length));
    }
    return out;
  }

  private static SocketCall.OptValue optValue(Interpreter in, Expr e) throws ScriptFailure {
    if (e instanceof Expr.Str s) return new SocketCall.OptValue.Text(s.value());
    if (e instanceof Expr.Struct st) {
      Optional<Expr> onoff = field(st, "onoff").or(() -> field(st, "l_onoff"));
      Optional<Expr> linger = field(st, "linger").or(() -> field(st, "l_linger"));
      if (onoff.isPresent() && linger.isPresent()) {
        return new SocketCall.OptValue.Linger((int) value(in, onoff.get()), (int) value(in, linger.get()));
      }
      throw ScriptFailure.unsupported("socket option structure " + st.items());
    }
    return new SocketCall.OptValue.IntValue((int) value(in, e));
  }

  private static SocketCall buildPoll(Interpreter in, Syscall s) throws ScriptFailure {
    if (!(arg(s, 0) instanceof Expr.Array arr)) {
      throw ScriptFailure.error(s.pos(), "poll: expected an array of {fd=..., events=...}");
    }
    List<SocketCall.PollFd> fds = new ArrayList<>();
    for (Expr item : arr.items()) {
      if (!(item instanceof Expr.Struct st) || field(st, "fd").isEmpty() || field(st, "events").isEmpty()) {
        throw ScriptFailure.error(item.pos(), "poll: expected {fd=..., events=...[, revents=...]}");
      }
      int scriptFd = (int) value(in, field(st, "fd").get());
      int liveFd = in.liveFdByScriptFd.getOrDefault(scriptFd, scriptFd);
      fds.add(new SocketCall.PollFd(liveFd, (int) value(in, field(st, "events").get())));
    }
    return new SocketCall.Poll(fds, (int) value(in, arg(s, 2)));
  }

  // ---- results

  static void checkResult(Interpreter in, Syscall s, SocketCall call, SysResult<List<Long>> r)
      throws ScriptFailure {
    if (s.result() instanceof Expr.Ellipsis) return;
    long expected = value(in, s.result());
    if (s.errno().isPresent()) {
      Syscall.ErrnoSpec spec = s.errno().get();
      Errno errno = Errno.byName(spec.name())
          .orElseThrow(() -> ScriptFailure.error(s.pos(), "unknown errno " + spec.name()));
      if (r.value() != expected || r.errno() != errno) {
        throw ScriptFailure.fail(s.pos(), s.name() + ": expected " + expected + " " + spec.name()
            + " vs actual " + show(r));
      }
      return;
    }
    if (r.value() != expected) {
      throw ScriptFailure.fail(s.pos(), s.name() + ": expected " + expected + " vs actual " + show(r));
    }
  }

  private static String show(SysResult<?> r) {
    return r.value() + (r.failed() ? " " + r.errno() : "");
  }

  private static void checkNewFd(Interpreter in, Syscall s, SocketCall call, SysResult<List<Long>> r)
      throws ScriptFailure {
    if (s.result() instanceof Expr.Int i && i.value() >= 0 && r.value() >= 0) {
      in.liveFdByScriptFd.put((int) i.value(), r.intValue());
      if (call instanceof SocketCall.Socket) in.socket.socket(r.intValue());
      else in.socket.accept(r.intValue());
      return;
    }
    checkResult(in, s, call, r);
  }

  private static void checkGetSockOpt(Interpreter in, Syscall s, SocketCall call, SysResult<List<Long>> r)
      throws ScriptFailure {
    checkResult(in, s, call, r);
    if (r.failed() || s.args().size() < 4) return;
    Expr expectedValue = s.args().get(3);
    if (expectedValue instanceof Expr.Array a && a.items().size() == 1
        && !(a.items().getFirst() instanceof Expr.Ellipsis)) {
      long expected = value(in, a.items().getFirst());
      List<Long> out = r.out().orElse(List.of());
      long actual = out.isEmpty() ? Long.MIN_VALUE : out.getFirst();
      if (expected != actual) {
        throw ScriptFailure.fail(s.pos(), "getsockopt: option value: expected " + expected
            + " vs actual " + actual);
      }
    }
  }

  private static void checkPoll(Interpreter in, Syscall s, SocketCall call, SysResult<List<Long>> r)
      throws ScriptFailure {
    checkResult(in, s, call, r);
    if (!(s.args().getFirst() instanceof Expr.Array arr)) return;
    List<Long> actual = r.out().orElse(List.of());
    for (int i = 0; i < arr.items().size() && i < actual.size(); i++) {
      if (arr.items().get(i) instanceof Expr.Struct st) {
        Optional<Expr> revents = field(st, "revents");
        long expected = revents.isPresent() ? value(in, revents.get()) : 0;
        if (revents.isPresent() && expected != actual.get(i)) {
          throw ScriptFailure.fail(s.pos(), "poll: revents of entry " + i + ": expected "
              + Long.toHexString(expected) + " vs actual " + Long.toHexString(actual.get(i)));
        }
      }
    }
  }
}
