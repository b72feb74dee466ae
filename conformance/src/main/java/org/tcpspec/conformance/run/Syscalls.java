package org.tcpspec.conformance.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.Symbol;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.script.Expr;
import org.tcpspec.conformance.script.Syscall;

/**
 * The system call table: script name -> handler. A handler turns the script's call into a live
 * {@link SocketCall} (script fds to live fds, symbols to Linux values, {@code ...} addresses to
 * the test addresses) and checks the live result against the script's, as packetdrill's
 * run_system_call does. Every handler has the same shape. The message calls (sendmsg, recvmsg,
 * readv, writev) are in {@link MessageCalls}, the descriptor calls that are not sockets' (open,
 * pipe, sendfile, splice, ioctl, epoll) in {@link FileCalls}.
 */
final class Syscalls {
  private Syscalls() {}

  interface Builder {
    SocketCall build(Interpreter in, Syscall s) throws ScriptFailure;
  }

  interface Checker {
    void check(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r) throws ScriptFailure;
  }

  record Handler(Builder build, Checker check) {}

  static final Map<String, Handler> TABLE = Map.ofEntries(
      Map.entry("socket", new Handler(
          (in, s) -> new SocketCall.Socket(
              arg(s, 0) instanceof Expr.Ellipsis ? in.config().socketDomain() : (int) value(in, arg(s, 0)), (int) value(in, arg(s, 1)), (int) value(in, arg(s, 2))),
          Syscalls::checkNewSocket)),
      Map.entry("bind", new Handler((in, s) -> {
        int port = sockaddrPort(in, arg(s, 1)).orElse(ScriptSocket.DEFAULT_LOCAL_PORT);
        in.socket.bind(port);
        return new SocketCall.Bind(fd(in, s), in.config().bindAddress(port));
      }, Syscalls::checkResult)),
      Map.entry("listen", new Handler((in, s) -> {
        in.newSockets.remove(scriptFd(in, s));
        int fd = fd(in, s);
        in.socket.listen(fd);
        return new SocketCall.Listen(fd, (int) value(in, arg(s, 1)));
      }, Syscalls::checkResult)),
      Map.entry("accept", new Handler((in, s) -> new SocketCall.Accept(fd(in, s)), Syscalls::checkNewFd)),
      Map.entry("accept4", new Handler((in, s) -> new SocketCall.Accept(fd(in, s)), Syscalls::checkNewFd)),
      Map.entry("connect", new Handler(Syscalls::buildConnect, Syscalls::checkResult)),
      Map.entry("write", new Handler(
          (in, s) -> write(in, s, 0),
          Syscalls::checkResult)),
      Map.entry("send", new Handler(
          (in, s) -> write(in, s, (int) value(in, arg(s, 3))),
          Syscalls::checkResult)),
      Map.entry("sendto", new Handler(Syscalls::buildSendTo, Syscalls::checkResult)),
      Map.entry("sendmsg", new Handler(MessageCalls::buildSendMsg, Syscalls::checkResult)),
      Map.entry("writev", new Handler(MessageCalls::buildWritev, Syscalls::checkResult)),
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
      Map.entry("recvmsg", new Handler(MessageCalls::buildRecvMsg, MessageCalls::checkRecvMsg)),
      Map.entry("readv", new Handler(MessageCalls::buildReadv, Syscalls::checkResult)),
      Map.entry("close", new Handler((in, s) -> new SocketCall.Close(fd(in, s)), Syscalls::checkResult)),
      Map.entry("shutdown", new Handler(
          (in, s) -> new SocketCall.Shutdown(fd(in, s), (int) value(in, arg(s, 1))),
          Syscalls::checkResult)),
      Map.entry("setsockopt", new Handler(Syscalls::buildSetSockOpt, Syscalls::checkResult)),
      Map.entry("getsockopt", new Handler(Syscalls::buildGetSockOpt, Syscalls::checkGetSockOpt)),
      Map.entry("fcntl", new Handler(
          (in, s) -> new SocketCall.Fcntl(fd(in, s), (int) value(in, arg(s, 1)),
              s.args().size() > 2 ? value(in, arg(s, 2)) : 0),
          Syscalls::checkResult)),
      Map.entry("ioctl", new Handler(FileCalls::buildIoctl, FileCalls::checkIoctl)),
      Map.entry("poll", new Handler(Syscalls::buildPoll, Syscalls::checkPoll)),
      Map.entry("epoll_create", new Handler(
          (in, s) -> new SocketCall.EpollCreate((int) value(in, arg(s, 0))), Syscalls::checkNewFd)),
      Map.entry("epoll_ctl", new Handler(FileCalls::buildEpollCtl, Syscalls::checkResult)),
      Map.entry("epoll_wait", new Handler(FileCalls::buildEpollWait, FileCalls::checkEpollWait)),
      Map.entry("open", new Handler(FileCalls::buildOpen, Syscalls::checkNewFd)),
      Map.entry("pipe", new Handler((in, s) -> new SocketCall.Pipe(), FileCalls::checkPipe)),
      Map.entry("sendfile", new Handler(FileCalls::buildSendFile, Syscalls::checkResult)),
      Map.entry("splice", new Handler(FileCalls::buildSplice, Syscalls::checkResult)));

  /** System calls packetdrill knows that this runner does not make, with what they need. */
  private static final Map<String, String> NOT_MADE = Map.of(
      "cap_set", "system call cap_set (process capabilities through libcap)",
      "psp_rx_assoc", "system call psp_rx_assoc (PSP)",
      "psp_tx_assoc", "system call psp_tx_assoc (PSP)");

  static SocketCall build(Interpreter in, Syscall s) throws ScriptFailure {
    Handler h = TABLE.get(s.name());
    if (h == null) {
      throw ScriptFailure.unsupported(NOT_MADE.getOrDefault(s.name(), "system call " + s.name()));
    }
    return h.build().build(in, s);
  }

  static void check(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r) throws ScriptFailure {
    TABLE.get(s.name()).check().check(in, s, call, r);
  }

  // ---- arguments

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

  private static int scriptFd(Interpreter in, Syscall s) throws ScriptFailure {
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
      byte[] text = unescape(s);
      System.arraycopy(text, 0, out, 0, Math.min(text.length, out.length));
    }
    return out;
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

  /**
   * connect(fd, ..., ...) to the script's remote end, which makes the socket the script's active
   * one; or, as packetdrill's syscall_connect takes a bare address family in place of the
   * address, connect(fd, AF_UNSPEC, ...), which dissolves the association and leaves a new socket.
   */
  private static SocketCall buildConnect(Interpreter in, Syscall s) throws ScriptFailure {
    Expr address = arg(s, 1);
    if (!(address instanceof Expr.Ellipsis) && !(address instanceof Expr.Struct)) {
      int family = (int) value(in, address);
      if (family == Symbol.AF_UNSPEC.value()) in.newSockets.add(scriptFd(in, s));
      return new SocketCall.ConnectBare(fd(in, s), family);
    }
    int port = sockaddrPort(in, address).orElse(ScriptSocket.DEFAULT_LOCAL_PORT);
    in.newSockets.remove(scriptFd(in, s));
    in.socket.connect(port);
    return new SocketCall.Connect(fd(in, s), in.config().connectAddress(port));
  }

  /**
   * sendto: the buffer, and as address the script's remote end ({@code ...}) or the bare address
   * family it writes instead ({@code AF_UNSPEC}). As packetdrill's run_syscall_connect, a new
   * socket starts connecting here (a Fast Open sendto), so the script socket learns the port.
   */
  private static SocketCall buildSendTo(Interpreter in, Syscall s) throws ScriptFailure {
    argCount(s, 6);
    int flags = (int) value(in, arg(s, 3));
    SocketCall.SockAddr to = remoteEnd(in, s, arg(s, 4));
    if (isNull(arg(s, 1))) return SocketCall.SendTo.nullBuffer(fd(in, s), (int) value(in, arg(s, 2)), flags, to);
    return new SocketCall.SendTo(fd(in, s), data(in, arg(s, 1), arg(s, 2)), flags, to);
  }

  /** The address a sendto or sendmsg passes; a new socket becomes the script's active socket. */
  static SocketCall.SockAddr remoteEnd(Interpreter in, Syscall s, Expr family) throws ScriptFailure {
    int scriptFd = scriptFd(in, s);
    if (!(family instanceof Expr.Ellipsis)) {
      int f = (int) value(in, family);
      if (f == Symbol.AF_UNSPEC.value()) in.newSockets.add(scriptFd);
      return SocketCall.SockAddr.bare(f);
    }
    if (in.newSockets.remove(scriptFd)) in.socket.connect(ScriptSocket.DEFAULT_LOCAL_PORT);
    return in.config().connectAddress(ScriptSocket.DEFAULT_LOCAL_PORT);
  }

  // ---- socket options

  /**
   * setsockopt(fd, level, name, value, optlen): the value is {@code [int]}, a string (its bytes
   * unescaped) or a structure ({@link OptionStructs}: a linger, a timeval), passed with the
   * script's optlen as packetdrill passes it; any other value is packetdrill's "unsupported
   * setsockopt value type".
   */
  private static SocketCall buildSetSockOpt(Interpreter in, Syscall s) throws ScriptFailure {
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
  private static SocketCall buildGetSockOpt(Interpreter in, Syscall s) throws ScriptFailure {
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

  /** packetdrill's s32_bracketed_arg: {@code [value]}, one integer in brackets. */
  static long bracketed(Interpreter in, Syscall s, Expr.Array a) throws ScriptFailure {
    if (a.items().size() != 1) {
      throw ScriptFailure.error(a.pos(), s.name() + ": expected [<element>] but got " + a.items().size() + " elements");
    }
    return value(in, a.items().getFirst());
  }

  private static String valueType(Expr e) {
    return switch (e) {
      case Expr.Int i -> "an integer without brackets";
      case Expr.Word w -> "a symbol without brackets";
      case Expr.Or o -> "an expression without brackets";
      case Expr.Struct st -> "a structure " + st.items().stream().map(Syscalls::fieldName).toList();
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
  private static void checkGetSockOpt(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
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

  // ---- poll

  private static SocketCall buildPoll(Interpreter in, Syscall s) throws ScriptFailure {
    if (!(arg(s, 0) instanceof Expr.Array arr)) {
      throw ScriptFailure.error(s.pos(), "poll: expected an array of {fd=..., events=...}");
    }
    List<SocketCall.PollFd> fds = new ArrayList<>();
    for (Expr item : arr.items()) {
      if (!(item instanceof Expr.Struct st) || field(st, "fd").isEmpty() || field(st, "events").isEmpty()) {
        throw ScriptFailure.error(item.pos(), "poll: expected {fd=..., events=...[, revents=...]}");
      }
      fds.add(new SocketCall.PollFd(liveFd(in, (int) value(in, field(st, "fd").get())),
          (int) value(in, field(st, "events").get())));
    }
    return new SocketCall.Poll(fds, (int) value(in, arg(s, 2)));
  }

  private static void checkPoll(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    checkResult(in, s, call, r);
    if (!(s.args().getFirst() instanceof Expr.Array arr)) return;
    List<Long> actual = ints(r);
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

  /** The ints a call wrote (ioctl's value, poll's revents, pipe's fds); none if it wrote none. */
  static List<Long> ints(SysResult<CallOutput> r) {
    return r.out().map(o -> o instanceof CallOutput.Ints i ? i.values() : List.<Long>of()).orElse(List.of());
  }

  // ---- results

  static void checkResult(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
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

  /** A call that makes a descriptor (accept, open, epoll_create): the script's fd maps to it. */
  static void checkNewFd(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    if (s.result() instanceof Expr.Int i && i.value() >= 0 && r.value() >= 0) {
      in.liveFdByScriptFd.put((int) i.value(), r.intValue());
      // Only socket() and accept() change the socket under test (an epoll or a file is no socket).
      if (call instanceof SocketCall.Socket) in.socket.socket(r.intValue());
      else if (call instanceof SocketCall.Accept) in.socket.accept(r.intValue());
      return;
    }
    checkResult(in, s, call, r);
  }

  /** socket(): a new descriptor, and a new socket that a sendto or sendmsg may connect. */
  private static void checkNewSocket(Interpreter in, Syscall s, SocketCall call, SysResult<CallOutput> r)
      throws ScriptFailure {
    checkNewFd(in, s, call, r);
    if (s.result() instanceof Expr.Int i && r.succeeded()) in.newSockets.add((int) i.value());
  }

  /** A string argument's text as a C string (a path), unescaped. */
  static String text(Expr.Str s) throws ScriptFailure {
    return new String(unescape(s), StandardCharsets.ISO_8859_1);
  }
}
